"""Search a SQLite listing store (what `import-hsds -o local.db` writes): the listings linked to
what a need matched, filtered and ranked in SQL, decoded only for the few that are shown.

Ranking: listings whose service area covers the place asked about come first (their listed
areas, or, lacking any, 50 miles around them; online-only meetings cover everywhere), then how
well each fits the need (how many of the need's matches it links to, links made from its
taxonomy terms and words at import), then distance, then freshness.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError, shown
from ..knowledge.files import STORE_VERSION
from ..geo import EARTH_MILES, Place, miles

COVER_MILES = 50.0
_FIRST = 300  # listings checked for --open in Python before the rest are checked in SQL
_DEGREE_MILES = EARTH_MILES * math.pi / 180  # one degree of latitude
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WHEN = re.compile(r"^\s*([a-z]+)\.?\s+(\d{1,2})(?::(\d{2}))?\s*([ap])?\.?\s*m?\.?\s*$", re.I)


@dataclass(frozen=True)
class When:
    """When a listing must be open: an instant (--open-now, read in each listing's own time
    zone) or a weekday and time in the listing's own time (--open "tue 7pm")."""

    instant: _dt.datetime | None = None
    day: int = 0  # 0 Monday
    minute: int = 0

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
    found = _WHEN.match(text or "")
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


@dataclass(frozen=True)
class Filters:
    near: Place | None = None
    when: When | None = None
    language: str = ""  # ISO 639-1 code
    free: bool = False
    age: int | None = None
    online: bool = False
    in_person: bool = False

    @property
    def active(self) -> bool:
        """Whether anything about place or filters was asked."""
        return self.near is not None or self.any

    @property
    def any(self) -> bool:
        return bool(self.when or self.language or self.free or self.age is not None
                    or self.online or self.in_person)


NO_FILTERS = Filters()


def is_open(openings: Iterable[tuple[int, int, int]], day: int, minute: int) -> bool:
    """Whether any weekly opening (day 0 Monday, opens, closes in minutes after midnight)
    covers `minute` of `day`, counting one that began the day before and runs past midnight
    (closes at or before it opens). One with a start only (closes == opens) is open for its
    first hour. The SQL of ListingStore._open_sql says the same."""
    for start_day, opens, closes in openings:
        if closes == opens:
            if start_day == day and opens <= minute < opens + 60:
                return True
        elif closes > opens:
            if start_day == day and opens <= minute < closes:
                return True
        elif (start_day == day and minute >= opens) or \
                ((start_day + 1) % 7 == day and minute < closes):
            return True
    return False


def language_code(name: str) -> str:
    """"es", "Spanish", "español" -> "es" (the import rules' language names); "" if unknown."""
    from ..importers.rules import language_code as code_of, load_rules

    return code_of(load_rules(), name)


@dataclass
class Found:
    """A listing chosen for an answer, with what chose it."""

    record: dict
    fit: int
    hits: list[str]
    distance: float | None = None
    covered: bool = True
    why: list[str] = field(default_factory=list)


