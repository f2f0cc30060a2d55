"""Opening hours: HSDS schedule rows (1.1 `regular_schedules`, 3.0 `schedules` with RRULE
fields) read into weekly openings, and openings written as short display text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from .listing import DAY_MINUTES, WEEKDAYS, Opening

_DAY_NAMES = {
    **{name: i for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{name.lower(): i for i, name in enumerate(WEEKDAYS)},
    **{code: i for i, code in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))},
    "tues": 1, "wed": 2, "thur": 3, "thurs": 3,
}
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*([ap])?\.?\s*m?\.?"
                   r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?$", re.I)
_ORDINAL = re.compile(r"^([+-]?\d+)([a-z]{2})$")


def minutes(value: str) -> int | None:
    """"9:00am", "17:30", "18:30:00", "12:00am" as minutes after midnight, else None."""
    found = _TIME.match(value.strip()) if value else None
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    half = (found.group(3) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _rrule(text: str) -> dict[str, str]:
    """"FREQ=WEEKLY;BYDAY=MO,WE" (with or without "RRULE:") as lower-case fields."""
    text = text.split(":", 1)[1] if text.upper().startswith("RRULE:") else text
    parts = (part.split("=", 1) for part in text.split(";") if "=" in part)
    return {name.strip().lower(): value.strip() for name, value in parts}


def read_schedules(rows: Iterable[dict], get: Callable[..., str],
                   ) -> tuple[list[Opening], list[str]]:
    """Weekly openings and free-text notes from schedule rows (dicts of the source's fields).

    A row that is not weekly (monthly, every other week, "1st Monday") is kept as a note: an
    opening it does not have every week would make "open now" wrong.
    """
    openings: list[Opening] = []
    notes: list[str] = []
    for row in rows:
        fields = row
        if get(row, "rrule"):
            fields = {**{name: row.get(name) for name in row.keys()}, **_rrule(get(row, "rrule"))}
        freq = get(fields, "freq").upper()
        interval = get(fields, "interval")
        opens, closes = minutes(get(fields, "opens_at")), minutes(get(fields, "closes_at"))
        days: list[int] = []
        ordinal = False
        for part in re.split(r"[,\s]+", get(fields, "weekday", "byday").lower()):
            found = _ORDINAL.match(part)
            if found:
                ordinal = ordinal or found.group(1) not in ("", "+0")
                part = found.group(2)
            if part in _DAY_NAMES:
                days.append(_DAY_NAMES[part])
        weekly = (freq in ("", "WEEKLY", "DAILY") and interval in ("", "1") and not ordinal
                  and not get(fields, "bymonthday"))
        if freq == "DAILY" and not days:
            days = list(range(7))
        if weekly and days and opens is not None:
            if closes is None:
                closes = opens  # unknown end: a point in time, not an opening that is open
            closes = closes % DAY_MINUTES if closes == DAY_MINUTES else closes
            for day in days:
                opening = Opening(day, opens, closes)
                if opening not in openings:
                    openings.append(opening)
        else:
            span = _span_text(get(fields, "opens_at"), get(fields, "closes_at"))
            when = ", ".join(part for part in (get(fields, "weekday", "byday"), span) if part)
            if when and not weekly:
                when = f"{when} (not every week)"
            if when:
                notes.append(when)
        for name in ("description", "notes"):
            if get(row, name):
                notes.append(get(row, name))
        if not days and opens is None and get(row, "original_text"):
            notes.append(get(row, "original_text"))
    return openings, list(dict.fromkeys(notes))


def _span_text(opens: str, closes: str) -> str:
    first, last = minutes(opens), minutes(closes)
    if first is None and last is None:
        return ""
    parts = [_short(m) for m in (first, last) if m is not None]
    return "-".join(parts)


def _short(value: int) -> str:
    return f"{value // 60}:{value % 60:02d}"


def span(opening: Opening) -> str:
    """"9:00-17:00"; a close at midnight reads 24:00, a point in time reads alone."""
    if opening.closes == opening.opens:
        return _short(opening.opens)
    closes = "24:00" if opening.closes == 0 else _short(opening.closes)
    return f"{_short(opening.opens)}-{closes}"


def hours_text(openings: Iterable[Opening], notes: Iterable[str] = ()) -> str:
    """"Mon-Fri 9:00-17:00; Sat 10:00-14:00", then any notes."""
    hours: dict[int, list[str]] = defaultdict(list)
    for opening in sorted(openings, key=lambda o: (o.day, o.opens)):
        text = span(opening)
        if text not in hours[opening.day]:
            hours[opening.day].append(text)
    # Runs of days with the same hours ("Mon-Fri"), then runs with the same hours together
    # ("Mon, Wed 18:30-20:00").
    runs: dict[str, list[str]] = {}
    day = 0
    while day < 7:
        if day not in hours:
            day += 1
            continue
        end = day
        while end + 1 < 7 and hours.get(end + 1) == hours[day]:
            end += 1
        days = WEEKDAYS[day] if end == day else f"{WEEKDAYS[day]}-{WEEKDAYS[end]}"
        runs.setdefault(", ".join(hours[day]), []).append(days)
        day = end + 1
    text = "; ".join(f"{', '.join(days)} {spans}" for spans, days in runs.items())
    extra = " ".join(note for note in dict.fromkeys(notes) if note)
    return f"{text}. {extra}" if text and extra else text or extra
