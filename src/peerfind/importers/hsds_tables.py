"""Reader for HSDS as a Tabular Data Package: `datapackage.json` and CSV tables, in a folder or
a .zip (HSDS 1.1, 2.0 and 3.0 table names). Tables are joined through dict indexes, one pass
per table, into neutral listings."""

from __future__ import annotations

import csv
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from .clean import date_of, integer, number, shown
from .hours import read_schedules
from .listing import (FIELD_TOO_LONG, LIMITS, Address, Limits, Listing, Phone,
                      ImportSummary)
from .sources import FolderSource, ZipSource, fail

# Canonical tables, the resource names / file stems that HSDS 1.1, 2.0 and 3.0 use for them,
# and the columns read (the others, such as a location's long description, are never kept).
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
    "accessibility": ("accessibility_for_disabilities", "accessibility", "accessibilities"),
    "service_areas": ("service_area", "service_areas"),
    "cost_options": ("cost_option", "cost_options"),
}
_TABLE_OF = {alias: table for table, aliases in _TABLES.items() for alias in aliases}
_UNUSED_COLUMNS = frozenset({"transportation", "application_process", "wait_time",
                             "accreditations", "licenses", "interpretation_services",
                             "tax_status", "tax_id", "year_incorporated", "legal_status"})
_UNUSED_BY_TABLE = {"locations": frozenset({"description"}),
                    "organizations": frozenset({"description"}),
                    **{table: frozenset({"id"}) for table in (
                        "phones", "addresses", "schedules", "languages", "service_taxonomy",
                        "eligibility", "accessibility", "attributes", "cost_options")}}
_SHORT = 64  # values shorter than this are shared between rows (ids, codes, days, times)
_FREE = ("free", "no fee", "no cost", "no charge", "none", "gratis", "sin costo")


