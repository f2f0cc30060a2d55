"""Answer a need: matches, crisis lines, guided searches, settings, organizations and advice.

`search()` is the library's entry point; `peerfind search --format json` prints
`search(...).to_dict()`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

from .crisis import CrisisCheck, check as check_crisis
from .errors import UsageError
from .match import Match, matcher_for, sort_matches
from .model import ORGANIZATION_TYPES, Entry, KnowledgeBase, Organization
from .queries import DEFAULT_ENGINE, ENGINES, Search, fill
from .text import bound_need, normalize, scrub_surrogates

SCHEMA_VERSION = 1
MAX_SEARCHES = 12
MAX_ORGANIZATION_TYPES = 8
MAX_ORGANIZATIONS = 10
MAX_LOCAL = 10
MAX_FOCUSES = 3
# Kinds of match that shape the answer (organizations named in a need are listed as such).
SUBJECT_KINDS = ("population", "condition", "setting", "topic", "term")


class Request:
    """What was asked: free text and/or ids, plus where and how to search.

    Request and Result are plain classes: they are made on every run, and each dataclass
    costs a compile at start-up."""

    __slots__ = ("text", "populations", "conditions", "settings", "location", "near", "engine",
                 "line")

    def __init__(self, text: str = "", populations: Sequence[str] = (),
                 conditions: Sequence[str] = (), settings: Sequence[str] = (),
                 location: str = "", near: str = "", engine: str = DEFAULT_ENGINE,
                 line: int | None = None) -> None:
        self.text, self.location, self.near, self.engine = text, location, near, engine
        self.populations, self.conditions, self.settings = populations, conditions, settings
        self.line = line  # batch: the line of the input this need came from

    def with_text(self, text: str, line: int | None = None) -> "Request":
        return Request(text, self.populations, self.conditions, self.settings, self.location,
                       self.near, self.engine, line)

    def to_dict(self) -> dict:
        data = {
            "text": self.text,
            "populations": list(self.populations),
            "conditions": list(self.conditions),
            "settings": list(self.settings),
            "location": self.location or None,
            "near": self.near or None,
            "engine": self.engine,
        }
        if self.line is not None:
            data["line"] = self.line
        return data


def result_head(request: Request, matches: list[Match], crisis: CrisisCheck) -> dict:
    """The part of an answer that depends on the need's own words (see Result.SHARED_KEYS)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "input": request.to_dict(),
        "matched": bool(matches) or crisis.detected,
        "matches": [m.to_dict() for m in matches],
    }


class Result:
    """The answer to one need; `to_dict()` is the JSON contract."""

    def __init__(self, request: Request, matches: list[Match], crisis: CrisisCheck,
                 searches: list[Search], app_searches: list[Search],
                 organization_types: list[Entry], organizations: list[Organization],
                 local_services: list[Organization], advice: list[Entry], footer: str = "",
                 crisis_message: str = "", notes: list[str] | None = None) -> None:
        self.request, self.matches, self.crisis = request, matches, crisis
        self.searches, self.app_searches = searches, app_searches
        self.organization_types, self.organizations = organization_types, organizations
        self.local_services, self.advice = local_services, advice
        self.footer, self.crisis_message = footer, crisis_message
        self.notes = notes if notes is not None else []

    # Keys of to_dict() that depend only on `signature()`, not on the need's words.
    SHARED_KEYS = ("crisis", "local_services", "searches", "app_searches", "organization_types",
                   "organizations", "advice", "notes", "footer")

    @staticmethod
    def signature(request: Request, matches: list[Match], crisis: CrisisCheck) -> tuple:
        return (tuple((m.kind, m.id) for m in matches), crisis.detected,
                bool(request.text.strip()))

    @property
    def matched(self) -> bool:
        """Whether the need matched something specific (or read as a crisis)."""
        return bool(self.matches) or self.crisis.detected

    def to_dict(self) -> dict:
        return {
            **result_head(self.request, self.matches, self.crisis),
            "crisis": {
                "detected": self.crisis.detected,
                "message": self.crisis_message if self.crisis.detected else None,
                "resources": [organization_dict(o) for o in self.crisis.resources],
            },
            "local_services": [organization_dict(o) for o in self.local_services],
            "searches": [s.to_dict() for s in self.searches],
            "app_searches": [s.to_dict() for s in self.app_searches],
            "organization_types": [
                {"id": s.id, "name": s.name, "why": s.why or s.description, "mode": s.mode}
                for s in self.organization_types],
            "organizations": [organization_dict(o) for o in self.organizations],
            "advice": [{"id": a.id, "name": a.name, "points": list(a.points)}
                       for a in self.advice],
            "notes": list(self.notes),
            "footer": self.footer,
        }


