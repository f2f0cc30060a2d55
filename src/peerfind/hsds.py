"""Import an HSDS export (a 211 or community resource directory) as a local knowledge base.

Open Referral's Human Services Data Specification comes in two shapes: a Tabular Data Package
(``datapackage.json`` and CSV tables, in a folder or a .zip; HSDS 1.1/2.0 and 3.0 table names)
and HSDS 3.0 JSON (one record, a list, or a paginated API response). Both are read into one
neutral `_Listing` per service, so keeping, classifying and writing entries is done once.

What to keep and how to link a listing to the knowledge base is data (``data/hsds.yaml``);
this module only reads, cleans and applies those rules. Real exports are messy, so a bad record
is counted and reported, never fatal; only input that cannot be read at all raises.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import PeerfindError

RULES_PATH = Path(__file__).resolve().parent / "data" / "hsds.yaml"
from .knowledge.schema import KB_SCHEMA_VERSION as SCHEMA_VERSION  # of the document written

# Reasons a service is skipped (keys of ImportSummary.skipped).
NOT_RELATED = "not peer-support related"
DUPLICATE_ID = "duplicate id"
INACTIVE = "inactive"
NO_NAME = "no name"

# Canonical tables and the resource names / file stems that HSDS 1.1, 2.0 and 3.0 use for them.
_TABLES: dict[str, tuple[str, ...]] = {
    "services": ("service", "services"),
    "organizations": ("organization", "organizations"),
    "locations": ("location", "locations"),
    "service_at_location": ("service_at_location", "services_at_location",
                            "service_at_locations", "services_at_locations"),
    "phones": ("phone", "phones"),
    "addresses": ("physical_address", "physical_addresses", "address", "addresses"),
    "schedules": ("regular_schedule", "regular_schedules", "schedule", "schedules"),
    "languages": ("language", "languages"),
    "eligibility": ("eligibility", "eligibilities"),
    "service_taxonomy": ("service_taxonomy", "services_taxonomy", "service_attribute",
                         "service_attributes"),
    "attributes": ("attribute", "attributes"),
    "taxonomy": ("taxonomy", "taxonomy_term", "taxonomy_terms"),
    "contacts": ("contact", "contacts"),
    "metadata": ("metadata",),
}
_TABLE_OF = {alias: table for table, aliases in _TABLES.items() for alias in aliases}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = {
    **{name: i for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{name.lower(): i for i, name in enumerate(_WEEKDAYS)},
    **{code: i for i, code in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))},
    "tues": 1, "wed": 2, "thur": 3, "thurs": 3,
}
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*([ap])?\.?\s*m?\.?$", re.I)
_EXTENSION = re.compile(r"^(.*?)\s*(?:x|ext\.?|extension)\s*(\S+)$", re.I)
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_PO_BOX = re.compile(r"^\s*(?:P\.?\s*O\.?\s*Box|Post\s+Office\s+Box|Box\s+\d)", re.I)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHE = re.compile(r"['`]")

# Mojibake that ftfy cannot see: UTF-8 read as code page 437, then squeezed into Windows-1252
# by "best fit", which turned the lead byte's box-drawing or Greek letter into ASCII
# (Γ -> G for E2, ├ -> + for C3, ┬ -> - for C2). "ChildrenGÇÖs" is "Children’s".
_CP437_TAIL = {bytes([b]).decode("cp437"): b for b in range(0x80, 0xC0)}
_CP437_TAIL["¬"] = 0xA9  # best fit wrote ⌐ (A9, é) as ¬; é is far commoner than ê
_CP437_TAIL["¦"] = 0xB3  # and │ (B3, ó) as ¦; ñ (▒) shares it, see hsds.yaml text.words
_TAIL = "[" + re.escape("".join(_CP437_TAIL)) + "]"
_BEST_FIT = re.compile(f"G{_TAIL}{_TAIL}|-Ç-{_TAIL}|[+-]{_TAIL}")
_LEAD = {"G": 0xE2, "+": 0xC3, "-": 0xC2}
# "-" + tail decodes to U+0080-U+00BF; only the few that real text holds count (no-break
# space, quotes and dashes as cp1252 C1 controls, ©, ®, °, «, », ¿), so "Jean-Étienne" and
# "co-ópera" stay as they are.
_C2_TAILS = frozenset([0xA0, 0xA9, 0xAE, 0xB0, 0xAB, 0xBB, 0xBF, 0x80, 0x85, 0x91, 0x92, 0x93,
                       0x94, 0x96, 0x97, 0x99])
_LOST_LEAD = re.compile("\x80([\x93\x94\x98\x99\x9c\x9d\xa2\xa6])")


@dataclass
class ImportSummary:
    """What an import read, kept and skipped, for a person reading stderr."""

    read: int = 0  # services read
    kept: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    warnings: list[str] = field(default_factory=list)
    source: str = ""

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def lines(self) -> list[str]:
        total = sum(self.skipped.values())
        lines = [f"read {self.read} services from {self.source or 'the export'}: "
                 f"kept {self.kept}, skipped {total}"]
        if self.skipped:
            lines.append("skipped: " + ", ".join(
                f"{count} {reason}" for reason, count in
                sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))))
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return lines


def load_rules(path: Path = RULES_PATH) -> Rules:
    """The import rules (data/hsds.yaml), compiled for matching."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PeerfindError(f"{path}: cannot read the HSDS import rules ({exc})") from None
    return _compile_rules(raw)


