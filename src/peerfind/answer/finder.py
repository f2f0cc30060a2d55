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
from .match import Match, matcher_for, sort_matches
from .request import Request, make_request
from .result import Result
from .searches import guided_searches

MAX_ORGANIZATION_TYPES = 8
MAX_ORGANIZATIONS = 10
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


def read(kb: KnowledgeBase, request: Request) -> tuple[list[Match], CrisisCheck]:
    """What the request names, best first, and whether it reads as a crisis."""
    kb = kb.in_language(request.lang)
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
    kb = kb.in_language(request.lang)
    subjects = [_entry(kb, m.id) for m in matches if m.kind in SUBJECT_KINDS]
    searches, app_searches = guided_searches(kb, request.location, request.engine, matches,
                                             subjects)
    organization_types = _organization_types(kb, subjects)
    organizations = _organizations(kb, matches, subjects, crisis)
    local = local_services(kb, matches, request.near)
    advice = _advice(kb, subjects, organization_types)
    notes = list(notes or ())
    if request.served_in:
        organizations = _serving_first(organizations, request.served_in)
        notes.append(translations(request.lang).gettext(SPANISH_FIRST))
    if not matches and not crisis.detected and request.text.strip():
        notes.append("no specific population, condition or setting matched: showing general "
                     "pathways (see: peerfind list populations)")
    return Result(request, matches, crisis, searches, app_searches, organization_types,
                  organizations, local, advice, kb.crisis.footer, kb.crisis.message, notes)


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


def _organizations(kb: KnowledgeBase, matches: list[Match], subjects: list[Entry],
                   crisis: CrisisCheck) -> list[Organization]:
    shown_in_crisis = {o.id for o in crisis.resources}
    reverse = kb.index.get("links", {})

    def linked() -> Iterable[Organization]:
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


def _advice(kb: KnowledgeBase, subjects: list[Entry], organization_types: list[Setting]
            ) -> list[Advice]:
    def linked() -> Iterable[Advice]:
        for entry in (*subjects, *organization_types):
            yield from (kb.advice[a] for a in entry.advice)
        yield from (a for a in kb.advice.values() if a.general)

    return _unique(linked(), 4)
