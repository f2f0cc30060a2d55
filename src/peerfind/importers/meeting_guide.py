"""Reader for Meeting Guide JSON feeds: the open format in which AA intergroups (and NA,
Al-Anon and other fellowships using the same software) publish weekly meetings.

A feed is a JSON array of meetings. Days count from Sunday (0); times are "HH:MM"; a meeting
without an end lasts an hour (as the specification says); `types` are codes such as O (open),
S (Spanish), ONL (online), TC (location temporarily closed). Temporarily closed and inactive
meetings are never listed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .clean import date_of, number, safe_address, shown, web_address
from .hours import minutes
from .listing import LIMITS, DAY_MINUTES, Address, ImportSummary, Limits, Listing, Opening, Phone
from .rules import Rule, Rules, key
from .sources import fail, load_json, read_file

TEMPORARILY_CLOSED = "temporarily closed"
NO_WAY_TO_ATTEND = "no address and no online link"
_TIMEZONE = re.compile(r"^(?:[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+|UTC)$")
_STATE_ZIP = re.compile(r"^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$")


def looks_like_feed(data: Any) -> bool:
    """Whether parsed JSON is a Meeting Guide feed: a list of objects with a slug or day/time."""
    if not isinstance(data, list) or not data:
        return False
    sample = [item for item in data[:20] if isinstance(item, dict)]
    return bool(sample) and all("slug" in item or ("day" in item and "time" in item)
                                for item in sample)


def read_feed(path: Path, summary: ImportSummary, rules: Rules, fellowship: str = "",
              limits: Limits = LIMITS, data: Any = None) -> list[Listing]:
    """Every meeting of a feed as a listing (one opening per day it meets)."""
    if data is None:
        data = load_json(read_file(path, limits), path, limits)
    if not isinstance(data, list):
        raise fail(path, "not a Meeting Guide feed: expected a JSON array of meetings")
    summary.what = "meetings"
    listings = []
    for row, item in enumerate(data, 1):
        if not isinstance(item, dict):
            summary.warnings.append(f"{shown(path.name)}: item {row} is not a meeting; skipped")
            continue
        listing = _meeting(item, path.name, row, rules, fellowship)
        types = set(listing.meeting_types)
        if types & rules.closed_types or _text(item.get("attendance_option")) == "inactive":
            summary.read += 1
            summary.skip(TEMPORARILY_CLOSED)
            continue
        if not listing.attendance:
            summary.read += 1
            summary.skip(NO_WAY_TO_ATTEND)
            continue
        listings.append(listing)
    missing = sum(1 for listing in listings if not listing.fellowship)
    if missing:
        summary.warnings.append(f"{missing} meetings name no fellowship (AA, Al-Anon, NA...): "
                                f"give one with --fellowship")
    return listings


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _days(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    days = []
    for item in values:
        day = number(item)
        if day is not None and day == int(day) and 0 <= day <= 6:
            days.append((int(day) + 6) % 7)  # Sunday 0 -> Monday 0
    return days


def _address(item: dict) -> Address | None:
    street, city = _text(item.get("address")), _text(item.get("city"))
    state, postal = _text(item.get("state")), _text(item.get("postal_code"))
    country = _text(item.get("country"))
    if not (street or city) and _text(item.get("formatted_address")):
        # "4953 W Addison St, Chicago, IL 60641, USA"
        parts = [p.strip() for p in _text(item["formatted_address"]).split(",")]
        if parts and parts[-1].upper() in ("USA", "US", "UNITED STATES"):
            country = parts.pop()
        state_zip = _STATE_ZIP.match(parts[-1]) if len(parts) >= 3 else None
        if state_zip is not None:
            state, postal = state_zip.groups()
            city, street = parts[-2], ", ".join(parts[:-2])
        elif len(parts) == 2 and re.match(r"^[A-Z]{2}$", parts[-1]):
            city, state = parts
        else:
            street = ", ".join(parts)
    if not (street or city or postal):
        return None
    approximate = _text(item.get("approximate")).lower() == "yes"
    return Address(street=street, city=city, state=state, postal_code=postal, country=country,
                   walk_in=bool(street) and not approximate)


def _fellowship(item: dict, rules: Rules, given: str) -> str:
    if given:
        return given
    text = key(" ".join(_text(item.get(name)) for name in ("entity", "name", "group")))
    for fellowship in rules.fellowships:
        if fellowship.keywords is not None and fellowship.keywords.search(text):
            return fellowship.name
    return ""


def _meeting(item: dict, table: str, row: int, rules: Rules, given_fellowship: str) -> Listing:
    text = _text
    types = [text(t) for t in item.get("types") or () if text(t)] \
        if isinstance(item.get("types"), list) else []
    address = _address(item)
    conference_url, conference_phone = text(item.get("conference_url")), \
        text(item.get("conference_phone"))
    # A link that is not http(s) (javascript:, data:) is no way to attend.
    online = bool(web_address(conference_url) or (conference_phone
                                                  and safe_address(conference_phone)))
    in_person = address is not None and address.walk_in
    attendance = ("hybrid" if online and in_person else "online" if online
                  else "in-person" if in_person else "")
    notes = [text(item.get(name)) for name in ("notes", "location_notes", "conference_url_notes",
                                               "conference_phone_notes")]
    location = text(item.get("location"))
    listing = Listing(
        record_id=text(item.get("slug")), table=table, row=row,
        name=text(item.get("name")),
        description="\n\n".join(n for n in [location, *notes] if n),
        organization=text(item.get("group")) or text(item.get("entity")),
        url=text(item.get("url")),
        org_url=text(item.get("entity_website_url") or item.get("entity_url")),
        org_email=text(item.get("entity_email")),
        timezone=text(item.get("timezone")) if _TIMEZONE.match(text(item.get("timezone")))
        else "",
        meeting_types=types,
        conference_url=conference_url, conference_phone=conference_phone,
        attendance=attendance,
        updated=date_of(item.get("updated")),
    )
    listing.fellowship = _fellowship(item, rules, given_fellowship)
    if address is not None:
        listing.addresses.append(address)
    lat, lon = number(item.get("latitude")), number(item.get("longitude"))
    if lat is not None and lon is not None and abs(lat) <= 90 and (lat or lon):
        listing.latitude, listing.longitude = lat, lon
    if text(item.get("entity_phone")):
        listing.org_phones.append(Phone(number=text(item["entity_phone"]),
                                        label="the service office"))
    start = minutes(text(item.get("time")))
    end = minutes(text(item.get("end_time")))
    if start is not None:
        end = (start + 60) % DAY_MINUTES if end is None else end % DAY_MINUTES
        listing.hours = [Opening(day, start, end) for day in _days(item.get("day"))]
    if not listing.hours:
        listing.hours_notes.append("by appointment")
    listing.languages = [rules.language_names.get(rules.meeting_languages[t], t)
                         for t in types if t in rules.meeting_languages]
    fellowship = next((f for f in rules.fellowships if f.name == listing.fellowship), None)
    if fellowship is not None and fellowship.free:
        listing.free = True  # these fellowships have no dues or fees
    return listing


def meeting_links(listing: Listing, rules: Rules) -> tuple[Rule, ...]:
    """The links a meeting's fellowship and type codes give (Al-Anon: families; W: women)."""
    links = [f.links for f in rules.fellowships if f.name == listing.fellowship]
    links += [rules.meeting_links[t] for t in listing.meeting_types if t in rules.meeting_links]
    return tuple(links)
