"""Answer a need: matches, crisis lines, guided searches, settings, organizations and advice.

`search()` is the library's entry point; `peerfind search --format json` prints
`search(...).to_dict()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from ..knowledge import KnowledgeBase
from ..knowledge.model import Advice, Entry, Organization, Setting
from ..language.catalog import translations
from ..language.names import SPANISH_FIRST
from .crisis import CrisisCheck, check as check_crisis
from .local import local_services
from .match import Match, Reading, matcher_for, sort_matches
from .speaker import OTHER
from .request import Request, make_request
from .result import Result
from .searches import guided_searches

MAX_ORGANIZATION_TYPES = 8
MAX_ORGANIZATIONS = 10
# The contacts that fit a person best: organizations they can call or text now.
MAX_BEST_CONTACTS = 3
REACHABLE = ("phone", "text", "dial")
# Kinds of match that shape the answer (organizations named in a need are listed as such).
SUBJECT_KINDS = ("population", "condition", "setting", "topic", "term")

E = TypeVar("E", bound=Entry)


def search(text: str = "", *, kb: KnowledgeBase | None = None, **options: Any) -> Result:
    """Answer one need. `text` is free text; `populations`, `conditions` and `settings` name
    entries by id; `location`, `near` and `engine` shape the searches (see make_request)."""
    if kb is None:
        from ..knowledge import load_knowledge_base

        kb = load_knowledge_base()
    request, notes = make_request(kb, text, **options)
    return answer(kb, request, notes)


def answer(kb: KnowledgeBase, request: Request, notes: list[str] | None = None) -> Result:
    """The answer to a checked request."""
    return assemble(kb, request, *read(kb, request), notes)


def read(kb: KnowledgeBase, request: Request) -> tuple[Reading, CrisisCheck]:
    """What the request names (best first), who it is about, where, and whether it reads as a
    crisis or an emergency."""
    kb = kb.in_language(request.lang)
    matcher = matcher_for(kb)
    chosen = [
        matcher.make(section, entry_id, 100, (entry_id,), -1, "option")
        for section, ids in (("populations", request.populations),
                             ("conditions", request.conditions), ("settings", request.settings))
        for entry_id in ids
    ]
    found = matcher.read(request.text) if request.text.strip() else Reading([])
    # A matcher's readings are shared between equal needs (a batch): make a new one.
    reading = Reading(_merge_matches(matcher.implied(chosen), found.matches), found.speaker,
                      found.place, found.age, found.audiences)
    populations = {m.id for m in reading.matches if m.kind == "population"}
    return reading, check_crisis(kb, request.text, populations, reading.age)


def assemble(kb: KnowledgeBase, request: Request, reading: Reading, crisis: CrisisCheck,
             notes: list[str] | None = None) -> Result:
    """The answer from what was read. It depends on what was read (the kinds and ids matched,
    in order, who the need is about, the place), never on the words themselves, so `batch` can
    reuse it (see Result.signature)."""
    kb = kb.in_language(request.lang)
    tr = translations(request.lang)
    matches = reading.matches
    subjects = [_entry(kb, m.id) for m in matches if m.kind in SUBJECT_KINDS]
    notes = list(notes or ())
    location = request.location
    if not location and reading.place is not None:
        location = reading.place.display
        notes.append(tr.gettext("searching near {place}, read from your words (--location "
                                "changes it)").format(place=location))
    searches, app_searches = guided_searches(kb, location, request.engine, matches, subjects)
    organization_types = _organization_types(kb, subjects)
    ranked = _organizations(kb, reading, crisis)
    organizations = ranked[:MAX_ORGANIZATIONS]
    named = {m.id for m in matches}
    best = [o for o in ranked if _reachable(o) and _audience(o, named, reading) == 1.0
            ][:MAX_BEST_CONTACTS]
    local, local_notes = local_services(kb, matches, request.filters)
    notes += local_notes
    advice = _advice(kb, subjects, organization_types)
    if request.served_in:
        organizations = _serving_first(organizations, request.served_in)
        notes.append(tr.gettext(SPANISH_FIRST))
    if not matches and not crisis.detected and request.text.strip():
        notes.append(tr.gettext("no specific population, condition or setting matched: showing "
                                "general pathways (see: peerfind list populations)"))
    message = kb.crisis.helper_message if crisis.about == OTHER and kb.crisis.helper_message \
        else kb.crisis.message
    return Result(request, reading, crisis, searches, app_searches, organization_types,
                  organizations, local, advice, kb.crisis.footer, message, notes, location,
                  kb.crisis.emergency_message, best)


def _serving_first(organizations: list[Organization], lang: str) -> list[Organization]:
    """Organizations that serve `lang` first, each group in its own order."""
    return sorted(organizations, key=lambda o: not (
        lang in o.languages or any(lang in c.languages for c in o.contacts)))


def _entry(kb: KnowledgeBase, entry_id: str) -> Entry:
    entry = kb.get(entry_id)
    assert entry is not None, entry_id
    return entry


def _merge_matches(chosen: list[Match], found: list[Match]) -> list[Match]:
    """Options first, then the need's matches that the options did not already name."""
    seen = {(m.kind, m.id) for m in chosen}
    return chosen + sort_matches([m for m in found if (m.kind, m.id) not in seen])


