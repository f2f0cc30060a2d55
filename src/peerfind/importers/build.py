"""From neutral listings to records: keep, clean, type, link, fold repeats of the checked
national lines, drop services the checked facts say have closed, and give each record the
directory's own date."""

from __future__ import annotations

import re
from typing import Any

from .clean import clean, safe_address, slug, web_address
from .hours import hours_text
from .listing import (CLOSED_SERVICE, DUPLICATE_ID, ID_TOO_LONG, INACTIVE, NATIONAL_LINE,
                      NO_NAME, NOT_RELATED, LIMITS, Address, ImportSummary, Limits, Listing,
                      Phone)
from .rules import NO_RULE, Facts, Linker, Rule, Rules, closed_service, facts, keep, language_code
from .clean import key

LINES = ("warmline", "crisis-line", "support-line", "information-line")
_EXTENSION = re.compile(r"^(.*?)\s*(?:x|ext\.?|extension)\s*(\S+)$", re.I)
_PO_BOX = re.compile(r"^\s*(?:P\.?\s*O\.?\s*Box|Post\s+Office\s+Box|Box\s+\d)", re.I)
_ZIP = re.compile(r"^(\d{5})(?:-?\d{4})?$")


def digits(number: str) -> str:
    """A phone number's digits, without the country code 1: "1-866-488-7386" -> "8664887386"."""
    found = re.sub(r"\D", "", number)
    return found[1:] if len(found) == 11 and found.startswith("1") else found


def store_words(record: dict) -> str:
    """The words a search's fit reads: name, organization, taxonomy terms, fellowship."""
    meeting = record.get("meeting") or {}
    return key(" ".join([record["name"], record.get("organization", ""),
                         *record.get("taxonomy", ()), meeting.get("fellowship", "")]))


class NationalLines:
    """The knowledge base's own organizations (checked national lines), by number and name,
    so that a directory's copy of one is folded into it instead of listed twice."""

    def __init__(self, kb) -> None:
        self.by_number: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for org in kb.sections.get("organizations", {}).values():
            if getattr(org, "local", False):
                continue
            for contact in org.contacts:
                if contact.type in ("phone", "text") and len(digits(contact.value)) >= 3:
                    self.by_number.setdefault(digits(contact.value), org.id)
            for name in (org.name, *org.aliases):
                if key(name):
                    self.by_name.setdefault(key(name), org.id)

    def repeated(self, names: list[str], numbers: list[str], is_line: bool) -> str:
        """The id of the national entry a line repeats, or "". Only lines: a local chapter's
        group under a national program's name ("NAMI Connection") is a local listing."""
        if not is_line:
            return ""
        for name in names:
            if name and key(name) in self.by_name:
                return self.by_name[key(name)]
        for number in numbers:
            if digits(number) in self.by_number:
                return self.by_number[digits(number)]
        return ""


