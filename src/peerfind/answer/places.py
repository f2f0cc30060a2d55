"""Read a US place out of a need: "I live outside Spokane", "in Dayton, Ohio", "rural Wyoming".

The names come from the `zipcodes` and `us` packages, turned into a sorted table by
scripts/make_places.py (data/places.tsv, in three parts: states, places a need may name bare,
and every other town). A name is a place when a state follows it ("Norfolk VA", "dayton ohio"),
or when a place word ("in", "near", "outside") comes before it and it is a state, a county or a
sizeable city. A two-letter state code counts only in capitals after a name ("Norfolk VA"), or
after a place word at the end of its clause ("we live in VA, and ..."): "my VA counselor" and
the Spanish "no va a la escuela" name no place.

Most needs name no place word and no state, and read nothing; the others read the small parts
of the table first, and the towns only to check a town against the state that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "data" / "places.tsv"
MAX_NAME_WORDS = 4
_KIND, _NAME, _STATE, _LAT, _LON = 1, 2, 3, 4, 5
_CODE_IN_CAPITALS = re.compile(r"\b[A-Z]{2}\b")


class Place:
    """A place a need names, and the words (start, end) of the need that name it."""

    __slots__ = ("name", "kind", "state", "lat", "lon", "start", "end")

    def __init__(self, row: Sequence[str], start: int, end: int) -> None:
        self.kind, self.name, self.state = row[_KIND], row[_NAME], row[_STATE]
        self.lat = float(row[_LAT]) if row[_LAT] else None
        self.lon = float(row[_LON]) if row[_LON] else None
        self.start, self.end = start, end

    @property
    def display(self) -> str:
        """As a search engine and a person read it: "Spokane, WA", "Wyoming"."""
        return self.name if self.kind in ("state", "code") else f"{self.name}, {self.state}"

    def __repr__(self) -> str:
        return f"Place({self.display!r}, {self.start}:{self.end})"


class _Table:
    """The three parts of data/places.tsv, each read on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            header = handle.readline().split()
            self._start = handle.tell()
        self._sizes = [int(header[i]) for i in (3, 5, 7)]  # "# places: states N common N towns N"
        self._parts: dict[int, str] = {}
        self._starts: frozenset[str] | None = None

    @property
    def state_starts(self) -> frozenset[str]:
        """The first words of state names and codes: a name not followed by one has no state."""
        if self._starts is None:
            self._starts = frozenset(line.split(" ", 1)[0].split("\t", 1)[0]
                                     for line in self.part(0).split("\n") if line)
        return self._starts

    def part(self, n: int) -> str:
        if n not in self._parts:
            with open(self.path, "rb") as handle:
                handle.seek(self._start + sum(self._sizes[:n]))
                self._parts[n] = "\n" + handle.read(self._sizes[n]).decode("utf-8")
        return self._parts[n]

    @lru_cache(maxsize=4096)  # noqa: B019 - one table per process
    def rows(self, key: str, parts: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
        """The lines for a normalised name in the given parts, each split into its fields."""
        head, found = f"\n{key}\t", []
        for n in parts:
            text = self.part(n)
            at = text.find(head)
            while at >= 0:
                end = text.find("\n", at + 1)
                found.append(tuple(text[at + 1:end].split("\t")))
                at = text.find(head, end)
        return tuple(found)


@lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table(TABLE)


STATES, BARE, TOWNS = (0,), (1,), (1, 2)


def find(text: str, clauses: Sequence[Sequence[str]], cues: frozenset[str],
         common: frozenset[str]) -> Place | None:
    """The first place a need names. `clauses` are its normalised words, clause by clause (a
    comma does not end one here: "Dayton, Ohio"); `cues` are place words ("in", "near");
    `common` are everyday words that a bare city name must not be ("normal", "mobile")."""
    capitals = {code.lower() for code in _CODE_IN_CAPITALS.findall(text)}
    offset = 0
    for words in clauses:
        if any(w in cues for w in words) or _names_state(words, capitals) or any(
                f"{a} {b}" in cues for a, b in zip(words, words[1:])):
            place = _in_clause(words, cues, common, capitals)
            if place is not None:
                place.start += offset
                place.end += offset
                return place
        offset += len(words)
    return None


def _names_state(words: Sequence[str], capitals: set[str]) -> bool:
    table = _table()
    return any(w in capitals or any(r[_KIND] == "state" for r in table.rows(w, STATES))
               for w in words) or any(table.rows(f"{a} {b}", STATES) for a, b in zip(words, words[1:]))


def _in_clause(words: Sequence[str], cues: frozenset[str], common: frozenset[str],
               capitals: set[str]) -> Place | None:
    table = _table()
    for start in range(len(words)):
        # A cue of two words is a move ("moving to VA"): what follows is a place, not the VA.
        moved = start > 1 and " ".join(words[start - 2:start]) in cues
        cued = moved or start > 0 and words[start - 1] in cues
        for size in range(min(MAX_NAME_WORDS, len(words) - start), 0, -1):
            end = start + size
            name = " ".join(words[start:end])
            state = _state_at(words, end, capitals, common) \
                if end < len(words) and words[end] in table.state_starts else None
            if state is not None:  # "Norfolk VA", "dayton ohio": any town of that state
                code, taken = state
                towns = [r for r in table.rows(name, TOWNS) if r[_STATE] == code
                         and r[_KIND] in ("city", "county")]
                if towns:
                    return Place(max(towns, key=_zips), start, end + taken)
            if not cued:
                continue
            for row in table.rows(name, STATES):
                # A state by name; a code only at the clause's end ("we live in VA") or after
                # a move, and, if it is an everyday word ("near me", "in or near"), only in
                # capitals.
                if row[_KIND] == "state" or (end == len(words) or moved) and (
                        name in capitals or name not in common):
                    return Place(row, start, end)
            if name not in common:
                bare = table.rows(name, BARE)
                if bare:
                    return Place(max(bare, key=_zips), start, end)
    return None


def _state_at(words: Sequence[str], at: int, capitals: set[str], common: frozenset[str]
              ) -> tuple[str, int] | None:
    """A state named at `at` by name, or by a code written in capitals (or not an everyday
    word): its code and how many words it takes."""
    table = _table()
    for size in (3, 2, 1):
        if at + size > len(words):
            continue
        for row in table.rows(" ".join(words[at:at + size]), STATES):
            if row[_KIND] == "state" or words[at] in capitals or words[at] not in common:
                return row[_STATE], size
    return None


def _zips(row: Sequence[str]) -> int:
    return int(row[6] or 0)