def _unique(entries: Iterable[E], limit: int) -> list[E]:
    out: list[E] = []
    seen: set[str] = set()
    for entry in entries:
        if entry.id not in seen:
            seen.add(entry.id)
            out.append(entry)
    return out[:limit]


def _organization_types(kb: KnowledgeBase, subjects: list[Entry]) -> list[Setting]:
    def linked() -> Iterable[Setting]:
        for entry in subjects:
            if isinstance(entry, Setting):
                yield entry
            yield from (kb.settings[s] for s in entry.settings)
        yield from (s for s in kb.settings.values() if s.general)

    return _unique(linked(), MAX_ORGANIZATION_TYPES)


def _organizations(kb: KnowledgeBase, reading: Reading, crisis: CrisisCheck
                   ) -> list[Organization]:
    """Named organizations, those that fit the best matches first.

    Each organization scores what it is linked to: a match weighs more the higher it ranks,
    and half as much when it is said of someone else. So for a wife whose husband drinks,
    Al-Anon (linked to families and to alcohol) comes before AA (alcohol alone); ties keep the
    order in which the knowledge base links them."""
    shown_in_crisis = {o.id for o in (*crisis.emergency_resources, *crisis.resources)}
    reverse = kb.index.get("links", {})
    weights: dict[str, float] = {}
    order: list[str] = []
    matches = reading.matches
    matched = {m.id for m in matches}

    def add(org_id: str, weight: float) -> None:
        if org_id not in weights:
            weights[org_id] = 0.0
            order.append(org_id)
        weights[org_id] += weight

    named = [m for m in matches if m.kind in (*SUBJECT_KINDS, "organization")]
    # The writer's own matches first: they are who the answer is for.
    for rank, m in enumerate(sorted(named, key=lambda m: m.role == OTHER)):
        weight = (0.5 if m.role == OTHER else 1.0) / (1 + rank)
        if m.kind == "organization":
            add(m.id, 2 * weight)
            continue
        entry = _entry(kb, m.id)
        linked = dict.fromkeys((*entry.organizations, *reverse.get(m.id, ())))
        for org_id in linked:
            add(org_id, weight * _audience(kb.organizations[org_id], matched, reading))
    for org_id in kb.index.get("general_organizations", ()):
        add(org_id, 0.0)
    ranked = sorted(order, key=lambda org_id: -weights[org_id])  # stable: ties keep their order
    orgs = (kb.organizations[o] for o in ranked)
    return [o for o in orgs if o.id not in shown_in_crisis and not o.local and o.confirmed]


def _audience(org: Organization, matched: set[str], reading: Reading) -> float:
    """How well an organization's own audience fits: one that serves certain populations
    (Al-Anon: families), or certain conditions (Gam-Anon: gambling), fits a need that names
    none of them a fifth as well; so does one for ages the writer says they are not, or for
    people the need does not name (Trans Lifeline: trans and questioning people)."""
    fit = 1.0 if not org.populations or matched.intersection(org.populations) else 0.2
    if not matched.issuperset(org.requires) or not org.serves_age(reading.age):
        fit *= 0.2  # The Trevor Project: LGBTQ+ and under 25
    if org.requires_words and org.id not in reading.audiences:
        fit *= 0.2
    return fit if not org.conditions or matched.intersection(org.conditions) else fit * 0.2


def _reachable(org: Organization) -> bool:
    return any(c.type in REACHABLE and c.confirmed for c in org.contacts)


def _advice(kb: KnowledgeBase, subjects: list[Entry], organization_types: list[Setting]
            ) -> list[Advice]:
    def linked() -> Iterable[Advice]:
        for entry in (*subjects, *organization_types):
            yield from (kb.advice[a] for a in entry.advice)
        yield from (a for a in kb.advice.values() if a.general)

    return _unique(linked(), 4)