def read_package(path: Path, summary: ImportSummary, limits: Limits = LIMITS,
                 ) -> tuple[Counted, dict]:
    """Listings and package information (title, licence, date) from a folder or .zip."""
    if path.is_dir():
        return _read(FolderSource(path, limits), summary, limits)
    if path.name.lower() == "datapackage.json":
        return _read(FolderSource(path.parent, limits), summary, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise fail(path, "not a valid zip file") from None
    source = ZipSource(path, archive, limits)
    listings, info = _read(source, summary, limits)
    return listings, info


def _read(source, summary: ImportSummary, limits: Limits) -> tuple[Counted, dict]:
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
            package = json.loads(raw[:limits.max_json_bytes].decode("utf-8-sig"))
            if not isinstance(package, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError, RecursionError):
            preview = raw[:40].decode("utf-8", "replace").strip()
            summary.warnings.append(
                f"{shown(descriptors[0])} is not a JSON object (it begins "
                f"{shown(repr(preview))}); tables are found by their standard file names")
            package = {}
    csv_by_name: dict[str, list[str]] = defaultdict(list)
    for name in source.files:
        if name.lower().endswith(".csv"):
            csv_by_name[PurePosixPath(name).name.lower()].append(name)

    located: dict[str, str] = {}  # table -> file ("" when listed but absent)
    listed = package.get("resources")
    resources: list = listed if isinstance(listed, list) else []
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
            summary.warnings.append(f"table '{shown(res_name or stem)}' is listed in "
                                    f"datapackage.json but {shown(PurePosixPath(res_path).name)} "
                                    f"is absent")
        located[table] = found or ""
    for table, aliases in _TABLES.items():
        if table in located:
            continue
        for alias in aliases:
            names = csv_by_name.get(f"{alias}.csv")
            if names:
                located[table] = sorted(names, key=lambda n: n.count("/"))[0]
                break
    if not located.get("services") and not located.get("organizations"):
        raise fail(source.root, "not an HSDS export: no services or organizations table "
                                "(expected datapackage.json with services.csv)")

    pool: dict[str, str] = {}
    tables = {table: _read_csv(source, name, table, summary, limits, pool) if name else []
              for table, name in located.items()}
    pool.clear()
    files = {table: PurePosixPath(name).name for table, name in located.items() if name}
    license_ = package.get("license") or package.get("licenses")
    if isinstance(license_, list):
        license_ = license_[0] if license_ else ""
    if isinstance(license_, dict):
        license_ = license_.get("type") or license_.get("name") or license_.get("path") or ""
    info = {"title": str(package.get("title") or package.get("name") or ""),
            "license": str(license_ or ""),
            "date": date_of(package.get("last_modified") or package.get("created") or "")}
    rows = tables.get("services") or tables.get("organizations") or []
    return Counted(_join(tables, files, summary), len(rows)), info


class Counted:
    """Listings read one at a time, with how many there will be (for progress)."""

    def __init__(self, listings: Iterator[Listing], total: int) -> None:
        self.listings, self.total = listings, total

    def __iter__(self) -> Iterator[Listing]:
        return self.listings

    def __len__(self) -> int:
        return self.total


def _find_file(source, base: str, res_path: str, csv_by_name) -> str | None:
    joined = str(PurePosixPath(base) / res_path) if base else res_path
    if joined in source.files:
        return joined
    # Packages are often moved into a data/ folder without updating their paths.
    names = csv_by_name.get(PurePosixPath(res_path).name.lower())
    return sorted(names, key=lambda n: n.count("/"))[0] if names else None


class _Row(tuple):
    """One table row: a tuple (a third of a dict's memory) read by column name like a dict."""

    __slots__ = ()
    columns: dict[str, int] = {}

    def get(self, column: str, default: Any = None) -> Any:
        i = self.columns.get(column, len(self))
        return self[i] if i < len(self) else default

    def keys(self):
        return [column for column, i in self.columns.items() if i < len(self)]


def _read_csv(source, name: str, table: str, summary: ImportSummary,
              limits: Limits, pool: dict[str, str]) -> list:
    """Rows of one table as dicts of the columns peerfind reads. A row with a field over the
    size limit is skipped and counted; the rest of the table is still read."""
    from .sources import text_lines

    unused = _UNUSED_COLUMNS | _UNUSED_BY_TABLE.get(table, frozenset())
    csv.field_size_limit(limits.max_field_chars)
    file_name = shown(PurePosixPath(name).name)
    rows: list[dict[str, str]] = []
    too_long = 0
    with source.open(name) as handle:
        reader = csv.reader(text_lines(handle, limits.max_field_chars * 4))
        try:
            header = [h.strip().lower() for h in next(reader, [])]
        except csv.Error as exc:
            summary.warnings.append(f"{file_name} could not be read as CSV ({shown(exc)}); "
                                    f"skipped")
            return []
        keep = [i for i, column in enumerate(header) if column not in unused]
        row_type = type(f"_{table}_row", (_Row,), {
            "__slots__": (), "columns": {header[i]: n for n, i in enumerate(keep)}})
        width = len(header)
        recovering = False
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                too_long += 1
                recovering = True  # the rest of the long field may follow as odd rows
                continue
            except (OSError, EOFError, zipfile.BadZipFile) as exc:
                raise fail(f"{source.root}:{name}", f"cannot be read ({shown(exc)})") from None
            if recovering and len(row) != width:
                continue
            recovering = False
            if any(cell.strip() for cell in row):
                # A service id is written in a dozen tables, a weekday or a code in thousands
                # of rows: one string each keeps 100,000 services within memory.
                rows.append(row_type(pool.setdefault(row[i], row[i])
                                     if len(row[i]) < _SHORT else row[i]
                                     for i in keep if i < len(row)))
    if too_long:
        summary.warnings.append(f"{file_name}: {too_long} rows skipped, each with a field over "
                                f"{limits.max_field_chars:,} characters (the limit on a field)")
        if table in ("services", "organizations"):
            summary.read += too_long
            for _ in range(too_long):
                summary.skip(FIELD_TOO_LONG)
    return rows


def get(row: Any, *keys: str) -> str:
    """The first of `keys` that the row has a value for, trimmed; "" if none."""
    for key in keys:
        value = row.get(key)
        if value:
            return value.strip() if isinstance(value, str) else str(value).strip()
        if value is not None and value != "":
            return str(value).strip()  # 0, False: values, not blanks
    return ""


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        value = get(row, key)
        if value:
            grouped[value].append(row)
    return grouped


def phone_of(row: dict, label: str = "") -> Phone:
    return Phone(number=get(row, "number"), extension=get(row, "extension"),
                 kind=get(row, "type").lower(), label=label or get(row, "_label"),
                 language=get(row, "language"), description=get(row, "description", "department"))


def address_of(row: dict) -> Address:
    street = ", ".join(part for part in (get(row, key) for key in
                                         ("address_1", "address_2", "address_3", "address_4"))
                       if part)
    return Address(street=street, city=get(row, "city"), state=get(row, "state_province"),
                   postal_code=get(row, "postal_code"), country=get(row, "country"))


def fee_facts(text: str, amounts: Sequence[str] = ()) -> bool | None:
    """Whether a service is free, from its fees text or cost options; None when unsaid."""
    values = [number(amount) for amount in amounts if str(amount).strip()]
    if values:
        return all(value == 0 for value in values)
    low = text.strip().lower()
    if not low:
        return None
    if any(low.startswith(word) or low == word for word in _FREE):
        return True
    return False


def _join(tables: dict[str, list[dict]], files: dict[str, str],
          summary: ImportSummary) -> Iterator[Listing]:
    """Listings from tabular HSDS."""
    organizations = {get(row, "id"): row for row in tables.get("organizations", ())}
    locations = {get(row, "id"): row for row in tables.get("locations", ())}
    locations_by_org = _group(tables.get("locations", []), "organization_id")
    sal_rows = tables.get("service_at_location", [])
    sal_by_service = _group(sal_rows, "service_id")
    sal_by_id = {get(row, "id"): row for row in sal_rows if get(row, "id")}
    sal_by_location = _group(sal_rows, "location_id")
    addresses = _group(tables.get("addresses", []), "location_id")
    contacts = {get(row, "id"): row for row in tables.get("contacts", ()) if get(row, "id")}
    accessibility = _group(tables.get("accessibility", []), "location_id")
    areas = _group(tables.get("service_areas", []), "service_id")
    costs = _group(tables.get("cost_options", []), "service_id")

    # Phones may name a service, a service-at-location, a contact, a location and an
    # organization at once; the most specific parent wins, so a number is never listed under
    # an unrelated service of the same location.
    phones_by_service: dict[str, list[dict]] = defaultdict(list)
    phones_by_location: dict[str, list[dict]] = defaultdict(list)
    phones_by_org: dict[str, list[dict]] = defaultdict(list)
    for phone in tables.get("phones", []):
        service_id = get(phone, "service_id")
        if not service_id and get(phone, "service_at_location_id") in sal_by_id:
            service_id = get(sal_by_id[get(phone, "service_at_location_id")], "service_id")
        if not service_id and get(phone, "contact_id") in contacts:
            service_id = get(contacts[get(phone, "contact_id")], "service_id")
        if service_id:
            phones_by_service[service_id].append(phone)
        elif get(phone, "location_id"):
            phones_by_location[get(phone, "location_id")].append(phone)
        elif get(phone, "organization_id"):
            phones_by_org[get(phone, "organization_id")].append(phone)

    schedules = tables.get("schedules", [])
    schedules_by_service = _group(schedules, "service_id")
    schedules_by_sal = _group([r for r in schedules if not get(r, "service_id")],
                              "service_at_location_id")
    schedules_by_location = _group(
        [r for r in schedules if not get(r, "service_id", "service_at_location_id")],
        "location_id")
    language_rows = tables.get("languages", [])
    languages_by_service = _group(language_rows, "service_id")
    languages_by_location = _group([r for r in language_rows if not get(r, "service_id")],
                                   "location_id")
    eligibility_rows = tables.get("eligibility", [])
    eligibility = _group(eligibility_rows, "service_id")
    unlinked = sum(1 for row in eligibility_rows if not get(row, "service_id"))
    if unlinked:
        summary.warnings.append(f"{files.get('eligibility', 'eligibility')}: {unlinked} of "
                                f"{len(eligibility_rows)} rows name no service_id; their "
                                f"eligibility is not imported")

    taxonomy = {}
    for row in tables.get("taxonomy", []):
        term_id = get(row, "id")
        if term_id and term_id not in taxonomy:
            taxonomy[term_id] = (get(row, "code") or term_id, get(row, "name", "term"))
    terms_by_service: dict[str, list[str]] = defaultdict(list)
    for row in tables.get("service_taxonomy", []):
        if get(row, "service_id"):
            terms_by_service[get(row, "service_id")].append(get(row, "taxonomy_id",
                                                                "taxonomy_term_id"))
    for row in tables.get("attributes", []):
        if get(row, "link_id") and get(row, "taxonomy_term_id"):
            terms_by_service[get(row, "link_id")].append(get(row, "taxonomy_term_id"))
    modified: dict[str, str] = {}
    for row in tables.get("metadata", []):
        found = date_of(get(row, "last_action_date"))
        resource = get(row, "resource_id")
        if found and resource and found > modified.get(resource, ""):
            modified[resource] = found

    # A directory of organizations only (no services table): each organization is a listing.
    orgs_only = not tables.get("services")
    service_rows = tables.get("organizations", []) if orgs_only else tables["services"]
    table = files.get("organizations" if orgs_only else "services", "")
    for row_number, row in enumerate(service_rows, 1):
        service_id = get(row, "id")
        org = row if orgs_only else organizations.get(get(row, "organization_id"), {})
        listing = Listing(
            record_id=service_id, table=table, row=row_number,
            name=get(row, "name"), alternate_name=get(row, "alternate_name"),
            description=get(row, "description"),
            organization="" if orgs_only else get(org, "name"),
            url=get(row, "url", "website"), email=get(row, "email"),
            org_url=get(org, "url", "website"), org_email=get(org, "email"),
            status=get(row, "status"),
            min_age=integer(get(row, "minimum_age")), max_age=integer(get(row, "maximum_age")),
            fees=get(row, "fees", "fees_description"),
            updated=max(date_of(get(row, "last_modified")), date_of(get(row, "assured_date")),
                        modified.get(service_id, "")),
        )
        listing.org_phones = [phone_of(p, "organization's main number")
                              for p in phones_by_org.get(get(row, "organization_id"), ())]
        if get(row, "eligibility_description"):
            listing.eligibility.append(get(row, "eligibility_description"))
        if not service_id:  # no other table can name it; its organization still can
            listing.free = fee_facts(listing.fees)
            yield listing
            continue
        sal_ids, location_ids = [], []
        for sal in sal_by_service.get(service_id, ()):
            sal_ids.append(get(sal, "id"))
            location_ids.append(get(sal, "location_id"))
        if orgs_only:
            location_ids += [get(loc, "id") for loc in locations_by_org.get(service_id, ())]
        listing.phones = [phone_of(p) for p in phones_by_service.get(service_id, ())]
        for location_id in location_ids:
            location = locations.get(location_id, {})
            location_type = get(location, "location_type").lower()
            if location_type:
                listing.location_types.add(location_type)
            if listing.latitude is None:
                lat, lon = number(get(location, "latitude")), number(get(location, "longitude"))
                if lat is not None and lon is not None and abs(lat) <= 90 and (lat or lon):
                    listing.latitude, listing.longitude = lat, lon
            for address in addresses.get(location_id, ()):
                kind = get(address, "address_type").lower()
                if kind in ("", "physical") and location_type != "virtual":
                    listing.addresses.append(address_of(address))
            for item in accessibility.get(location_id, ()):
                text = " ".join(part for part in (get(item, "accessibility"),
                                                  get(item, "details", "description")) if part)
                if text and text not in listing.accessibility:
                    listing.accessibility.append(text)
            # A location's own number serves its services only when it is the only service
            # there; a shared front desk is labelled as such.
            shared = len(sal_by_location.get(location_id, ())) > 1
            for phone in phones_by_location.get(location_id, ()):
                listing.phones.append(phone_of(phone, "main number at this location"
                                               if shared else ""))
        rows = list(schedules_by_service.get(service_id, ()))
        if not rows:
            for sal_id in sal_ids:
                rows += schedules_by_sal.get(sal_id, [])
            for location_id in location_ids:
                rows += schedules_by_location.get(location_id, [])
        listing.hours, listing.hours_notes = read_schedules(rows, get)
        langs = languages_by_service.get(service_id) or [
            lang for location_id in location_ids
            for lang in languages_by_location.get(location_id, ())]
        listing.languages = [get(lang, "language", "name") for lang in langs]
        listing.eligibility[:0] = [get(e, "eligibility", "eligibility_description")
                                   for e in eligibility.get(service_id, ())]
        for area in areas.get(service_id, ()):
            text = get(area, "service_area", "name", "description")
            if text:
                listing.service_areas.append(text)
        cost_rows = costs.get(service_id, ())
        listing.fees = listing.fees or "; ".join(get(c, "option", "description")
                                                 for c in cost_rows if get(c, "option"))
        listing.free = fee_facts(listing.fees, [get(c, "amount") for c in cost_rows])
        for term_id in terms_by_service.get(service_id, ()):
            listing.terms.append(taxonomy.get(term_id, (term_id, "")))
        yield listing
