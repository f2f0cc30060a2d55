"""Writing an import: a knowledge-base YAML document (small, hand-checked files) or a SQLite
listing store (`local.db`, for directories of any size), always through a temporary file in
the same folder renamed into place."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .clean import shown

SCHEMA_VERSION = 1  # of the knowledge-base document written
from ..knowledge.files import STORE_VERSION

# The fields a knowledge-base file's organization entry has; the rest of a record (hours as
# data, coordinates, ages, fees...) is kept by the listing store.
YAML_FIELDS = ("id", "name", "type", "organization", "description", "address", "schedule",
               "languages", "eligibility", "modes", "contacts", "settings", "populations",
               "conditions", "local", "source")


def write_atomic(path: Path, write: Callable[[Path], object], *, force: bool = False) -> None:
    """Call `write(temp)` on a private new file beside `path`, then rename it into place. For
    files another library writes (a SQLite store); text goes through output.files.write_atomic.

    A full disk leaves the old file (or none), never a truncated one. An existing output is
    replaced only with `force`; a symbolic link at the path is never followed or replaced.
    """
    path = Path(path)
    if path.is_symlink():
        raise UsageError(f"{shown(path)}: is a symbolic link; not written through (give the "
                         f"real path)")
    if path.exists() and not force:
        raise UsageError(f"{shown(path)}: already exists; add --force to replace it")
    if path.exists() and not path.is_file():
        raise UsageError(f"{shown(path)}: not a regular file; not replaced")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as exc:
        raise UsageError(f"{shown(path)}: cannot write ({exc.strerror or type(exc).__name__})") \
            from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UsageError(f"{shown(path)}: cannot write ({exc.strerror or type(exc).__name__})") \
            from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def yaml_document(records: Iterable[dict], meta: dict) -> dict:
    """A knowledge-base document: the records as organization entries (`checked` is the
    record's own date, when it has one)."""
    organizations = []
    undated = 0
    for record in records:
        entry = {name: record[name] for name in YAML_FIELDS if name in record}
        if record.get("updated"):
            entry["checked"] = record["updated"]
        else:
            undated += 1
        organizations.append(entry)
    if undated:
        # A knowledge-base file dates every contact, and the day of the import is not the
        # day anyone checked the listing.
        raise UsageError(f"{undated} listings carry no date of their own: give the export's "
                         f"date with --updated DATE, or write a .db listing store")
    return {"schema": SCHEMA_VERSION, "meta": meta, "organizations": organizations}


def dump_yaml(document: dict) -> str:
    """Safe, readable YAML: unicode as is, keys in order, long text as literal blocks."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper, value: str):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE listings (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT,
    lat REAL, lon REAL,
    postal_code TEXT,
    timezone TEXT,
    free INTEGER,
    min_age INTEGER, max_age INTEGER,
    modes TEXT,
    languages TEXT,
    updated TEXT,
    areas TEXT,
    words TEXT
);
CREATE TABLE records (n INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE links (target TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE hours (n INTEGER NOT NULL, day INTEGER, opens INTEGER, closes INTEGER);
"""
_INDEXES = """
CREATE INDEX links_target ON links (target, n);
CREATE INDEX links_n ON links (n, target);
CREATE INDEX hours_n ON hours (n);
CREATE INDEX listings_lat ON listings (lat);
"""


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def write_store(path: Path | sqlite3.Connection, records: Iterable[dict], meta: dict[str, Any],
                words: Callable[[dict], str]) -> int:
    """Write records into a new SQLite listing store at `path`; returns how many.

    Each record is kept whole as JSON in `records` (decoded only for the few listings a search
    shows); `listings` holds the narrow columns filters and ranking read, so that ranking
    thousands of them reads few pages; links and hours are in indexed tables.
    """
    db = path if isinstance(path, sqlite3.Connection) else sqlite3.connect(path)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        count = 0
        zones: set[str] = set()
        batch: list[tuple] = []
        links: list[tuple] = []
        hours: list[tuple] = []
        whole: list[tuple] = []

        def flush() -> None:
            db.executemany("INSERT INTO listings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            db.executemany("INSERT INTO records VALUES (?, ?)", whole)
            whole.clear()
            db.executemany("INSERT INTO links VALUES (?, ?)", links)
            db.executemany("INSERT INTO hours VALUES (?, ?, ?, ?)", hours)
            batch.clear()
            links.clear()
            hours.clear()

        for count, record in enumerate(records, 1):
            ages = record.get("ages") or [None, None]
            if record.get("timezone"):
                zones.add(record["timezone"])
            free = record.get("free")
            batch.append((
                count, record["id"], record.get("type"), record.get("latitude"),
                record.get("longitude"), record.get("postal_code"), record.get("timezone"),
                None if free is None else int(free), ages[0], ages[1],
                " ".join(record.get("modes", ())), " ".join(record.get("language_codes", ())),
                record.get("updated"),
                " | ".join(record["service_areas"]).lower() if record.get("service_areas") else None,
                words(record)))
            whole.append((count, json.dumps(record, ensure_ascii=False, separators=(",", ":"))))
            for section in ("settings", "populations", "conditions"):
                links.extend((target, count) for target in record.get(section, ()))
            hours.extend((count, day, _minutes(opens), _minutes(closes))
                         for day, opens, closes in record.get("hours", ()))
            if len(batch) >= 5000:
                flush()
        flush()
        db.executescript(_INDEXES)
        db.executemany("INSERT INTO meta VALUES (?, ?)",
                       [("store_version", str(STORE_VERSION)), ("count", str(count)),
                        ("timezones", json.dumps(sorted(zones)))]
                       + [(name, json.dumps(value, ensure_ascii=False))
                          for name, value in meta.items()])
        db.commit()
    finally:
        if db is not path:
            db.close()
    return count
