"""Import directories of local services as peerfind listings.

One reader per source format turns its input into neutral listings (`listing.py`):
`hsds_tables` (an HSDS Tabular Data Package, folder or zip), `hsds_json` (HSDS 3.0 JSON) and
`meeting_guide` (Meeting Guide feeds of 12-step meetings). `build` keeps, cleans, types and
links them by the rules of data/hsds.yaml (`rules`); `write` writes a knowledge-base YAML file
or a SQLite listing store. A bad record is counted and reported, never fatal; only input that
cannot be read at all raises PeerfindError.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any

from .listing import LIMITS, ImportSummary, Limits, Listing

if TYPE_CHECKING:
    from .hsds_tables import Counted
    from .rules import Rules

# Imported when first used: a search reads importers.hours and importers.listing, and should
# not pay for the CSV, zip and YAML machinery of an import.
_LAZY = {"dump_yaml": "write", "write_atomic": "write", "write_store": "write",
         "yaml_document": "write", "load_rules": "rules"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)

__all__ = ["ImportSummary", "Import", "Limits", "LIMITS", "dump_yaml", "load_rules",
           "read_import", "write_atomic"]

HSDS, MEETINGS = "hsds", "meetings"
# Open Referral's exports name their zip by the Unix time they were made
# ("datapackage-1566177582.zip"): the package's date when nothing inside gives one.
_EPOCH_NAME = re.compile(r"(?<!\d)(1[0-9]{9})(?!\d)")


def _no_progress(done: int, total: int) -> None:
    """Progress for a caller that shows none."""


@dataclass
class Import:
    """An import under way: `records()` yields each kept record (once); `summary` is complete
    when they have all been read; `meta` describes the source for the written file."""

    path: Path
    summary: ImportSummary
    meta: dict
    directory: str
    rules: Rules
    _records: Iterator[dict] = field(repr=False, default=iter(()))

    def records(self) -> Iterator[dict]:
        return self._records


def _input_name(path: Path) -> str:
    return path.name if path.is_dir() else path.stem


def _name_date(path: Path) -> str:
    found = _EPOCH_NAME.search(path.name)
    if not found:
        return ""
    day = _dt.datetime.fromtimestamp(int(found.group(1)), _dt.timezone.utc).date()
    return day.isoformat() if day.year >= 2001 else ""


def read_import(path: Path, kb, *, kind: str = HSDS, keep_all: bool = False,
                prefix: str | None = None, directory: str | None = None,
                updated: str | None = None, fellowship: str = "", rules: Rules | None = None,
                limits: Limits = LIMITS, places=None,
                on_progress: Callable[[int, int], None] = _no_progress,
                today: _dt.date | None = None) -> Import:
    """Open an import of `path` (an HSDS package or JSON file, or a Meeting Guide feed).

    `directory` names the source in every listing ("211 Miami"; default: the file name);
    `updated` is the package's date for records that carry none (default: datapackage.json's
    `created`, or a Unix time in the file name). Entry ids are `prefix` (default: the file
    or folder name, slugged) and the record id.
    """
    from .build import Builder
    from .clean import shown, slug
    from .rules import load_rules

    path = Path(path)
    rules = rules if rules is not None else load_rules()
    summary = ImportSummary(source=shown(path.name))
    listings, info = _read(path, kind, summary, rules, fellowship, limits)
    prefix = slug(prefix if prefix is not None else _input_name(path)) or kind
    directory = directory or _input_name(path)
    date = updated or info.get("date") or _name_date(path)
    if updated is None and not info.get("date") and date:
        summary.warnings.append(f"dated {date} by the Unix time in the file name")
    builder = Builder(kb, rules, summary, file_name=shown(path.name), prefix=prefix,
                      directory=directory, date=date, keep_all=keep_all, places=places,
                      limits=limits)
    today = today or _dt.date.today()
    sources = [f"{shown(path.name)}: {info.get('title') or directory}, imported "
               f"{today.isoformat()} by peerfind"]
    if info.get("license"):
        sources.append(f"{shown(path.name)} licence: {shown(info['license'])}")
    meta = {"name": f"Import of {shown(path.name)}", "sources": sources}
    if date:
        meta["checked"] = date
    return Import(path, summary, meta, directory, rules,
                  _build(listings, builder, summary, rules, kind, on_progress))


def _read(path: Path, kind: str, summary: ImportSummary, rules: Rules, fellowship: str,
          limits: Limits) -> tuple[Counted | list[Listing], dict]:
    from .sources import fail, open_regular

    if not path.exists():
        raise fail(path, "no such file or folder")
    if kind == MEETINGS:
        from .meeting_guide import read_feed

        if path.is_dir():
            raise fail(path, "a folder, not a Meeting Guide feed (a .json file)")
        return read_feed(path, summary, rules, fellowship, limits), {}
    if path.is_dir() or path.name.lower() == "datapackage.json":
        from .hsds_tables import read_package

        return read_package(path, summary, limits)
    with open_regular(path) as handle:
        head = handle.read(64)
    if head.startswith(b"PK") or path.suffix.lower() == ".zip":
        from .hsds_tables import read_package

        return read_package(path, summary, limits)
    if path.suffix.lower() == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        from .hsds_json import read_json

        return read_json(path, summary, limits), {}
    raise fail(path, "not an HSDS export (expected a folder or .zip with datapackage.json "
                     "and CSV tables, or an HSDS .json file)")


def _build(listings, builder, summary: ImportSummary, rules: Rules, kind: str,
           on_progress: Callable[[int, int], None]) -> Iterator[dict]:
    from .meeting_guide import meeting_links

    total = len(listings)
    for done, listing in enumerate(listings, 1):
        summary.read += 1
        extra = meeting_links(listing, rules) if kind == MEETINGS else ()
        record = builder.record(listing, extra)
        if record is not None:
            summary.kept += 1
            yield record
        on_progress(done, total)
    if builder.blank_ids:
        blank = builder.blank_ids
        more = ", ..." if len(blank) > 3 else ""
        summary.warnings.append(f"{len(blank)} {summary.what} have a blank id: listed by row "
                                f"number instead ({', '.join(blank[:3])}{more})")
    for national, count in sorted(builder.folded.items()):
        summary.warnings.append(f"{count} listings repeat the checked national entry "
                                f"'{national}': shown once, from the knowledge base")
