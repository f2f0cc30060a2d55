"""Where a ZIP code or a "City, ST" is: centroids and time zones from the `zipcodes` package
(the US Postal Service's ZIP codes with their coordinates and time zones), and distances.

Loading the package's 42,000 ZIP codes takes about a third of a second, more than a whole
search, so a search reads them from a small SQLite copy in the cache folder, made once per
version of the package.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
_CITY = re.compile(r"^\s*(.+?)\s*,?\s+([A-Za-z]{2})\s*$")
EARTH_MILES = 3958.8


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    timezone: str = ""
    city: str = ""
    state: str = ""
    county: str = ""


def miles(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance (haversine) in miles."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MILES * math.asin(min(1.0, math.sqrt(h)))


def _city_key(city: str, state: str) -> str:
    return f"{' '.join(re.sub(r'[^a-z0-9 ]+', ' ', city.lower()).split())}|{state.upper()}"


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("zipcodes")
    except Exception:  # noqa: BLE001 - any failure: rebuild under a neutral name
        return "0"


class Places:
    """ZIP and city look-ups. `cache` is a folder for the SQLite copy; None keeps it in
    memory (imports, tests)."""

    def __init__(self, cache: Path | None = None) -> None:
        self._cache = cache
        self._db: sqlite3.Connection | None = None
        self._zips: dict[str, Place | None] = {}  # an import asks for the same few often

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        if self._cache is None:
            self._db = sqlite3.connect(":memory:")
            _fill(self._db)
            return self._db
        path = self._cache / f"places-{_version()}-2.sqlite"
        if path.is_file():
            try:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                db.execute("SELECT 1 FROM zips LIMIT 1")
                self._db = db
                return db
            except sqlite3.Error:
                pass
        self._cache.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        # Made by a child process: the package's 42,000 ZIP codes as Python objects take more
        # than 100 MB, which an import would otherwise carry on top of its tables.
        import subprocess
        import sys

        made = subprocess.run([sys.executable, "-c", "import sys; from peerfind.geo import "
                               "make_table; make_table(sys.argv[1])", str(temp)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
        try:
            if not made:
                make_table(str(temp))
            os.replace(temp, path)
        except (OSError, sqlite3.Error):
            temp.unlink(missing_ok=True)
            db = sqlite3.connect(":memory:")
            _fill(db)
            self._db = db
            return db
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return self._db

    def zip_place(self, code: str) -> Place | None:
        found = _ZIP.match(code or "")
        if not found:
            return None
        if found.group(1) not in self._zips:
            row = self._connect().execute(
                "SELECT lat, lon, tz, city, state, county FROM zips WHERE zip = ?",
                (found.group(1),)).fetchone()
            self._zips[found.group(1)] = Place(*row) if row else None
        return self._zips[found.group(1)]

    def find(self, text: str) -> Place | None:
        """A ZIP code ("33137", "33137-1234") or "City, ST" ("Miami, FL"); None if unknown."""
        if _ZIP.match(text or ""):
            return self.zip_place(text)
        found = _CITY.match(text or "")
        if not found:
            return None
        row = self._connect().execute(
            "SELECT lat, lon, tz, city, state, county FROM cities WHERE key = ?",
            (_city_key(found.group(1), found.group(2)),)).fetchone()
        return Place(*row) if row else None


def make_table(path: str) -> None:
    """Write the ZIP code and city table to a new SQLite file at `path`."""
    db = sqlite3.connect(path)
    try:
        _fill(db)
    finally:
        db.close()


def _fill(db: sqlite3.Connection) -> None:
    import zipcodes

    rows = []
    cities: dict[str, list] = {}
    for item in zipcodes.list_all():
        try:
            lat, lon = float(item["lat"]), float(item["long"])
        except (KeyError, TypeError, ValueError):
            continue
        rows.append((item["zip_code"], lat, lon, item.get("timezone") or "", item["city"],
                     item["state"], item.get("county") or ""))
        # A city's centre: the mean of its delivery ZIP codes (PO-box-only codes sit on the
        # post office, which would pull it toward downtown).
        if item.get("zip_code_type") == "STANDARD" or not cities.get(
                _city_key(item["city"], item["state"])):
            cities.setdefault(_city_key(item["city"], item["state"]), []).append(
                (lat, lon, item.get("timezone") or "", item["city"], item["state"],
                 item.get("county") or ""))
    db.execute("CREATE TABLE zips (zip TEXT PRIMARY KEY, lat REAL, lon REAL, tz TEXT, "
               "city TEXT, state TEXT, county TEXT)")
    db.executemany("INSERT OR IGNORE INTO zips VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("CREATE TABLE cities (key TEXT PRIMARY KEY, lat REAL, lon REAL, tz TEXT, "
               "city TEXT, state TEXT, county TEXT)")
    db.executemany("INSERT INTO cities VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (city_key, sum(p[0] for p in points) / len(points),
         sum(p[1] for p in points) / len(points), points[0][2], points[0][3], points[0][4],
         points[0][5])
        for city_key, points in cities.items()])
    db.commit()
