"""The answer to one need, and its JSON contract (result.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from ..knowledge.model import ORGANIZATION_TYPES, Advice, Organization, Setting
from ..language.catalog import translations
from .crisis import CrisisCheck
from .match import Reading
from .request import Request
from .searches import Search

# The version of the JSON contract of an answer (`schema_version` in every result).
RESULT_SCHEMA_VERSION = 1


def result_head(request: Request, reading: Reading, crisis: CrisisCheck) -> dict[str, Any]:
    """The part of an answer that depends on the need's own words (see Result.SHARED_KEYS)."""
    return {
        "schema_version": RESULT_SCHEMA_VERSION,
        "input": request.to_dict(),
        "matched": bool(reading.matches) or crisis.detected,
        "about": reading.speaker.to_dict(),
        "matches": [m.to_dict() for m in reading.matches],
    }


class Result:
    """The answer to one need; `to_dict()` is the JSON contract."""

    def __init__(self, request: Request, reading: Reading, crisis: CrisisCheck,
                 searches: list[Search], app_searches: list[Search],
                 organization_types: list[Setting], organizations: list[Organization],
                 local_services: list[Organization], advice: list[Advice], footer: str = "",
                 crisis_message: str = "", notes: list[str] | None = None,
                 location: str = "", emergency_message: str = "",
                 best_contacts: list[Organization] | None = None) -> None:
        self.request, self.reading, self.crisis = request, reading, crisis
        self.matches = reading.matches
        self.location, self.emergency_message = location, emergency_message
        self.best_contacts = best_contacts or []
        self.searches, self.app_searches = searches, app_searches
        self.organization_types, self.organizations = organization_types, organizations
        self.local_services, self.advice = local_services, advice
        self.footer, self.crisis_message = footer, crisis_message
        self.notes = notes if notes is not None else []

    # Keys of to_dict() that depend only on `signature()`, not on the need's words.
    SHARED_KEYS = ("location", "emergency", "crisis", "best_contacts", "local_services", "searches",
                   "app_searches", "organization_types", "organizations", "advice", "notes",
                   "footer")

    @staticmethod
    def signature(request: Request, reading: Reading, crisis: CrisisCheck) -> tuple[Any, ...]:
        """What the shared part of an answer depends on: equal signatures, equal parts."""
        return (tuple((m.kind, m.id, m.role) for m in reading.matches), crisis.detected,
                crisis.about, tuple(e.id for e in crisis.emergencies),
                reading.place.display if reading.place else None, bool(request.text.strip()),
                request.lang, request.served_in, reading.age, reading.audiences)

    @property
    def matched(self) -> bool:
        """Whether the need matched something specific (or read as a crisis)."""
        return bool(self.matches) or self.crisis.detected

    def to_dict(self) -> dict[str, Any]:
        lang = self.request.lang
        crisis = self.crisis
        return {
            **result_head(self.request, self.reading, crisis),
            "location": {"value": self.location,
                         "from": "option" if self.request.location else "text"}
            if self.location else None,
            "emergency": {
                "detected": bool(crisis.emergencies),
                "message": self.emergency_message if crisis.emergencies else None,
                "kinds": [{"id": e.id, "name": e.name,
                           "steps": [{"text": s.text, "source": s.source or None,
                                      "checked": s.checked or None} for s in e.steps]}
                          for e in crisis.emergencies],
                "resources": [organization_dict(o, lang) for o in crisis.emergency_resources],
            },
            "crisis": {
                "detected": crisis.detected,
                "about": crisis.about or None,
                "message": self.crisis_message if crisis.detected else None,
                "resources": [organization_dict(o, lang) for o in crisis.resources],
            },
            "best_contacts": [organization_dict(o, lang) for o in self.best_contacts],
            "local_services": [organization_dict(o, lang) for o in self.local_services],
            "searches": [s.to_dict() for s in self.searches],
            "app_searches": [s.to_dict() for s in self.app_searches],
            "organization_types": [
                {"id": s.id, "name": s.name, "why": s.why or s.description, "mode": s.mode}
                for s in self.organization_types],
            "organizations": [organization_dict(o, lang) for o in self.organizations],
            "advice": [{"id": a.id, "name": a.name, "points": list(a.points)}
                       for a in self.advice],
            "notes": list(self.notes),
            "footer": self.footer,
        }


def organization_dict(org: Organization, lang: str = "en") -> dict[str, Any]:
    """An organization for machines: its confirmed contacts, flattened and in full; its kind
    told in the answer's language."""
    contacts = [c for c in org.contacts if c.confirmed]
    first: dict[str, Any] = {}
    for contact in contacts:
        first.setdefault(contact.type, contact)
    data: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "kind": org.type,
        "kind_label": translations(lang).gettext(ORGANIZATION_TYPES.get(org.type, org.type)),
        "description": org.description,
        "audience": org.audience or None,
        "hours": org.hours or None,
        "phone": first["phone"].value if "phone" in first else None,
        "text": first["text"].value if "text" in first else None,
        "text_keyword": first["text"].keyword or None if "text" in first else None,
        "chat": first["chat"].value if "chat" in first else None,
        "url": first["url"].value if "url" in first else None,
        "email": first["email"].value if "email" in first else None,
        "contacts": [
            {"type": c.type, "value": c.value, "keyword": c.keyword or None,
             "label": c.label or None, "languages": list(c.languages)}
            for c in contacts
        ],
        "languages": list(org.languages),
        "source": org.source or None,
        "checked": org.checked or None,
        "local": org.local,
    }
    if org.local:
        data.update(organization=org.organization or None, address=org.address or None,
                    schedule=org.schedule or None, eligibility=org.eligibility or None,
                    modes=list(org.modes))
        # A listing chosen by search: how far, why, the directory's own date, its data.
        data.update(getattr(org, "found", None) or {})
    return data




def dumps(data: Any, indent: int | None = None) -> str:
    """JSON text of an answer (or any part of one), never ASCII-escaped, with the controls that a
    terminal or a web page would act on escaped (safety.json_safe): a batch escapes the part
    its needs share once, not once a line."""
    from ..safety import json_safe

    # One encoder per indent: json.dumps builds a new one for every call with options.
    encoder = _ENCODERS.get(indent)
    if encoder is None:
        encoder = _ENCODERS[indent] = json.JSONEncoder(ensure_ascii=False, indent=indent)
    return json_safe(encoder.encode(data))


_ENCODERS: dict[int | None, json.JSONEncoder] = {}