class ListingStore:
    """A listing store opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error:
            raise UsageError(f"{shown(self.path)}: not a peerfind listing store (make one with "
                             f"import-hsds -o FILE.db)") from None
        if meta.get("store_version") != str(STORE_VERSION):
            raise UsageError(f"{shown(self.path)}: a listing store of another version of "
                             f"peerfind; import the directory again")
        self.count = int(meta.get("count", 0))
        self.timezones: list[str] = json.loads(meta.get("timezones", "[]"))
        self.directory = json.loads(meta["directory"]) if "directory" in meta else ""
        self.kinds: dict[str, list[str]] = json.loads(meta.get("kinds", "{}"))

    @classmethod
    def in_memory(cls, records: list[dict], kinds: dict[str, list[str]] | None = None,
                  ) -> ListingStore:
        """A store for listings from YAML files: small, built when loaded."""
        from ..importers.build import store_words
        from ..importers.write import write_store

        store = cls.__new__(cls)
        store.path = Path(":memory:")
        store.db = sqlite3.connect(":memory:")
        write_store(store.db, records, {}, store_words)
        store.count = len(records)
        store.timezones = sorted({r["timezone"] for r in records if r.get("timezone")})
        store.directory = ""
        store.kinds = kinds or {}
        return store

    def search(self, targets: dict[str, int] | list[str], filters: Filters = Filters(),
               limit: int = 10) -> tuple[list[Found], list[str]]:
        """The best `limit` listings linked to `targets` (knowledge-base ids the need matched,
        each with its weight: who the need is about or what it faces counts more than a kind
        of place), and notes for stderr on filters the data cannot answer. When the need
        named a who or a what (weight 2 or more), a listing must link to one of them."""
        weights = targets if isinstance(targets, dict) else dict.fromkeys(targets, 1)
        if not weights or not self.count:
            return [], []
        self._fit(weights)
        params: list = []
        near = filters.near
        if near is not None:
            cos = math.cos(math.radians(near.latitude))
            d2 = ("CASE WHEN l.lat IS NULL THEN NULL ELSE (l.lat - ?) * (l.lat - ?) + "
                  "(l.lon - ?) * (l.lon - ?) * ? END")
            d2_params = [near.latitude, near.latitude, near.longitude, near.longitude, cos * cos]
            county = re.sub(r"\s+county$", "", near.county.lower()) or "\x00"
            city = near.city.lower() or "\x00"
            covered = (f"CASE WHEN instr(l.modes, 'online') > 0 AND instr(l.modes, 'in-person') "
                       f"= 0 THEN 1 WHEN l.areas IS NOT NULL THEN (instr(l.areas, ?) > 0 OR "
                       f"instr(l.areas, ?) > 0 OR instr(l.areas, 'nationwide') > 0 OR "
                       f"instr(l.areas, 'national') > 0) ELSE coalesce(({d2}) <= ?, 0) END")
            cover_params = [county, city, *d2_params, (COVER_MILES / _DEGREE_MILES) ** 2]
        else:
            d2, d2_params, covered, cover_params = "NULL", [], "1", []
        where, where_params = self._where(filters)
        # A listing of the kind a matched setting names fits one better.
        kind_names = sorted({kind for target in weights for kind in self.kinds.get(target, ())})
        kind_fit = (f"fit.fit + (l.type IN ({','.join('?' * len(kind_names))}))" if kind_names
                    else "fit.fit")
        # Ranked on the small columns only; the records (a kilobyte or two each) are read
        # for the rows shown. The CROSS JOIN keeps the linked listings as the outer loop.
        # Opening hours are checked in Python for the best few hundred (most often enough are
        # open among them), then in SQL for the rest.
        sql = (f"SELECT l.n, {kind_fit}, fit.hits, l.lat, l.lon, "
               f"{covered} AS covered, {d2} AS d2, l.timezone FROM temp.fit fit CROSS JOIN listings l "
               f"ON l.n = fit.n {where}{{open}} ORDER BY covered DESC, 2 DESC, "
               f"d2 IS NULL, d2, l.updated IS NULL, l.updated DESC, l.n LIMIT ?")
        values = [*params, *kind_names, *cover_params, *d2_params, *where_params]
        if filters.when is None:
            rows = self.db.execute(sql.format(open=""), [*values, limit]).fetchall()
        else:
            first = self.db.execute(sql.format(open=""), [*values, _FIRST]).fetchall()
            rows = self._open_rows(first, filters.when)
            if len(rows) < limit and len(first) == _FIRST:
                clause, open_params = self._open_sql(filters.when)
                seen = ",".join(str(int(row[0])) for row in first)  # integers from the store
                rows += self.db.execute(
                    sql.format(open=(" AND " if where else " WHERE ") + clause
                               + (f" AND l.n NOT IN ({seen})" if seen else "")),
                    [*values, *open_params, limit - len(rows)]).fetchall()
        rows = rows[:limit]
        records = dict(self.db.execute(
            f"SELECT n, record FROM records WHERE n IN ({','.join('?' * len(rows))})",
            [row[0] for row in rows])) if rows else {}
        found = []
        for n, fit, hits, lat, lon, is_covered, _, _ in rows:
            distance = miles(near.latitude, near.longitude, lat, lon) \
                if near is not None and lat is not None else None
            found.append(Found(json.loads(records[n]), fit, hits.split(), distance,
                               bool(is_covered)))
        notes = self._notes(filters, len(found)) if filters.any and len(found) < limit else []
        return found, notes

    def _fit(self, weights: dict[str, int]) -> None:
        """The listings linked to the need, with their fit, into the temporary table `fit`
        (made once, read by the ranking, the opening-hours check and the notes).

        When the need named a who or a what (weight 2 or more), only listings linked to one of
        those count: they are found first, then their other links are summed, so a broad
        setting linked to half the store is never grouped whole."""
        self.db.execute("DROP TABLE IF EXISTS temp.fit")
        self.db.execute("DROP TABLE IF EXISTS temp.wanted")
        self.db.execute("CREATE TEMP TABLE wanted (target TEXT PRIMARY KEY, weight INTEGER)")
        self.db.executemany("INSERT INTO temp.wanted VALUES (?, ?)", weights.items())
        if max(weights.values()) >= 2:
            self.db.execute(
                "CREATE TEMP TABLE fit AS SELECT s.n AS n, SUM(w.weight) AS fit, "
                "group_concat(k.target, ' ') AS hits FROM (SELECT DISTINCT n FROM links "
                "WHERE target IN (SELECT target FROM temp.wanted WHERE weight >= 2)) s "
                "CROSS JOIN links k ON k.n = s.n CROSS JOIN temp.wanted w "
                "ON w.target = k.target GROUP BY s.n")
        else:
            self.db.execute(
                "CREATE TEMP TABLE fit AS SELECT k.n AS n, SUM(w.weight) AS fit, "
                "group_concat(k.target, ' ') AS hits FROM temp.wanted w CROSS JOIN links k "
                "ON k.target = w.target GROUP BY k.n")

    def _open_rows(self, rows: list, when: When) -> list:
        """The rows whose listing is open at `when`, in its own time zone."""
        hours: dict[int, list[tuple[int, int, int]]] = {}
        for n, day, opens, closes in self.db.execute(
                f"SELECT n, day, opens, closes FROM hours WHERE n IN "
                f"({','.join('?' * len(rows))})", [row[0] for row in rows]):
            hours.setdefault(n, []).append((day, opens, closes))
        local_times: dict[str, tuple[int, int] | None] = {}
        kept = []
        for row in rows:
            zone = row[7]
            if not zone or row[0] not in hours:
                continue
            if zone not in local_times:
                local_times[zone] = when.local(zone)
            local = local_times[zone]
            if local is not None and is_open(hours[row[0]], *local):
                kept.append(row)
        return kept

    def _open_sql(self, when: When) -> tuple[str, list]:
        """Open at `when`, in each listing's own time zone, as SQL."""
        clauses, params = [], []
        zones = self.timezones if when.instant is not None else [None]
        for zone in zones:
            local = when.local(zone) if zone else (when.day, when.minute)
            if local is None:
                continue
            day, minute = local
            zone_clause = "l.timezone = ? AND " if zone else ""
            clauses.append(
                f"({zone_clause}EXISTS (SELECT 1 FROM hours h WHERE h.n = l.n AND ("
                f"(h.day = ? AND h.opens <= ? AND (h.closes > ? OR h.closes < h.opens OR "
                f"(h.closes = h.opens AND ? < h.opens + 60))) OR "
                f"(h.day = ? AND h.closes < h.opens AND ? < h.closes))))")
            params += ([zone] if zone else []) + [day, minute, minute, minute, (day + 6) % 7,
                                                   minute]
        return ("(" + " OR ".join(clauses) + ")" if clauses else "0"), params

    def _where(self, filters: Filters) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        if filters.free:
            clauses.append("l.free = 1")
        if filters.language:
            clauses.append("instr(' ' || l.languages || ' ', ?) > 0")
            params.append(f" {filters.language} ")
        if filters.age is not None:
            clauses.append("(l.min_age IS NULL OR l.min_age <= ?) AND "
                           "(l.max_age IS NULL OR l.max_age >= ?)")
            params += [filters.age, filters.age]
        if filters.online:
            clauses.append("instr(l.modes, 'online') > 0")
        if filters.in_person:
            clauses.append("instr(l.modes, 'in-person') > 0")
        if filters.when is not None:
            clauses.append("l.timezone IS NOT NULL")
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _notes(self, filters: Filters, shown: int) -> list[str]:
        """What the filters could not answer, among the listings linked to the need."""
        total, no_free, no_language, no_ages, no_hours = self.db.execute(
            f"SELECT COUNT(*), SUM(l.free IS NULL), "
            f"SUM(l.languages IS NULL OR l.languages = ''), "
            f"SUM(l.min_age IS NULL AND l.max_age IS NULL), "
            f"SUM(l.timezone IS NULL OR NOT EXISTS (SELECT 1 FROM hours h WHERE h.n = l.n)) "
            f"FROM temp.fit fit CROSS JOIN listings l ON l.n = fit.n").fetchone()
        notes = []

        def note(active: bool, unknown: int, what: str, effect: str) -> None:
            if active and unknown:
                notes.append(f"{unknown} of the {total} local listings that fit {what}; {effect}")

        note(filters.free, no_free, "do not say whether they are free", "--free left them out")
        note(bool(filters.language), no_language, "name no language",
             "--language left them out")
        note(filters.age is not None, no_ages, "state no ages", "--age kept them: ask them")
        note(filters.when is not None, no_hours, "give no weekly hours",
             "--open left them out")
        if not shown and total:
            notes.append(f"no local listing passes every filter (of {total} that fit the need)")
        return notes