def import_hsds(path: Path, kb, *, keep_all: bool = False, today: _dt.date | None = None,
                on_progress: Callable[[int, int], None] | None = None,
                prefix: str | None = None, rules: Rules | None = None) -> tuple[dict, ImportSummary]:
    """Read an HSDS export and return a knowledge-base document plus a summary.

    `path` is a folder or .zip Tabular Data Package (datapackage.json + CSVs, HSDS 1.1/2.0 and
    3.0 table names), or an HSDS 3.0 JSON file (a list, one service or organization record, or
    a paginated {"contents": [...]} response). The document is a dict ready to dump as YAML:
    {"schema": 1, "meta": {...}, "organizations": [...]}. Entry ids are `prefix` (default: the
    file or folder name, slugged) and the record id.
    """
    path = Path(path)
    today = today or _dt.date.today()
    rules = rules if rules is not None else load_rules()
    summary = ImportSummary(source=path.name)
    prefix = _slug(prefix if prefix is not None else _input_name(path)) or "hsds"
    listings, info = _read(path, summary)
    total = len(listings)

    builder = _Builder(kb, rules, summary, file_name=path.name, prefix=prefix, today=today,
                       keep_all=keep_all)
    organizations = []
    for done, listing in enumerate(listings, 1):
        summary.read += 1
        entry = builder.entry(listing)
        if entry is not None:
            organizations.append(entry)
            summary.kept += 1
        if on_progress is not None:
            on_progress(done, total)
    if builder.blank_ids:
        blank = builder.blank_ids
        shown = ", ".join(blank[:3]) + (", ..." if len(blank) > 3 else "")
        summary.warnings.append(f"{len(blank)} services have a blank id: listed by row "
                                f"number instead ({shown})")

    sources = [f"{path.name}: {info.get('title') or 'HSDS export'}, imported {today.isoformat()}"
               f" by peerfind"]
    if info.get("license"):
        sources.append(f"{path.name} licence: {info['license']}")
    document = {
        "schema": SCHEMA_VERSION,
        "meta": {"name": f"HSDS import of {path.name}", "checked": today.isoformat(),
                 "sources": sources},
        "organizations": organizations,
    }
    return document, summary


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


# -- the neutral listing ---------------------------------------------------------------------


@dataclass
class _Listing:
    """One service as read from either shape, before cleaning and classification."""

    record_id: str
    table: str  # where it came from: "services.csv", "service", "organization"
    row: int  # 1-based position in its table or list, for blank ids
    name: str = ""
    alternate_name: str = ""
    description: str = ""
    organization: str = ""
    url: str = ""
    email: str = ""
    org_url: str = ""
    org_email: str = ""
    status: str = ""
    phones: list[dict] = field(default_factory=list)  # number, extension, type, description, language
    org_phones: list[dict] = field(default_factory=list)
    addresses: list[dict] = field(default_factory=list)  # physical addresses
    location_types: set[str] = field(default_factory=set)
    schedules: list[dict] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    eligibility: list[str] = field(default_factory=list)
    minimum_age: Any = None
    maximum_age: Any = None
    terms: list[tuple[str, str]] = field(default_factory=list)  # (code or id, name)
    last_modified: str = ""


# -- reading ---------------------------------------------------------------------------------


def _fail(path: Path | str, message: str) -> PeerfindError:
    return PeerfindError(f"{path}: {message}")


def _read(path: Path, summary: ImportSummary) -> tuple[list[_Listing], dict]:
    """Listings and package information (title, licence) from any supported input."""
    if not path.exists():
        raise _fail(path, "no such file or folder")
    if path.is_dir():
        return _read_package(_FolderSource(path), summary)
    if path.name.lower() == "datapackage.json":
        return _read_package(_FolderSource(path.parent), summary)
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise _fail(path, f"cannot read ({exc.strerror or type(exc).__name__})") from None
    if head.startswith(b"PK") or path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise _fail(path, "not a valid zip file") from None
        with archive:
            return _read_package(_ZipSource(path, archive), summary)
    if path.suffix.lower() == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return _read_json(path, summary), {}
    raise _fail(path, "not an HSDS export (expected a folder or .zip with datapackage.json "
                      "and CSV tables, or an HSDS .json file)")


class _FolderSource:
    """Files of a package folder, by path relative to it."""

    MAX_DEPTH = 3  # a package's tables sit at most a few folders down (data/, export/data/)

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, Path] = {}
        for folder, subfolders, names in os.walk(root):
            depth = len(Path(folder).relative_to(root).parts)
            if depth >= self.MAX_DEPTH:
                subfolders.clear()
            for name in names:
                file = Path(folder) / name
                self.files[file.relative_to(root).as_posix()] = file

    def read(self, name: str) -> bytes:
        try:
            return self.files[name].read_bytes()
        except OSError as exc:
            raise _fail(self.files[name], f"cannot read ({exc.strerror or type(exc).__name__})") \
                from None


