"""Read a US place out of a need: "I live outside Spokane", "in Dayton, Ohio", "rural Wyoming".

The names come from the `zipcodes` and `us` packages, turned into one sorted table by
scripts/make_places.py (data/places.tsv); looking a name up is a search in the table's text, so
nothing is parsed but the lines found. A name is a place when a state follows it ("Norfolk VA",
"Dayton, Ohio"), or when a place word ("in", "near", "outside") comes before it and it is a
state or a sizeable city. A two-letter state code needs both a place word before it and nothing
after it in its clause: "we live in VA" is Virginia, "my VA counselor" is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "places.tsv"
# A bare city name (no state beside it) is a place only when it has this many ZIP codes:
# "in Hope" or "in Friendship" are more likely words than towns.
MIN_BARE_CITY_ZIPS = 3
MAX_NAME_WORDS = 4
_KIND, _NAME, _STATE, _LAT, _LON, _ZIPS = 1, 2, 3, 4, 5, 6


class Place:
    """A place a need names, and the words (start, end) that name it."""

    __slots__ = ("name", "kind", "state", "lat", "lon", "start", "end")

    def __init__(self, row: Sequence[str], start: int, end: int) -> None:
        self.kind, self.name, self.state = row[_KIND], row[_NAME], row[_STATE]
        self.lat = float(row[_LAT]) if row[_LAT] else None
        self.lon = float(row[_LON]) if row[_LON] else None
        self.start, self.end = start, end

    @property
    def display(self) -> str:
        return self.name if self.kind in ("state", "code") else f"{self.name}, {self.state}"

    def __repr__(self) -> str:
        return f"Place({self.display!r}, {self.start}:{self.end})"


@lru_cache(maxsize=1)
def _table() -> str:
    return "\n" + TABLE.read_text(encoding="utf-8")


@lru_cache(maxsize=4096)
def rows(key: str) -> tuple[tuple[str, ...], ...]:
    """The table's lines for a normalised name, each split into its fields."""
    table, head = _table(), f"\n{key}\t"
    found = []
    at = table.find(head)
    while at >= 0:
        end = table.find("\n", at + 1)
        found.append(tuple(table[at + 1:end].split("\t")))
        at = table.find(head, end)
    return tuple(found)


def find(clauses: Sequence[Sequence[str]], cues: frozenset[str],
         common: frozenset[str]) -> Place | None:
    """The first place the need names. `clauses` are its normalised words, clause by clause;
    `cues` are place words ("in", "near", "outside"); `common` are everyday words that a bare
    city name must not be ("normal", "mobile")."""
    offset = 0
    for words in clauses:
        place = _in_clause(words, cues, common)
        if place is not None:
            place.start += offset
            place.end += offset
            return place
        offset += len(words)
    return None


def _in_clause(words: Sequence[str], cues: frozenset[str], common: frozenset[str]) -> Place | None:
    for start in range(len(words)):
        cued = start > 0 and words[start - 1] in cues
        for size in range(min(MAX_NAME_WORDS, len(words) - start), 0, -1):
            name = " ".join(words[start:start + size])
            found = rows(name)
            if not found:
                continue
            end = start + size
            state = _state_at(words, end)
            if state is not None:
                code, taken = state
                towns = [r for r in found if r[_STATE] == code and r[_KIND] in ("city", "county")]
                if towns:
                    return Place(max(towns, key=_size), start, end + taken)
            if not cued:
                continue
            states = [r for r in found if r[_KIND] == "state"]
            if states:
                return Place(states[0], start, end)
            codes = [r for r in found if r[_KIND] == "code"]
            if codes and end == len(words):
                return Place(codes[0], start, end)
            towns = [r for r in found if r[_KIND] in ("city", "county")]
            if towns and name not in common:
                best = max(towns, key=_size)
                if best[_KIND] == "county" or int(best[_ZIPS]) >= MIN_BARE_CITY_ZIPS:
                    return Place(best, start, end)
    return None


def _state_at(words: Sequence[str], at: int) -> tuple[str, int] | None:
    """A state named at `at`, by name or code: its code and how many words it takes."""
    for size in (3, 2, 1):
        if at + size > len(words):
            continue
        for row in rows(" ".join(words[at:at + size])):
            if row[_KIND] in ("state", "code"):
                return row[_STATE], size
    return None


def _size(row: Sequence[str]) -> int:
    return int(row[_ZIPS] or 0)