def explain(found: Found, names: dict[str, str], filters: Filters,
            language_names: dict[str, str] | None = None) -> list[str]:
    """Why a listing was chosen, in short phrases (JSON `why`; the text output joins them)."""
    record = found.record
    why = []
    hits = [names.get(hit, hit) for hit in found.hits]
    if hits:
        why.append("fits " + ", ".join(dict.fromkeys(hits)))
    if found.distance is not None:
        where = f"{found.distance:.1f} miles away"
        why.append(where if found.covered else f"{where}, outside the area it serves")
    elif filters.near is not None:
        online_only = "online" in record.get("modes", ()) and \
            "in-person" not in record.get("modes", ())
        why.append("online" if online_only else "location unknown")
    if filters.when is not None:
        why.append("open now" if filters.when.instant is not None else "open then")
    if filters.language:
        why.append((language_names or {}).get(filters.language, filters.language))
    if filters.free:
        why.append("free")
    if filters.age is not None:
        low, high = (record.get("ages") or [None, None])[:2]
        why.append(f"ages {low if low is not None else 0}-{high}" if high is not None
                   else f"ages {low} and over" if low is not None else "no age limit given")
    if filters.online:
        why.append("online")
    if filters.in_person:
        why.append("in person")
    return why


def freshness(record: dict) -> str:
    """"from 211 Miami, updated 2019-08-19": the directory's own date, labelled as its."""
    directory = record.get("directory") or "a local directory"
    updated = record.get("updated")
    return f"from {directory}, updated {updated}" if updated else \
        f"from {directory}, date unknown"


STALE_AFTER_DAYS = 365


def stale(store: ListingStore, today: _dt.date) -> tuple[int, int, str]:
    """How many listings are dated more than a year before `today`, how many carry no date,
    and the oldest date."""
    cutoff = (today - _dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()
    old, undated, oldest = store.db.execute(
        "SELECT SUM(updated < ?), SUM(updated IS NULL), MIN(updated) FROM listings",
        (cutoff,)).fetchone()
    return int(old or 0), int(undated or 0), oldest or ""