class _ZipSource:
    """Files of a zipped package, by path inside the archive."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.root = path
        self.archive = archive
        self.files = {info.filename: info for info in archive.infolist() if not info.is_dir()}

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(self.files[name])
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise _fail(f"{self.root}:{name}", f"cannot be unpacked ({exc})") from None


def _read_package(source, summary: ImportSummary) -> tuple[list[_Listing], dict]:
    """A Tabular Data Package: locate each table, read the CSVs, join them into listings."""
    where = source.root
    descriptors = sorted((name for name in source.files
                          if PurePosixPath(name).name.lower() == "datapackage.json"),
                         key=lambda name: name.count("/"))
    package: dict = {}
    base = ""
    if descriptors:
        parent = str(PurePosixPath(descriptors[0]).parent)
        base = "" if parent == "." else parent
        raw = source.read(descriptors[0])
        try:
            package = json.loads(raw.decode("utf-8-sig"))
            if not isinstance(package, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            preview = raw[:40].decode("utf-8", "replace").strip()
            summary.warnings.append(
                f"{descriptors[0]} is not a JSON object (it begins {preview!r}); "
                f"tables are found by their standard file names")
            package = {}
    csv_by_name: dict[str, list[str]] = defaultdict(list)
    for name in source.files:
        if name.lower().endswith(".csv"):
            csv_by_name[PurePosixPath(name).name.lower()].append(name)

    located: dict[str, tuple[str, str]] = {}  # table -> (file, label)
    resources = package.get("resources") if isinstance(package.get("resources"), list) else []
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        res_path = resource.get("path")
        res_path = res_path[0] if isinstance(res_path, list) and res_path else res_path
        res_name = str(resource.get("name") or "")
        if not isinstance(res_path, str) or not res_path:
            continue
        stem = PurePosixPath(res_path).stem.lower()
        table = _TABLE_OF.get(res_name.lower()) or _TABLE_OF.get(stem)
        if table is None or table in located:
            continue
        found = _find_file(source, base, res_path, csv_by_name)
        if found is None:
            summary.warnings.append(f"table '{res_name or stem}' is listed in datapackage.json "
                                    f"but {PurePosixPath(res_path).name} is absent")
            located[table] = ("", res_name)
        else:
            located[table] = (found, res_name)
    for table, aliases in _TABLES.items():
        if table in located:
            continue
        for alias in aliases:
            names = csv_by_name.get(f"{alias}.csv")
            if names:
                located[table] = (sorted(names, key=lambda n: n.count("/"))[0], alias)
                break
    if not located.get("services", ("",))[0] and not located.get("organizations", ("",))[0]:
        raise _fail(where, "not an HSDS export: no services or organizations table "
                           "(expected datapackage.json with services.csv)")

    tables = {table: _read_csv(source, name, summary) if name else []
              for table, (name, _) in located.items()}
    files = {table: PurePosixPath(name).name for table, (name, _) in located.items() if name}
    license_ = package.get("license") or package.get("licenses")
    if isinstance(license_, list):
        license_ = license_[0] if license_ else ""
    if isinstance(license_, dict):
        license_ = license_.get("type") or license_.get("name") or license_.get("path") or ""
    info = {"title": str(package.get("title") or package.get("name") or ""),
            "license": str(license_ or "")}
    return list(_join_tables(tables, files, summary)), info


def _find_file(source, base: str, res_path: str, csv_by_name) -> str | None:
    joined = str(PurePosixPath(base) / res_path) if base else res_path
    if joined in source.files:
        return joined
    # Packages are often moved into a data/ folder without updating their paths.
    names = csv_by_name.get(PurePosixPath(res_path).name.lower())
    return sorted(names, key=lambda n: n.count("/"))[0] if names else None


def _read_csv(source, name: str, summary: ImportSummary) -> list[dict[str, str]]:
    raw = source.read(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
        summary.warnings.append(f"{PurePosixPath(name).name} is not UTF-8: read as Windows-1252")
    if "\x00" in text:
        text = text.replace("\x00", "")
    # 211 descriptions can exceed csv's default 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 10_000_000))
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in next(reader, [])]
        rows = [dict(zip(header, row)) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        summary.warnings.append(f"{PurePosixPath(name).name} could not be read as CSV ({exc}); "
                                f"skipped")
        return []
    return rows


def _get(row: dict, *keys: str) -> str:
    for key in keys:
        value = row.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        value = _get(row, key)
        if value:
            grouped[value].append(row)
    return grouped


def _join_tables(tables: dict[str, list[dict]], files: dict[str, str],
                 summary: ImportSummary) -> Iterator[_Listing]:
    """Listings from tabular HSDS, joined through dict indexes (one pass per table)."""
    organizations = {_get(row, "id"): row for row in tables.get("organizations", ())}
    locations = {_get(row, "id"): row for row in tables.get("locations", ())}
    locations_by_org = _group(tables.get("locations", []), "organization_id")
    sal_rows = tables.get("service_at_location", [])
    sal_by_service = _group(sal_rows, "service_id")
    sal_by_id = {_get(row, "id"): row for row in sal_rows if _get(row, "id")}
    sal_by_location = _group(sal_rows, "location_id")
    addresses = _group(tables.get("addresses", []), "location_id")
    contacts = {_get(row, "id"): row for row in tables.get("contacts", ()) if _get(row, "id")}

    # Phones may name a service, a service-at-location, a contact, a location and an
    # organization at once; the most specific parent wins, so a number is never listed under
    # an unrelated service of the same location.
    phones_by_service: dict[str, list[dict]] = defaultdict(list)
    phones_by_location: dict[str, list[dict]] = defaultdict(list)
    phones_by_org: dict[str, list[dict]] = defaultdict(list)
    for phone in tables.get("phones", []):
        service_id = _get(phone, "service_id")
        if not service_id and _get(phone, "service_at_location_id") in sal_by_id:
            service_id = _get(sal_by_id[_get(phone, "service_at_location_id")], "service_id")
        if not service_id and _get(phone, "contact_id") in contacts:
            service_id = _get(contacts[_get(phone, "contact_id")], "service_id")
        if service_id:
            phones_by_service[service_id].append(phone)
        elif _get(phone, "location_id"):
            phones_by_location[_get(phone, "location_id")].append(phone)
        elif _get(phone, "organization_id"):
            phones_by_org[_get(phone, "organization_id")].append(phone)

    schedules = tables.get("schedules", [])
    schedules_by_service = _group(schedules, "service_id")
    schedules_by_sal = _group([r for r in schedules if not _get(r, "service_id")],
                              "service_at_location_id")
    schedules_by_location = _group(
        [r for r in schedules if not _get(r, "service_id", "service_at_location_id")],
        "location_id")
    language_rows = tables.get("languages", [])
    languages_by_service = _group(language_rows, "service_id")
    languages_by_location = _group([r for r in language_rows if not _get(r, "service_id")],
                                   "location_id")
    eligibility_rows = tables.get("eligibility", [])
    eligibility = _group(eligibility_rows, "service_id")
    unlinked = sum(1 for row in eligibility_rows if not _get(row, "service_id"))
    if unlinked:
        summary.warnings.append(f"{files.get('eligibility', 'eligibility')}: {unlinked} of "
                                f"{len(eligibility_rows)} rows name no service_id; their "
                                f"eligibility is not imported")

    taxonomy = {}
    for row in tables.get("taxonomy", []):
        term_id = _get(row, "id")
        if term_id and term_id not in taxonomy:
            taxonomy[term_id] = (_get(row, "code") or term_id, _get(row, "name", "term"))
    terms_by_service: dict[str, list[str]] = defaultdict(list)
    for row in tables.get("service_taxonomy", []):
        if _get(row, "service_id"):
            terms_by_service[_get(row, "service_id")].append(_get(row, "taxonomy_id",
                                                                  "taxonomy_term_id"))
    for row in tables.get("attributes", []):
        if _get(row, "link_id") and _get(row, "taxonomy_term_id"):
            terms_by_service[_get(row, "link_id")].append(_get(row, "taxonomy_term_id"))
    modified: dict[str, str] = {}
    for row in tables.get("metadata", []):
        found = _ISO_DATE.search(_get(row, "last_action_date"))
        resource = _get(row, "resource_id")
        if found and resource and found.group(1) > modified.get(resource, ""):
            modified[resource] = found.group(1)

    # A directory of organizations only (no services table): each organization is a listing.
    orgs_only = not tables.get("services")
    service_rows = tables.get("organizations", []) if orgs_only else tables["services"]
    table = files.get("organizations" if orgs_only else "services", "")
    for row_number, row in enumerate(service_rows, 1):
        service_id = _get(row, "id")
        org = row if orgs_only else organizations.get(_get(row, "organization_id"), {})
        listing = _Listing(
            record_id=service_id, table=table, row=row_number,
            name=_get(row, "name"), alternate_name=_get(row, "alternate_name"),
            description=_get(row, "description"),
            organization="" if orgs_only else _get(org, "name"),
            url=_get(row, "url", "website"), email=_get(row, "email"),
            org_url=_get(org, "url", "website"), org_email=_get(org, "email"),
            status=_get(row, "status"),
            minimum_age=_get(row, "minimum_age"), maximum_age=_get(row, "maximum_age"),
            last_modified=_date_of(_get(row, "last_modified")) or modified.get(service_id, ""),
        )
        listing.org_phones = list(phones_by_org.get(_get(row, "organization_id"), ()))
        if _get(row, "eligibility_description"):
            listing.eligibility.append(_get(row, "eligibility_description"))
        if not service_id:  # no other table can name it; its organization still can
            yield listing
            continue
        sal_ids, location_ids = [], []
        for sal in sal_by_service.get(service_id, ()):
            sal_ids.append(_get(sal, "id"))
            location_ids.append(_get(sal, "location_id"))
        if orgs_only:
            location_ids += [_get(loc, "id") for loc in locations_by_org.get(service_id, ())]
        listing.phones = list(phones_by_service.get(service_id, ()))
        for location_id in location_ids:
            location = locations.get(location_id, {})
            location_type = _get(location, "location_type").lower()
            if location_type:
                listing.location_types.add(location_type)
            for address in addresses.get(location_id, ()):
                kind = _get(address, "address_type").lower()
                if kind in ("", "physical") and location_type != "virtual":
                    listing.addresses.append(address)
            # A location's own number serves its services only when it is the only service
            # there; a shared front desk is labelled as such.
            shared = len(sal_by_location.get(location_id, ())) > 1
            for phone in phones_by_location.get(location_id, ()):
                listing.phones.append({**phone, "_label": "main number at this location"
                                       if shared else ""})
        listing.schedules = list(schedules_by_service.get(service_id, ()))
        if not listing.schedules:
            for sal_id in sal_ids:
                listing.schedules += schedules_by_sal.get(sal_id, [])
            for location_id in location_ids:
                listing.schedules += schedules_by_location.get(location_id, [])
        langs = languages_by_service.get(service_id) or [
            lang for location_id in location_ids
            for lang in languages_by_location.get(location_id, ())]
        listing.languages = [_get(lang, "language", "name") for lang in langs]
        listing.eligibility[:0] = [_get(e, "eligibility", "eligibility_description")
                                   for e in eligibility.get(service_id, ())]
        for term_id in terms_by_service.get(service_id, ()):
            listing.terms.append(taxonomy.get(term_id, (term_id, "")))
        yield listing


def _read_json(path: Path, summary: ImportSummary) -> list[_Listing]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise _fail(path, f"cannot read ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PeerfindError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        records = data["contents"]
        pages, total = data.get("total_pages"), data.get("total_items")
        if isinstance(pages, int) and pages > 1:
            summary.warnings.append(
                f"{path.name} is page {data.get('page_number', '?')} of {pages} "
                f"({total} records in all): only this page's {len(records)} are imported")
    elif isinstance(data, list):
        records = data
    elif isinstance(data, dict):
        records = [data]
    else:
        raise _fail(path, "not an HSDS record: expected a JSON object or list")
    listings: list[_Listing] = []
    terms = 0
    for n, record in enumerate(records, 1):
        kind = _json_kind(record)
        if kind == "term":
            terms += 1
        elif kind == "organization" and record.get("services"):
            for service in _as_list(record["services"]):
                listings.append(_json_listing(service, "service", len(listings) + 1, org=record))
        elif kind == "organization":
            listings.append(_json_listing(record, "organization", len(listings) + 1, org=record))
        elif kind == "service":
            listings.append(_json_listing(record, "service", len(listings) + 1,
                                          org=record.get("organization")))
        else:
            summary.warnings.append(f"{path.name}: item {n} is not an HSDS record; skipped")
    if terms:
        summary.warnings.append(f"{path.name}: {terms} records are taxonomy terms, not services; "
                                f"nothing to import from them")
    if not records:
        summary.warnings.append(f"{path.name} holds no records")
    return listings


def _json_kind(record: Any) -> str:
    if not isinstance(record, dict):
        return ""
    keys = set(record)
    if keys & {"service_at_locations", "organization", "organization_id", "program",
               "eligibility_description", "status"}:
        return "service"
    if "services" in keys or keys & {"website", "tax_status", "legal_status", "year_incorporated",
                                     "parent_organization_id"}:
        return "organization"
    if "code" in keys and keys & {"taxonomy", "taxonomy_id", "taxonomy_detail", "term_uri"}:
        return "term"
    return "service" if "name" in keys else ""


def _as_list(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _json_listing(record: dict, table: str, row: int, org: Any = None) -> _Listing:
    org = org if isinstance(org, dict) else {}
    text = _text
    listing = _Listing(
        record_id=text(record.get("id")), table=table, row=row,
        name=text(record.get("name")), alternate_name=text(record.get("alternate_name")),
        description=text(record.get("description")),
        organization=text(org.get("name")) if org is not record else "",
        url=text(record.get("url") or record.get("website")), email=text(record.get("email")),
        org_url=text(org.get("website") or org.get("url")), org_email=text(org.get("email")),
        status=text(record.get("status")),
        minimum_age=record.get("minimum_age"), maximum_age=record.get("maximum_age"),
    )
    listing.phones = list(_as_list(record.get("phones")))
    for contact in _as_list(record.get("contacts")):
        listing.phones += _as_list(contact.get("phones"))
    listing.org_phones = _as_list(org.get("phones")) if org is not record else []
    listing.schedules = _as_list(record.get("schedules")) + _as_list(
        record.get("regular_schedules"))
    listing.languages = [text(lang.get("name") or lang.get("language"))
                         for lang in _as_list(record.get("languages"))]
    locations = [sal.get("location") for sal in _as_list(record.get("service_at_locations"))]
    locations += _as_list(record.get("locations"))
    for sal in _as_list(record.get("service_at_locations")):
        listing.phones += _as_list(sal.get("phones"))
        if not listing.schedules:
            listing.schedules += _as_list(sal.get("schedules"))
    for location in locations:
        if not isinstance(location, dict):
            continue
        location_type = text(location.get("location_type")).lower()
        if location_type:
            listing.location_types.add(location_type)
        for address in _as_list(location.get("addresses")) + _as_list(
                location.get("physical_addresses")):
            kind = text(address.get("address_type")).lower()
            if kind in ("", "physical") and location_type != "virtual":
                listing.addresses.append(address)
        listing.phones += [{**phone, "_label": "main number at this location"}
                           for phone in _as_list(location.get("phones"))]
        if not listing.languages:
            listing.languages = [text(lang.get("name")) for lang in
                                 _as_list(location.get("languages"))]
    if record.get("eligibility_description"):
        listing.eligibility.append(text(record["eligibility_description"]))
    for item in _as_list(record.get("eligibility")):
        listing.eligibility.append(text(item.get("eligibility")))
    for attribute in _as_list(record.get("attributes")):
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict):
            listing.terms.append((text(term.get("code") or term.get("id")), text(term.get("name"))))
    for term in _as_list(record.get("taxonomy_terms")) + _as_list(record.get("taxonomy")):
        listing.terms.append((text(term.get("code") or term.get("id")),
                              text(term.get("name") or term.get("term"))))
    dates = [_date_of(text(record.get("last_modified")))]
    dates += [_date_of(text(m.get("last_action_date"))) for m in _as_list(record.get("metadata"))]
    listing.last_modified = max((d for d in dates if d), default="")
    return listing


def _date_of(value: str) -> str:
    found = _ISO_DATE.search(value or "")
    if not found:
        return ""
    try:
        return _dt.date.fromisoformat(found.group(1)).isoformat()
    except ValueError:
        return ""


# -- cleaning --------------------------------------------------------------------------------


def _repair_best_fit(text: str) -> str:
    def _decode(found: re.Match) -> str:
        chunk = found.group(0)
        if chunk.startswith("-Ç-"):  # a three-byte character that lost its lead byte
            return "\x80" + chr(_CP437_TAIL[chunk[3]])
        data = bytes([_LEAD[chunk[0]], *(_CP437_TAIL[ch] for ch in chunk[1:])])
        if chunk[0] == "-" and data[1] not in _C2_TAILS:
            return chunk
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return chunk

    text = _BEST_FIT.sub(_decode, text)
    # Where the E2 lead byte was lost altogether, a quote or dash is left as U+0080 and a C1
    # control ("\x80\x9c" for “): put the lead byte back, and drop a lone U+0080.
    text = _LOST_LEAD.sub(lambda found: bytes([0xE2, 0x80, ord(found.group(1))]).decode(
        "utf-8", "replace"), text)
    return text.replace("\x80", "")


def _clean(value: Any, rules: Rules, *, multiline: bool = False) -> str:
    """Repair mojibake, turn literal "\\n" into line breaks, drop marker lines, trim."""
    if value is None:
        return ""
    text = str(value).replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        for bad, good in rules.words:
            text = text.replace(bad, good)
        text = _repair_best_fit(text)
        import ftfy

        text = ftfy.fix_text(text)
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if not any(p.match(line) for p in rules.drop_lines)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _slug(text: str) -> str:
    from .language.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(str(text))).strip("-")


def _input_name(path: Path) -> str:
    return path.name if path.is_dir() else path.stem


# -- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """One rule of hsds.yaml: what it looks for and what it gives."""

    codes: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()
    keywords: re.Pattern | None = None
    settings: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    type: str = ""


@dataclass(frozen=True)
class Rules:
    """The import rules of data/hsds.yaml, compiled."""

    keep: _Rule
    weak: re.Pattern | None
    context: re.Pattern | None
    exclude: re.Pattern | None
    types: tuple[_Rule, ...]
    modes: dict[str, _Rule]
    links: tuple[_Rule, ...]
    min_score: int
    min_score_description: int
    kinds: frozenset[str]
    drop_lines: tuple[re.Pattern, ...]
    words: tuple[tuple[str, str], ...]


def _phrases(items) -> re.Pattern | None:
    """One pattern for a list of phrases, normalised and stemmed like the text it reads."""
    from .language import key

    keys = sorted({key(str(item)) for item in items or () if key(str(item))}, key=len,
                  reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in keys)
                      + r")(?![a-z0-9])")


def _rule(item: dict | None) -> _Rule:
    item = item or {}
    return _Rule(
        codes=frozenset(str(c).strip().upper() for c in item.get("codes") or ()),
        terms=frozenset(str(t).strip().casefold() for t in item.get("terms") or ()),
        keywords=_phrases(item.get("keywords")),
        settings=tuple(item.get("settings") or ()),
        populations=tuple(item.get("populations") or ()),
        conditions=tuple(item.get("conditions") or ()),
        type=str(item.get("type") or ""),
    )


def _compile_rules(raw: dict) -> Rules:
    keep = raw.get("keep") or {}
    text = raw.get("text") or {}
    match = raw.get("match") or {}
    return Rules(
        keep=_rule(keep),
        weak=_phrases(keep.get("weak_keywords")),
        context=_phrases(keep.get("context")),
        exclude=_phrases(keep.get("exclude")),
        types=tuple(_rule(item) for item in raw.get("types") or ()),
        modes={mode: _rule(item) for mode, item in (raw.get("modes") or {}).items()},
        links=tuple(_rule(item) for item in raw.get("links") or ()),
        min_score=int(match.get("min_score", 90)),
        min_score_description=int(match.get("min_score_description", 100)),
        kinds=frozenset(match.get("kinds") or ("population", "condition", "setting")),
        drop_lines=tuple(re.compile(p) for p in text.get("drop_lines") or ()),
        words=tuple((text.get("words") or {}).items()),
    )


@dataclass
class _Facts:
    """What the rules look at: taxonomy codes, term names and the service's words."""

    codes: frozenset[str]  # every code and every code above it (PN-8100.4500-240, PN-8100...)
    terms: frozenset[str]
    text: str  # name, description and term names, normalised like the matcher's aliases
    title: str  # name and term names only

    def fits(self, rule: _Rule, *, title_only: bool = False) -> bool:
        """Whether a rule's codes, terms or keywords fit. With `title_only`, keywords are
        looked for in the name and term names alone: a shelter that mentions "support groups"
        among its services is not a support group."""
        if not self.codes.isdisjoint(rule.codes):
            return True
        if rule.terms & self.terms:
            return True
        return bool(rule.keywords and rule.keywords.search(
            self.title if title_only else self.text))


