"""The neutral listing every reader produces, whatever the source format.

A reader (HSDS tables, HSDS JSON, a Meeting Guide feed) parses structure: opening hours as
days and minutes, coordinates, ages, fees, the record's own date. Text stays as the source
wrote it until a listing is kept (cleaning 100,000 descriptions that are then dropped is most
of an import's cost); `build.py` cleans, classifies and links what is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Opening:
    """One weekly opening. `day` is 0 for Monday; minutes count from midnight. `closes` at or
    before `opens` means the opening runs past midnight into the next day."""

    day: int
    opens: int
    closes: int

    def as_list(self) -> list:
        return [self.day, clock(self.opens), clock(self.closes)]


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class Phone:
    number: str
    extension: str = ""
    kind: str = ""  # the source's phone type: voice, text, sms, tty, fax...
    label: str = ""
    language: str = ""
    description: str = ""


@dataclass
class Address:
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    walk_in: bool = True  # False for a post-office box: a place on a map, not a door


@dataclass
class Listing:
    """One service or meeting, before cleaning and classification."""

    record_id: str
    table: str  # where it came from: "services.csv", "service", "meetings.json"
    row: int  # 1-based position in its table or list, for blank ids
    name: str = ""
    alternate_name: str = ""
    description: str = ""
    organization: str = ""
    status: str = ""
    url: str = ""
    email: str = ""
    org_url: str = ""
    org_email: str = ""
    phones: list[Phone] = field(default_factory=list)
    org_phones: list[Phone] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    location_types: set[str] = field(default_factory=set)  # physical, virtual, postal
    latitude: float | None = None
    longitude: float | None = None
    timezone: str = ""  # IANA name; empty when the source gives none
    hours: list[Opening] = field(default_factory=list)
    hours_notes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    fees: str = ""
    free: bool | None = None  # None: the source does not say
    min_age: int | None = None
    max_age: int | None = None
    eligibility: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    service_areas: list[str] = field(default_factory=list)
    terms: list[tuple[str, str]] = field(default_factory=list)  # (code or id, name)
    updated: str = ""  # ISO date from the record itself
    # Meeting feeds.
    meeting_types: list[str] = field(default_factory=list)
    fellowship: str = ""
    conference_url: str = ""
    conference_phone: str = ""
    attendance: str = ""  # in-person | online | hybrid


@dataclass
class ImportSummary:
    """What an import read, kept and skipped, for a person reading stderr."""

    read: int = 0
    kept: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    what: str = "services"

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def lines(self) -> list[str]:
        total = sum(self.skipped.values())
        lines = [f"read {self.read} {self.what} from {self.source or 'the export'}: "
                 f"kept {self.kept}, skipped {total}"]
        if self.skipped:
            lines.append("skipped: " + ", ".join(
                f"{count} {reason}" for reason, count in
                sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))))
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return lines


@dataclass(frozen=True)
class Limits:
    """What an import will read before it refuses. Each is documented in the README."""

    max_total_bytes: int = 2_000_000_000  # all tables of a package, uncompressed
    max_ratio: int = 200  # uncompressed / compressed size of one zip member
    max_field_chars: int = 1_000_000  # one CSV field; a longer one skips its record
    max_json_bytes: int = 500_000_000  # one JSON file
    max_json_depth: int = 64  # nesting of JSON arrays and objects
    max_id_chars: int = 200  # a longer record id skips its record


LIMITS = Limits()

# Reasons a record is skipped (keys of ImportSummary.skipped).
NOT_RELATED = "not peer-support related"
DUPLICATE_ID = "duplicate id"
INACTIVE = "inactive"
NO_NAME = "no name"
TEMPORARILY_CLOSED = "temporarily closed"
NATIONAL_LINE = "repeat a checked national line"
CLOSED_SERVICE = "closed according to the checked facts"
FIELD_TOO_LONG = "a field over the size limit"
ID_TOO_LONG = "an id over the size limit"
