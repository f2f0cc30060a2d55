"""What a search asks of local listings: a place to be near, a time to be open, a language,
free, an age, online or in person. Plain data, so that a search with no listings never loads
the listing store (SQLite) or the ZIP table (see listing_store.py and geo.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    import datetime as _dt

    from ..geo import Place

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Compiled on first use (re caches it): most searches give no --open.
_WHEN = r"(?i)^\s*([a-z]+)\.?\s+(\d{1,2})(?::(\d{2}))?\s*([ap])?\.?\s*m?\.?\s*$"


class When:
    """When a listing must be open: an instant (--open-now, read in each listing's own time
    zone) or a weekday and time in the listing's own time (--open "tue 7pm").

    When and Filters are plain classes: every search makes them, and a dataclass costs a
    compile at start-up."""

    __slots__ = ("instant", "day", "minute")

    def __init__(self, instant: _dt.datetime | None = None, day: int = 0,
                 minute: int = 0) -> None:
        self.instant = instant
        self.day = day  # 0 Monday
        self.minute = minute

    def __eq__(self, other: object) -> bool:
        return isinstance(other, When) and (self.instant, self.day, self.minute) == (
            other.instant, other.day, other.minute)

    def __hash__(self) -> int:
        return hash((self.instant, self.day, self.minute))

    def local(self, zone: str) -> tuple[int, int] | None:
        if self.instant is None:
            return self.day, self.minute
        try:
            from zoneinfo import ZoneInfo

            moment = self.instant.astimezone(ZoneInfo(zone))
        except (KeyError, ValueError, OSError):
            return None
        return moment.weekday(), moment.hour * 60 + moment.minute


def parse_when(text: str) -> When:
    """ "tue 7pm", "Tuesday 19:00", "sat 11:30 pm" as a weekday and time; the error never
    quotes what was typed."""
    found = re.match(_WHEN, text or "")
    day = None
    if found:
        word = found.group(1).lower()
        day = next((i for i, name in enumerate(WEEKDAY_NAMES)
                    if len(word) >= 2 and name.startswith(word)), None)
    if not found or day is None:
        raise UsageError('--open: expected a day and a time, like "tue 7pm" or "saturday 19:30"')
    hour, minute, half = int(found.group(2)), int(found.group(3) or 0), (found.group(4) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise UsageError('--open: expected a day and a time, like "tue 7pm" or "saturday 19:30"')
    return When(day=day, minute=hour * 60 + minute)


class Filters:
    """What a search asks of local listings."""

    __slots__ = ("near", "when", "language", "free", "age", "online", "in_person")

    def __init__(self, near: Place | None = None, when: When | None = None, language: str = "",
                 free: bool = False, age: int | None = None, online: bool = False,
                 in_person: bool = False) -> None:
        self.near, self.when, self.language = near, when, language  # language: ISO 639-1
        self.free, self.age, self.online, self.in_person = free, age, online, in_person

    @property
    def active(self) -> bool:
        """Whether anything about place or filters was asked."""
        return self.near is not None or self.any

    @property
    def any(self) -> bool:
        return bool(self.when or self.language or self.free or self.age is not None
                    or self.online or self.in_person)


NO_FILTERS = Filters()