def _code_and_parents(code: str) -> Iterator[str]:
    """"PN-8100.4500-240" -> itself, "PN-8100.4500", "PN-8100" (and "PN"): a rule's code
    covers every code below it."""
    code = code.strip().upper()
    yield code
    for found in reversed(list(re.finditer(r"[.-]", code))):
        yield code[:found.start()]


def _key(text: str) -> str:
    """`text.key` (normalised, stemmed words), quicker for plain ASCII text: folding accents
    character by character is most of the cost of reading 4,000 descriptions."""
    from .language import key

    if not text.isascii():
        return key(text)
    plain = _NON_WORD.sub(" ", _APOSTROPHE.sub("", text.lower()))
    return " ".join([_stem_word(word) for word in plain.split()])


@lru_cache(maxsize=65536)
def _stem_word(word: str) -> str:
    # Descriptions repeat the same few thousand words; stemming each once is enough.
    from .language.en import stem

    return stem(word)


def _keep(facts: _Facts, rules: Rules) -> bool:
    if rules.exclude:
        facts = _Facts(facts.codes, facts.terms, rules.exclude.sub(" ", facts.text), facts.title)
    if facts.fits(rules.keep):
        return True
    if rules.weak is None or rules.context is None:
        return False
    return bool(rules.weak.search(facts.text) and rules.context.search(facts.text))