class Builder:
    """Turns listings into records, keeping ids unique across one import."""

    def __init__(self, kb, rules: Rules, summary: ImportSummary, *, file_name: str, prefix: str,
                 directory: str, date: str, keep_all: bool, places=None,
                 limits: Limits = LIMITS) -> None:
        self.rules = rules
        self.summary = summary
        self.file_name = file_name
        self.prefix = prefix
        self.directory = directory
        self.date = date  # the package's own date, for records that carry none
        self.keep_all = keep_all
        self.places = places
        self.limits = limits
        self.linker = Linker(kb, rules)
        self.national = NationalLines(kb)
        self.known_ids = set(kb.all_ids())  # an imported id must not extend a built-in entry
        self.used_ids: set[str] = set()
        self.seen_records: set[tuple[str, str]] = set()
        self.blank_ids: list[str] = []
        self.folded: dict[str, int] = {}

    def record(self, listing: Listing, extra_links: tuple[Rule, ...] = ()) -> dict | None:
        """The record for a listing, or None (counted in the summary) to skip it."""
        if listing.status.lower() in ("inactive", "defunct", "temporarily closed"):
            self.summary.skip(INACTIVE)
            return None
        if len(listing.record_id) > self.limits.max_id_chars:
            self.summary.skip(ID_TOO_LONG)
            return None
        if listing.record_id:
            if (listing.table, listing.record_id) in self.seen_records:
                self.summary.skip(DUPLICATE_ID)
                return None
            self.seen_records.add((listing.table, listing.record_id))
        found = facts(listing.name, listing.alternate_name, listing.description, listing.terms)
        related = bool(extra_links) or keep(found, self.rules)
        if not self.keep_all and not related:
            self.summary.skip(NOT_RELATED)
            return None
        if closed_service(found, self.rules):
            self.summary.skip(CLOSED_SERVICE)
            return None
        name = self._clean(listing.name) or self._clean(listing.alternate_name)
        if not name:
            self.summary.skip(NO_NAME)
            return None
        entry_type = next((rule.type for rule in self.rules.types
                           if found.fits(rule, title_only=True)), "local-service")
        if listing.meeting_types or listing.fellowship:
            entry_type = "mutual-help"
        numbers = [p.number for p in listing.phones]
        national = self.national.repeated(
            [name, self._clean(listing.alternate_name),
             self._clean(listing.organization) if entry_type in LINES else ""],
            numbers, entry_type in LINES)
        if national:
            self.summary.skip(NATIONAL_LINE)
            self.folded[national] = self.folded.get(national, 0) + 1
            return None
        return self._record(listing, found, name, entry_type, extra_links, related)

    def _clean(self, value: Any, multiline: bool = False) -> str:
        return clean(value, self.rules.words, self.rules.drop_lines, multiline=multiline)

    def _entry_id(self, listing: Listing) -> str:
        record_slug = slug(listing.record_id)
        entry_id = f"{self.prefix}-{record_slug}" if record_slug else \
            f"{self.prefix}-row-{listing.row}"
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

    def _record(self, listing: Listing, found: Facts, name: str, entry_type: str,
                extra_links: tuple[Rule, ...], related: bool) -> dict:
        rules = self.rules
        description = self._clean(listing.description, multiline=True)
        term_names = [self._clean(t) for _, t in listing.terms if t]
        # A service kept only by --all is linked by its taxonomy alone: its name and
        # description would add links to groups it merely mentions, at most of the cost.
        links = self.linker.links(found, (name if related else "", " ".join(term_names)),
                                  description if related else "", extra_links)
        contacts = self._contacts(listing)
        walk_in = next((a for a in listing.addresses if a.walk_in and a.street
                        and not _PO_BOX.match(a.street)), None)
        place = walk_in or next((a for a in listing.addresses if a.postal_code or a.city), None)
        modes = []
        if listing.attendance:
            if listing.attendance in ("in-person", "hybrid"):
                modes.append("in-person")
            if listing.attendance in ("online", "hybrid"):
                modes.append("online")
            if listing.conference_phone:
                modes.append("phone")
        else:
            # A line's street address is its office, not where the support happens.
            if (walk_in or "physical" in listing.location_types) and entry_type not in LINES:
                modes.append("in-person")
            has_line = any(c["type"] in ("phone", "text", "tty") for c in contacts)
            if has_line and (found.fits(rules.modes.get("phone", NO_RULE), title_only=True)
                             or entry_type in LINES or not modes):
                modes.append("phone")
            if "virtual" in listing.location_types or found.fits(
                    rules.modes.get("online", NO_RULE), title_only=True):
                modes.append("online")

        record: dict[str, Any] = {"id": self._entry_id(listing), "name": name,
                                  "type": entry_type}
        organization = self._clean(listing.organization)
        if organization and organization != name:
            record["organization"] = organization
        if description:
            record["description"] = description
        if walk_in:
            record["address"] = self._address_text(walk_in)
        if place:
            zip_code = _ZIP.match(self._clean(place.postal_code))
            for field_name, value in (("city", self._clean(place.city)),
                                      ("state", self._clean(place.state)),
                                      ("postal_code", zip_code.group(1) if zip_code else "")):
                if value:
                    record[field_name] = value
        self._place(record, listing)
        if listing.hours:
            record["hours"] = [o.as_list() for o in sorted(listing.hours,
                                                           key=lambda o: (o.day, o.opens))]
        notes = [self._clean(n) for n in listing.hours_notes]
        schedule = hours_text(listing.hours, notes)
        if schedule:
            record["schedule"] = schedule
        languages: dict[str, str] = {}
        for language in listing.languages:
            language = self._clean(language)
            code = language_code(rules, language)
            text = rules.language_names.get(code, language) if code else language
            if text:
                languages.setdefault(text.casefold(), text)
        if languages:
            record["languages"] = list(languages.values())
            codes = [language_code(rules, text) for text in languages.values()]
            if any(codes):
                record["language_codes"] = [code for code in codes if code]
        if listing.free is not None:
            record["free"] = listing.free
        if listing.fees:
            record["fees"] = self._clean(listing.fees)
        if listing.min_age is not None or listing.max_age is not None:
            record["ages"] = [listing.min_age, listing.max_age]
        eligibility = self._eligibility(listing)
        if eligibility:
            record["eligibility"] = eligibility
        for field_name, values in (("accessibility", listing.accessibility),
                                   ("service_areas", listing.service_areas)):
            cleaned = list(dict.fromkeys(v for v in map(self._clean, values) if v))
            if cleaned:
                record[field_name] = cleaned
        terms = [code for code, _ in listing.terms if code]
        if terms:
            record["terms"] = list(dict.fromkeys(terms))
        if term_names:
            record["taxonomy"] = list(dict.fromkeys(t for t in term_names if t))
        if modes:
            record["modes"] = list(dict.fromkeys(modes))
        if listing.attendance:
            record["attendance"] = listing.attendance
        if listing.meeting_types or listing.fellowship:
            record["meeting"] = {"fellowship": listing.fellowship,
                                 "types": listing.meeting_types}
        if contacts:
            record["contacts"] = contacts
        for section in ("settings", "populations", "conditions"):
            if links[section]:
                record[section] = links[section]
        record["local"] = True
        record["directory"] = self.directory
        record["source"] = (f"{self.file_name} {listing.table} id "
                            f"{self._clean(listing.record_id) or f'(blank, row {listing.row})'}")
        # The record's own date, else the package's; never the day of the import.
        updated = listing.updated or self.date
        if updated:
            record["updated"] = updated
        return record

    def _place(self, record: dict, listing: Listing) -> None:
        """Coordinates and time zone: the listing's own, else its ZIP code's."""
        zip_place = self.places.zip_place(record["postal_code"]) \
            if self.places is not None and record.get("postal_code") else None
        if listing.latitude is not None and listing.longitude is not None:
            record["latitude"], record["longitude"] = listing.latitude, listing.longitude
            record["located_by"] = "coordinates"
        elif zip_place is not None:
            record["latitude"], record["longitude"] = zip_place.latitude, zip_place.longitude
            record["located_by"] = "postal code"
        timezone = listing.timezone or (zip_place.timezone if zip_place is not None else "")
        if timezone:
            record["timezone"] = timezone

    def _address_text(self, address: Address) -> str:
        street = self._clean(address.street)
        city = self._clean(address.city)
        state = " ".join(part for part in (self._clean(address.state),
                                           self._clean(address.postal_code)) if part)
        country = self._clean(address.country)
        parts = [street, city, state]
        if country and country.upper() not in ("US", "USA", "UNITED STATES"):
            parts.append(country)
        return ", ".join(part for part in parts if part)

    def _phone(self, phone: Phone) -> dict | None:
        number = self._clean(phone.number).strip("\"' ")
        if not number:
            return None
        extension = self._clean(phone.extension)
        found = _EXTENSION.match(number)
        if found and not extension and any(ch.isdigit() for ch in found.group(1)):
            number, extension = found.group(1).rstrip(" ,;"), found.group(2)
        if phone.kind in ("fax", "pager") or not safe_address(number):
            return None
        contact_type = {"text": "text", "sms": "text", "tty": "tty"}.get(phone.kind, "phone")
        parts = [phone.label]
        if extension:
            parts.append(f"option {extension[3:]}" if extension.upper().startswith("OPT")
                         else f"ext. {extension}")
        if phone.language:
            parts.append(self._clean(phone.language))
        description = self._clean(phone.description)
        if description and len(description) <= 60:
            parts.append(description)
        contact = {"type": contact_type, "value": number}
        label = "; ".join(part for part in parts if part)
        if label:
            contact["label"] = label
        return contact

    def _contacts(self, listing: Listing) -> list[dict]:
        contacts: list[dict] = []
        seen: set[tuple[str, str, str]] = set()

        def add(contact: dict | None) -> None:
            if contact is None:
                return
            # The same number often comes from the service, its contact and its location at
            # once; the first (most specific) wins. An extension makes it another line.
            extension = re.search(r"(?:ext\. |option )(\S+)", contact.get("label", ""))
            marker = (contact["type"], digits(contact["value"]) or contact["value"].lower(),
                      extension.group(1) if extension else "")
            if marker not in seen:
                seen.add(marker)
                contacts.append(contact)

        for phone in listing.phones:
            add(self._phone(phone))
        if not any(c["type"] == "phone" for c in contacts):
            for phone in listing.org_phones:
                add(self._phone(phone))
        if listing.conference_url:
            url = web_address(self._clean(listing.conference_url))
            if url:
                add({"type": "url", "value": url, "label": "online meeting"})
        if listing.conference_phone:
            number = self._clean(listing.conference_phone)
            if number and safe_address(number):
                add({"type": "phone", "value": number, "label": "join by phone"})
        url = web_address(self._clean(listing.url))
        if url:
            add({"type": "url", "value": url})
        elif web_address(self._clean(listing.org_url)):
            add({"type": "url", "value": web_address(self._clean(listing.org_url)),
                 "label": "organization website"})
        email = self._clean(listing.email) or self._clean(listing.org_email)
        if email.lower().startswith("mailto:"):
            email = email[7:]
        if email and "@" in email and ":" not in email and " " not in email:
            add({"type": "email", "value": email})
        return contacts

    def _eligibility(self, listing: Listing) -> str:
        parts = [self._clean(text, multiline=True) for text in listing.eligibility]
        low, high = listing.min_age, listing.max_age
        if low is not None and high is not None:
            parts.append(f"Ages {low}-{high}.")
        elif low is not None:
            parts.append(f"Ages {low} and over.")
        elif high is not None:
            parts.append(f"Ages up to {high}.")
        return "\n\n".join(dict.fromkeys(part for part in parts if part))