def organization_dict(org: Organization) -> dict:
    """An organization for machines: its confirmed contacts, flattened and in full."""
    contacts = [c for c in org.contacts if c.confirmed]
    first = {}
    for contact in contacts:
        first.setdefault(contact.type, contact)
    data = {
        "id": org.id,
        "name": org.name,
        "kind": org.type,
        "kind_label": ORGANIZATION_TYPES.get(org.type, org.type),
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
            {"type": c.type, "value": c.value, "keyword": c.keyword or None, "label": c.label or None}
            for c in contacts
        ],
        "source": org.source or None,
        "checked": org.checked or None,
        "local": org.local,
    }
    if org.local:
        data.update(organization=org.organization or None, address=org.address or None,
                    schedule=org.schedule or None, languages=list(org.languages),
                    eligibility=org.eligibility or None, modes=list(org.modes))
    return data


def check_ids(kb: KnowledgeBase, section: str, ids: Iterable[str]) -> None:
    """Unknown ids are a usage error, with the closest ids suggested."""
    entries = kb.sections[section]
    for entry_id in ids:
        if entry_id not in entries:
            import difflib

            kind = section.rstrip("s")
            close = difflib.get_close_matches(entry_id, list(entries), n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(close)}?" if close else \
                f"; see: peerfind list {section}"
            raise UsageError(f"unknown {kind} id {entry_id!r}{hint}")


def make_request(kb: KnowledgeBase, text: str = "", *, populations: Sequence[str] = (),
                 conditions: Sequence[str] = (), settings: Sequence[str] = (),
                 location: str = "", near: str = "", engine: str = DEFAULT_ENGINE,
                 line: int | None = None) -> tuple[Request, list[str]]:
    """A checked request and the notes it earned (unknown ids and engines are usage errors)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown search engine {engine!r}; choose from {', '.join(ENGINES)}")
    for section, ids in (("populations", populations), ("conditions", conditions),
                         ("settings", settings)):
        check_ids(kb, section, ids)
    notes = []
    # Undecodable bytes from argv arrive as lone surrogates: make them printable first.
    text, location, near = (scrub_surrogates(value or "") for value in (text, location, near))
    text, cut = bound_need(text)
    if cut:
        notes.append(f"the need was cut to its first {len(text)} characters")
    request = Request(text, tuple(populations), tuple(conditions), tuple(settings),
                      location.strip(), near.strip(), engine, line)
    return request, notes


def search(text: str = "", *, kb: KnowledgeBase | None = None, **options) -> Result:
    """Answer one need. `text` is free text; `populations`, `conditions` and `settings` name
    entries by id; `location`, `near` and `engine` shape the searches (see make_request)."""
    if kb is None:
        from .knowledge import load_knowledge_base

        kb = load_knowledge_base()
    request, notes = make_request(kb, text, **options)
    return answer(kb, request, notes)


def answer(kb: KnowledgeBase, request: Request, notes: list[str] | None = None) -> Result:
    """The answer to a checked request."""
    return assemble(kb, request, *read(kb, request), notes)


def read(kb: KnowledgeBase, request: Request) -> tuple[list[Match], CrisisCheck]:
    """What the request names, best first, and whether it reads as a crisis."""
    matcher = matcher_for(kb)
    chosen = [
        matcher.make(section, entry_id, 100, (entry_id,), -1, "option")
        for section, ids in (("populations", request.populations),
                             ("conditions", request.conditions), ("settings", request.settings))
        for entry_id in ids
    ]
    found = matcher.match(request.text) if request.text.strip() else []
    matches = _merge_matches(matcher.implied(chosen), found)
    populations = {m.id for m in matches if m.kind == "population"}
    return matches, check_crisis(kb, request.text, populations)


def assemble(kb: KnowledgeBase, request: Request, matches: list[Match], crisis: CrisisCheck,
             notes: list[str] | None = None) -> Result:
    """The answer from what was read. It depends on the kinds and ids matched (in order),
    never on the words themselves, so `batch` can reuse it (see Result.signature)."""
    subjects = [kb.get(m.id) for m in matches if m.kind in SUBJECT_KINDS]
    searches, app_searches = _searches(kb, request, matches, subjects)
    organization_types = _organization_types(kb, subjects)
    organizations = _organizations(kb, matches, subjects, crisis)
    local = _local_services(kb, matches, request.near)
    advice = _advice(kb, subjects, organization_types, searches)
    notes = list(notes or ())
    if not matches and not crisis.detected and request.text.strip():
        notes.append("no specific population, condition or setting matched: showing general "
                     "pathways (see: peerfind list populations)")
    return Result(request, matches, crisis, searches, app_searches, organization_types,
                  organizations, local, advice, kb.crisis.footer, kb.crisis.message, notes)


def _merge_matches(chosen: list[Match], found: list[Match]) -> list[Match]:
    """Options first, then the need's matches that the options did not already name."""
    seen = {(m.kind, m.id) for m in chosen}
    return chosen + sort_matches([m for m in found if (m.kind, m.id) not in seen])