class _Linker:
    """Links a listing to knowledge-base ids: import rules first, then peerfind's matcher."""

    def __init__(self, kb, rules: Rules) -> None:
        self.kb = kb
        self.rules = rules
        self.sections = {name: kb.sections.get(name, {}) for name in
                         ("settings", "populations", "conditions")}
        self._match = None
        try:
            from .answer.match import match

            if getattr(kb, "index", None):
                self._match = match
        except ImportError:  # the matcher is optional for reading; rules still link
            self._match = None

    def links(self, facts: _Facts, name_text: str, description: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {"settings": [], "populations": [], "conditions": []}
        for rule in self.rules.links:
            if facts.fits(rule):
                for section in found:
                    found[section].extend(getattr(rule, section))
        if self._match is not None:
            self._add_matches(found, name_text, self.rules.min_score)
            # Descriptions name many groups in passing ("shelter for single mothers, veterans
            # and families"), so they are read only when the name and taxonomy said nothing
            # about who or what the service is for.
            if description and not (found["populations"] or found["conditions"]):
                self._add_matches(found, description, self.rules.min_score_description)
        return {section: list(dict.fromkeys(i for i in ids if i in self.sections[section]))
                for section, ids in found.items()}

    def _add_matches(self, found: dict[str, list[str]], text: str, floor: int) -> None:
        for hit in self._match(self.kb, text) if text else ():
            if hit.kind in self.rules.kinds and hit.score >= floor:
                found[hit.kind + "s"].append(hit.id)


# -- building entries ------------------------------------------------------------------------


class _Builder:
    """Turns listings into knowledge-base entries, keeping ids unique across one import."""

    def __init__(self, kb, rules: Rules, summary: ImportSummary, *, file_name: str, prefix: str,
                 today: _dt.date, keep_all: bool) -> None:
        self.rules = rules
        self.summary = summary
        self.file_name = file_name
        self.prefix = prefix
        self.today = today
        self.keep_all = keep_all
        self.linker = _Linker(kb, rules)
        self.known_ids = set(kb.all_ids())  # an imported id must not extend a built-in entry
        self.used_ids: set[str] = set()
        self.seen_records: set[tuple[str, str]] = set()
        self.blank_ids: list[str] = []

    def entry(self, listing: _Listing) -> dict | None:
        """The organization entry for a listing, or None (counted in the summary) to skip it."""
        if listing.status.lower() in ("inactive", "defunct", "temporarily closed"):
            self.summary.skip(INACTIVE)
            return None
        if listing.record_id:
            if (listing.table, listing.record_id) in self.seen_records:
                self.summary.skip(DUPLICATE_ID)
                return None
            self.seen_records.add((listing.table, listing.record_id))
        facts = _facts(listing)
        if not self.keep_all and not _keep(facts, self.rules):
            self.summary.skip(NOT_RELATED)
            return None
        name = _clean(listing.name, self.rules) or _clean(listing.alternate_name, self.rules)
        if not name:
            self.summary.skip(NO_NAME)
            return None
        return _entry(listing, facts, name, self._entry_id(listing), self.file_name, self.today,
                      self.rules, self.linker)

    def _entry_id(self, listing: _Listing) -> str:
        slug = _slug(listing.record_id)
        entry_id = f"{self.prefix}-{slug}" if slug else f"{self.prefix}-row-{listing.row}"
        if not listing.record_id:
            self.blank_ids.append(entry_id)
        if entry_id in self.used_ids or entry_id in self.known_ids:
            # Two record ids that slug alike ("A 1" and "a-1"), or a clash with a built-in id.
            base, n = entry_id, 2
            while f"{base}-{n}" in self.used_ids or f"{base}-{n}" in self.known_ids:
                n += 1
            entry_id = f"{base}-{n}"
        self.used_ids.add(entry_id)
        return entry_id


def _facts(listing: _Listing) -> _Facts:
    term_names = [name for _, name in listing.terms if name]
    title = _key(" ".join([listing.name, listing.alternate_name, *term_names]))
    description = _key(listing.description.replace("\\n", " "))  # literal \n in 211 exports
    return _Facts(
        codes=frozenset(parent for code, _ in listing.terms if code
                        for parent in _code_and_parents(code)),
        terms=frozenset(name.strip().casefold() for name in term_names),
        text=f"{title} {description}",
        title=title,
    )


def _entry(listing: _Listing, facts: _Facts, name: str, entry_id: str, file_name: str,
           today: _dt.date, rules: Rules, linker: _Linker) -> dict:
    record_id = listing.record_id
    raw_terms = [term for _, term in listing.terms if term]
    description = _clean(listing.description, rules, multiline=True)
    term_names = [_clean(t, rules) for t in raw_terms]
    links = linker.links(facts, " ".join([name, *term_names]), description)
    contacts = _contacts(listing, rules)
    address = _address(listing.addresses, rules)
    entry_type = next((rule.type for rule in rules.types
                       if facts.fits(rule, title_only=True)), "local-service")
    modes = []
    # A line's street address is its office, not where the support happens.
    lines = ("warmline", "crisis-line")
    if (address or "physical" in listing.location_types) and entry_type not in lines:
        modes.append("in-person")
    has_line = any(c["type"] in ("phone", "text", "tty") for c in contacts)
    if has_line and (facts.fits(rules.modes.get("phone", _NO_RULE), title_only=True)
                     or entry_type in lines or not modes):
        modes.append("phone")
    if "virtual" in listing.location_types or facts.fits(
            rules.modes.get("online", _NO_RULE), title_only=True):
        modes.append("online")

    entry: dict[str, Any] = {"id": entry_id, "name": name, "type": entry_type}
    organization = _clean(listing.organization, rules)
    if organization and organization != name:
        entry["organization"] = organization
    if description:
        entry["description"] = description
    if address:
        entry["address"] = address
    schedule = _schedule(listing.schedules, rules)
    if schedule:
        entry["schedule"] = schedule
    languages: dict[str, str] = {}
    for language in listing.languages:
        language = _clean(language, rules)
        if language:
            languages.setdefault(language.casefold(), language)
    if languages:
        entry["languages"] = list(languages.values())
    eligibility = _eligibility(listing, rules)
    if eligibility:
        entry["eligibility"] = eligibility
    if modes:
        entry["modes"] = modes
    if contacts:
        entry["contacts"] = contacts
    for section in ("settings", "populations", "conditions"):
        if links[section]:
            entry[section] = links[section]
    entry["local"] = True
    entry["source"] = f"{file_name} {listing.table} id {record_id or f'(blank, row {listing.row})'}"
    # The record's own date when it has one (3.0 last_modified or metadata), else the import
    # date. Old record dates make `peerfind validate` warn "more than a year old": true and
    # wanted, not an error. (The 2019 Miami export carries no dates at all, so its entries
    # are dated by the import and its checker run has no such warnings.)
    entry["checked"] = listing.last_modified or today.isoformat()
    return entry


_NO_RULE = _Rule()


def _phone_contact(phone: dict, rules: Rules, label: str = "") -> dict | None:
    number = _clean(_get(phone, "number"), rules).strip("\"' ")
    if not number:
        return None
    extension = _clean(_get(phone, "extension"), rules)
    found = _EXTENSION.match(number)
    if found and not extension and any(ch.isdigit() for ch in found.group(1)):
        number, extension = found.group(1).rstrip(" ,;"), found.group(2)
    kind = _get(phone, "type").lower()
    if kind in ("fax", "pager"):
        return None
    contact_type = {"text": "text", "sms": "text", "tty": "tty"}.get(kind, "phone")
    parts = [label or _get(phone, "_label")]
    if extension:
        parts.append(f"option {extension[3:]}" if extension.upper().startswith("OPT")
                     else f"ext. {extension}")
    language = phone.get("language") or ", ".join(
        str(lang.get("name")) for lang in _as_list(phone.get("languages")) if lang.get("name"))
    if language:
        parts.append(_clean(language, rules))
    description = _clean(_get(phone, "description", "department"), rules)
    if description and len(description) <= 60:
        parts.append(description)
    contact = {"type": contact_type, "value": number}
    label_text = "; ".join(part for part in parts if part)
    if label_text:
        contact["label"] = label_text
    return contact


def _contacts(listing: _Listing, rules: Rules) -> list[dict]:
    contacts: list[dict] = []
    seen: set[tuple[str, str, str]] = set()

    def add(contact: dict | None) -> None:
        if contact is None:
            return
        # The same number often comes from the service, its contact and its location at once;
        # the first (most specific) wins. An extension makes it another line.
        extension = re.search(r"(?:ext\. |option )(\S+)", contact.get("label", ""))
        marker = (contact["type"], re.sub(r"\D", "", contact["value"]) or contact["value"].lower(),
                  extension.group(1) if extension else "")
        if marker not in seen:
            seen.add(marker)
            contacts.append(contact)

    for phone in listing.phones:
        add(_phone_contact(phone, rules))
    if not any(c["type"] == "phone" for c in contacts):
        for phone in listing.org_phones:
            add(_phone_contact(phone, rules, "organization's main number"))
    url = _url(_clean(listing.url, rules))
    if url:
        add({"type": "url", "value": url})
    elif _url(_clean(listing.org_url, rules)):
        add({"type": "url", "value": _url(_clean(listing.org_url, rules)),
             "label": "organization website"})
    email = _clean(listing.email, rules) or _clean(listing.org_email, rules)
    if email and "@" in email:
        add({"type": "email", "value": email})
    return contacts


def _url(value: str) -> str:
    value = value.strip().rstrip("/") if value else ""
    if not value or " " in value or "." not in value:
        return ""
    return value if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I) else f"http://{value}"


