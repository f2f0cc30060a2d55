"""Reader for HSDS 3.0 JSON: one service or organization record, a list of them, or one page
of a paginated API response ({"contents": [...]})."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .clean import date_of, integer, number, shown
from .hours import read_schedules
from .hsds_tables import address_of, fee_facts, get, phone_of
from .listing import LIMITS, Limits, Listing, ImportSummary
from .sources import fail, load_json, read_file


def read_json(path: Path, summary: ImportSummary, limits: Limits = LIMITS) -> list[Listing]:
    data = load_json(read_file(path, limits), path, limits)
    name = shown(path.name)
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        records = data["contents"]
        pages, total = data.get("total_pages"), data.get("total_items")
        if isinstance(pages, int) and pages > 1:
            summary.warnings.append(
                f"{name} is page {shown(data.get('page_number', '?'))} of {pages} "
                f"({shown(total)} records in all): only this page's {len(records)} are imported")
    elif isinstance(data, list):
        records = data
    elif isinstance(data, dict):
        records = [data]
    else:
        raise fail(path, "not an HSDS record: expected a JSON object or list")
    listings: list[Listing] = []
    terms = 0
    for n, record in enumerate(records, 1):
        kind = _kind(record)
        if kind == "term":
            terms += 1
        elif kind == "organization" and record.get("services"):
            for service in as_list(record["services"]):
                listings.append(_listing(service, "service", len(listings) + 1, org=record))
        elif kind == "organization":
            listings.append(_listing(record, "organization", len(listings) + 1, org=record))
        elif kind == "service":
            listings.append(_listing(record, "service", len(listings) + 1,
                                     org=record.get("organization")))
        else:
            summary.warnings.append(f"{name}: item {n} is not an HSDS record; skipped")
    if terms:
        summary.warnings.append(f"{name}: {terms} records are taxonomy terms, not services; "
                                f"nothing to import from them")
    if not records:
        summary.warnings.append(f"{name} holds no records")
    return listings


def _kind(record: Any) -> str:
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


def as_list(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def _listing(record: dict, table: str, row: int, org: Any = None) -> Listing:
    org = org if isinstance(org, dict) else {}
    text = _text
    listing = Listing(
        record_id=text(record.get("id")), table=table, row=row,
        name=text(record.get("name")), alternate_name=text(record.get("alternate_name")),
        description=text(record.get("description")),
        organization=text(org.get("name")) if org is not record else "",
        url=text(record.get("url") or record.get("website")), email=text(record.get("email")),
        org_url=text(org.get("website") or org.get("url")), org_email=text(org.get("email")),
        status=text(record.get("status")),
        min_age=integer(record.get("minimum_age")), max_age=integer(record.get("maximum_age")),
        fees=text(record.get("fees_description") or record.get("fees")),
    )
    phones = list(as_list(record.get("phones")))
    for contact in as_list(record.get("contacts")):
        phones += as_list(contact.get("phones"))
    listing.org_phones = ([phone_of(_phone(p), "organization's main number")
                           for p in as_list(org.get("phones"))] if org is not record else [])
    schedules = as_list(record.get("schedules")) + as_list(record.get("regular_schedules"))
    languages = [text(lang.get("name") or lang.get("language"))
                 for lang in as_list(record.get("languages"))]
    locations = [sal.get("location") for sal in as_list(record.get("service_at_locations"))]
    locations += as_list(record.get("locations"))
    for sal in as_list(record.get("service_at_locations")):
        phones += as_list(sal.get("phones"))
        if not schedules:
            schedules += as_list(sal.get("schedules"))
    listing.phones = [phone_of(_phone(p)) for p in phones]
    for location in locations:
        if not isinstance(location, dict):
            continue
        location_type = text(location.get("location_type")).lower()
        if location_type:
            listing.location_types.add(location_type)
        lat, lon = number(location.get("latitude")), number(location.get("longitude"))
        if listing.latitude is None and lat is not None and lon is not None and abs(lat) <= 90:
            listing.latitude, listing.longitude = lat, lon
        for address in as_list(location.get("addresses")) + as_list(
                location.get("physical_addresses")):
            kind = text(address.get("address_type")).lower()
            if kind in ("", "physical") and location_type != "virtual":
                listing.addresses.append(address_of(address))
        listing.phones += [phone_of(_phone(p), "main number at this location")
                           for p in as_list(location.get("phones"))]
        if not languages:
            languages = [text(lang.get("name")) for lang in as_list(location.get("languages"))]
        for item in as_list(location.get("accessibility")):
            found = " ".join(part for part in (text(item.get("description")),
                                               text(item.get("details"))) if part)
            if found:
                listing.accessibility.append(found)
    listing.languages = languages
    listing.hours, listing.hours_notes = read_schedules(schedules, get)
    if record.get("eligibility_description"):
        listing.eligibility.append(text(record["eligibility_description"]))
    for item in as_list(record.get("eligibility")):
        listing.eligibility.append(text(item.get("eligibility")))
    for area in as_list(record.get("service_areas")):
        found = text(area.get("name") or area.get("description") or area.get("extent"))
        if found:
            listing.service_areas.append(found)
    costs = as_list(record.get("cost_options"))
    if not listing.fees:
        listing.fees = "; ".join(text(c.get("option")) for c in costs if text(c.get("option")))
    listing.free = fee_facts(listing.fees, [text(c.get("amount")) for c in costs])
    for attribute in as_list(record.get("attributes")):
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict):
            listing.terms.append((text(term.get("code") or term.get("id")), text(term.get("name"))))
    for term in as_list(record.get("taxonomy_terms")) + as_list(record.get("taxonomy")):
        listing.terms.append((text(term.get("code") or term.get("id")),
                              text(term.get("name") or term.get("term"))))
    dates = [date_of(text(record.get("last_modified"))), date_of(text(record.get("assured_date")))]
    dates += [date_of(text(m.get("last_action_date"))) for m in as_list(record.get("metadata"))]
    listing.updated = max((d for d in dates if d), default="")
    return listing


def _phone(record: dict) -> dict:
    """A JSON phone with its languages named as one text, like a table's `language` column."""
    language = record.get("language") or ", ".join(
        _text(lang.get("name")) for lang in as_list(record.get("languages")) if lang.get("name"))
    return {**{k: _text(v) for k, v in record.items()}, "language": _text(language)}