def _searches(kb, request, matches, subjects):
    """Entry-specific pathways first, then the general ones with the need's focus."""
    populations = [kb.get(m.id) for m in matches if m.kind == "population"]
    conditions = [kb.get(m.id) for m in matches if m.kind == "condition"]
    # The focus of a search: the best population and condition together, then each alone.
    focuses = []
    if populations and conditions:
        focuses.append((f"{populations[0].search_term} {conditions[0].search_term}",
                        populations[0].id, conditions[0].id))
    for entry in subjects:
        if entry.kind in ("population", "condition", "setting"):
            focuses.append((entry.search_term, entry.id if entry.kind == "population" else None,
                            entry.id if entry.kind == "condition" else None))
    if not focuses:
        focuses.append(("", None, None))
    values_base = {"location": request.location}
    if populations:
        values_base["population"] = populations[0].search_term
    if conditions:
        values_base["condition"] = conditions[0].search_term
    general = [p for p in kb.pathways.values() if p.general]
    plan = []  # (pathway, focus, population id, condition id)
    primary = focuses[0]
    plan += [(p, *primary) for p in general[:1]]
    for entry in subjects:
        is_pop = entry.kind == "population"
        is_cond = entry.kind == "condition"
        for pathway_id in entry.pathways:
            plan.append((kb.pathways[pathway_id], entry.search_term, entry.id if is_pop else None,
                         entry.id if is_cond else None))
    plan += [(p, *primary) for p in general[1:]]
    plan += [(general[0], *focus) for focus in focuses[1:MAX_FOCUSES + 1]] if general else []
    searches, app_searches, seen = [], [], set()
    for pathway, focus, population, condition in plan:
        values = dict(values_base, focus=focus)
        if population:
            values["population"] = kb.populations[population].search_term
        if condition:
            values["condition"] = kb.conditions[condition].search_term
        made = fill(pathway, values, kb.placeholders, request.engine, population, condition)
        if made is None or made.query.casefold() in seen:
            continue
        seen.add(made.query.casefold())
        (searches if made.where == "web" else app_searches).append(made)
    return searches[:MAX_SEARCHES], app_searches


def build_links(merged: dict) -> dict:
    """Reverse links from raw records: which organizations serve an id, and which are general.

    Local listings are kept apart, by number in file order (see knowledge.LocalListings):
    there may be thousands of them."""
    links: dict[str, list[str]] = {}
    local_links: dict[str, list[int]] = {}
    local_places: list[str] = []
    general = []
    for record in merged.get("organizations", ()):
        if record.get("local"):
            target, name = local_links, len(local_places)
            local_places.append(normalize(record.get("address", "")))
        else:
            target, name = links, record["id"]
        for key in ("populations", "conditions", "settings"):
            for linked_id in record.get(key, ()):
                target.setdefault(linked_id, []).append(name)
        if record.get("general"):
            general.append(record["id"])
    return {"links": links, "local_links": local_links, "local_places": local_places,
            "general_organizations": general}


def _unique(entries: Iterable[Entry], limit: int) -> list:
    out, seen = [], set()
    for entry in entries:
        if entry.id not in seen:
            seen.add(entry.id)
            out.append(entry)
    return out[:limit]


def _organization_types(kb, subjects):
    def linked():
        for entry in subjects:
            if entry.kind == "setting":
                yield entry
            yield from (kb.settings[s] for s in entry.settings)
        yield from (s for s in kb.settings.values() if s.general)

    return _unique(linked(), MAX_ORGANIZATION_TYPES)


def _organizations(kb, matches, subjects, crisis):
    shown_in_crisis = {o.id for o in crisis.resources}
    reverse = kb.index.get("links", {})

    def linked():
        for m in matches:
            if m.kind == "organization":
                yield kb.organizations[m.id]
        for entry in subjects:
            yield from (kb.organizations[o] for o in entry.organizations)
        for m in matches:
            yield from (kb.organizations[o] for o in reverse.get(m.id, ()))
        yield from (kb.organizations[o] for o in kb.index.get("general_organizations", ()))

    orgs = (o for o in linked() if o.id not in shown_in_crisis and not o.local)
    return _unique(orgs, MAX_ORGANIZATIONS)


def _local_services(kb, matches, near: str):
    """Local listings linked to what matched: nearer first (by the words of their address),
    then more shared links, then file order. Ranked from the index alone: only the listings
    shown are ever read."""
    local_links = kb.index.get("local_links", {})
    if not local_links or not matches:
        return []
    weights = {"population": 2, "condition": 2, "setting": 1}
    scores: dict[int, int] = {}
    specific: set[int] = set()
    for m in matches:
        for number in local_links.get(m.id, ()):
            scores[number] = scores.get(number, 0) + weights.get(m.kind, 1)
            if m.kind in ("population", "condition"):
                specific.add(number)
    if any(m.kind in ("population", "condition") for m in matches):
        scores = {number: score for number, score in scores.items() if number in specific}
    near_words = set(normalize(near).split())
    places = kb.index.get("local_places", []) if near_words else []

    def rank(number):
        nearness = len(near_words & set(places[number].split())) if near_words else 0
        return (-nearness, -scores[number], number)

    return [kb.local[number] for number in heapq.nsmallest(MAX_LOCAL, scores, key=rank)]


def _advice(kb, subjects, organization_types, searches):
    def linked():
        for entry in (*subjects, *organization_types):
            yield from (kb.advice[a] for a in entry.advice)
        yield from (a for a in kb.advice.values() if a.general)

    return _unique(linked(), 4)