def _address(addresses: list[dict], rules: Rules) -> str:
    for address in addresses:
        street = ", ".join(part for part in (
            _clean(_get(address, key), rules) for key in
            ("address_1", "address_2", "address_3", "address_4")) if part)
        city = _clean(_get(address, "city"), rules)
        state = " ".join(part for part in (_clean(_get(address, "state_province"), rules),
                                           _clean(_get(address, "postal_code"), rules)) if part)
        country = _clean(_get(address, "country"), rules)
        parts = [street, city, state]
        if country and country.upper() not in ("US", "USA", "UNITED STATES"):
            parts.append(country)
        line = ", ".join(part for part in parts if part)
        # A post-office box in the physical-address table is a mailing address: nobody can
        # walk in there.
        if street and line and not _PO_BOX.match(street):
            return line
    return ""


def _time(value: str) -> str:
    found = _TIME.match(value.strip()) if value else None
    if not found:
        return value.strip() if value else ""
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), (found.group(3) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return f"{hour}:{minute:02d}"


def _days(row: dict) -> list[int]:
    days = []
    for part in re.split(r"[,\s]+", _get(row, "weekday", "byday").lower()):
        part = re.sub(r"^[+-]?\d+", "", part) if len(part) > 2 else part  # "1MO" in RRULE
        if part in _DAY_NAMES:
            days.append(_DAY_NAMES[part])
    return days


def _schedule(rows: list[dict], rules: Rules) -> str:
    """Regular schedules as "Mon-Fri 9:00-17:00; Sat 10:00-14:00", plus any text notes."""
    hours: dict[int, list[str]] = defaultdict(list)
    notes: list[str] = []
    for row in rows:
        opens, closes = _time(_get(row, "opens_at")), _time(_get(row, "closes_at"))
        if closes == "0:00" and opens not in ("", "0:00"):
            closes = "24:00"  # "4:00pm-12:00am" closes at midnight, not before it opens
        span = f"{opens}-{closes}" if opens and closes else opens or closes
        days = _days(row)
        if days and span:
            for day in days:
                if span not in hours[day]:
                    hours[day].append(span)
        elif span and not days:
            notes.append(span)
        for key in ("description", "notes"):
            note = _clean(_get(row, key), rules)
            if note and note not in notes:
                notes.append(note)
        if not days and not span and _get(row, "original_text"):
            notes.append(_clean(_get(row, "original_text"), rules))
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
        days = _WEEKDAYS[day] if end == day else f"{_WEEKDAYS[day]}-{_WEEKDAYS[end]}"
        runs.setdefault(", ".join(hours[day]), []).append(days)
        day = end + 1
    text = "; ".join(f"{', '.join(days)} {span}" for span, days in runs.items())
    extra = " ".join(note for note in dict.fromkeys(notes) if note)
    return f"{text}. {extra}" if text and extra else text or extra


def _eligibility(listing: _Listing, rules: Rules) -> str:
    parts = [_clean(text, rules, multiline=True) for text in listing.eligibility]
    low, high = str(listing.minimum_age or "").strip(), str(listing.maximum_age or "").strip()
    if low and high:
        parts.append(f"Ages {low}-{high}.")
    elif low:
        parts.append(f"Ages {low} and over.")
    elif high:
        parts.append(f"Ages up to {high}.")
    return "\n\n".join(dict.fromkeys(part for part in parts if part))
