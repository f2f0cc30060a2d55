"""Guided searches: which pathways an answer uses, with which focus, each filled into a query
with a search-engine URL."""

from __future__ import annotations

from urllib.parse import quote_plus

from typing import Any

from ..knowledge import KnowledgeBase
from ..knowledge.model import Entry, Pathway
from ..knowledge.templates import formatter_parser
from .match import Match

# DuckDuckGo is the default: it does not track searches.
ENGINES = {
    "duckduckgo": "https://duckduckgo.com/?q={}",
    "google": "https://www.google.com/search?q={}",
    "bing": "https://www.bing.com/search?q={}",
    "startpage": "https://www.startpage.com/do/search?query={}",
}
DEFAULT_ENGINE = "duckduckgo"
# How each engine is asked for results in a language, where it can be: DuckDuckGo's region
# (US, in Spanish), Google's and Bing's interface language.
ENGINE_LANGUAGES = {
    "duckduckgo": {"es": "&kl=us-es"},
    "google": {"es": "&hl=es"},
    "bing": {"es": "&setlang=es"},
}
MAX_SEARCHES = 12
MAX_FOCUSES = 3


class Search:
    """A guided search. `query` is as shown: an unfilled location stays visible as
    "[your city/county]"; `url` is None for app-store searches."""

    __slots__ = ("query", "url", "why", "pathway", "mode", "where", "population", "condition",
                 "placeholders")

    def __init__(self, query: str, url: str | None, why: str, pathway: str, mode: str,
                 where: str = "web", population: str | None = None,
                 condition: str | None = None, placeholders: tuple[str, ...] = ()) -> None:
        self.query, self.url, self.why, self.pathway, self.mode = query, url, why, pathway, mode
        self.where, self.population, self.condition = where, population, condition
        self.placeholders = placeholders  # the placeholders left unfilled

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "url": self.url, "why": self.why, "pathway": self.pathway,
                "mode": self.mode, "where": self.where, "population": self.population,
                "condition": self.condition, "placeholders": list(self.placeholders)}


def search_url(query: str, engine: str = DEFAULT_ENGINE, lang: str = "en") -> str:
    url = ENGINES[engine].format(quote_plus(query))
    return url + ENGINE_LANGUAGES.get(engine, {}).get(lang, "")


def fill(pathway: Pathway, values: dict[str, str], shown_unfilled: dict[str, str],
         engine: str = DEFAULT_ENGINE, population: str | None = None,
         condition: str | None = None, lang: str = "en") -> Search | None:
    """Fill a pathway's template. A missing location stays visible in the query (and is left out
    of the URL); a missing focus is dropped; a missing population, condition or setting means the
    pathway does not apply (None)."""
    shown: list[str] = []
    typed: list[str] = []
    unfilled: list[str] = []
    for literal, name, _, _ in formatter_parser(pathway.template):
        shown.append(literal)
        typed.append(literal)
        if name is None:
            continue
        value = values.get(name, "").strip()
        if value and name == "location":
            # Kept whole ("Walla Walla, WA"), while the other words are said once.
            shown.append(f" {_PLACE} ")
            typed.append(f" {_PLACE} ")
        elif value:
            shown.append(value)
            typed.append(value)
        elif name == "location":
            shown.append(shown_unfilled.get(name, "[your city/county]"))
            unfilled.append(name)
        elif name != "focus":
            return None
    location = values.get("location", "").strip()
    query = _once("".join(shown)).replace(_PLACE, location)
    words = _once("".join(typed)).replace(_PLACE, location)
    url = search_url(words, engine, lang) if pathway.where == "web" else None
    return Search(query, url, pathway.why, pathway.id, pathway.mode, pathway.where,
                  population, condition, tuple(unfilled))


_PLACE = "\x00"


def _once(text: str) -> str:
    """Each word once: a focus may repeat the template's own words ("warmline warmline",
    "youth peer support youth"). Words are compared without case or punctuation."""
    kept: list[str] = []
    seen: set[str] = set()
    for word in text.split():
        bare = word.strip(",.;:()").casefold()
        if bare and bare in seen:
            continue
        seen.add(bare)
        kept.append(word)
    return " ".join(kept)


def guided_searches(kb: KnowledgeBase, location: str, engine: str, matches: list[Match],
                    subjects: list[Entry]) -> tuple[list[Search], list[Search]]:
    """Entry-specific pathways first, then the general ones with the need's focus."""
    populations = [kb.populations[m.id] for m in matches if m.kind == "population"]
    conditions = [kb.conditions[m.id] for m in matches if m.kind == "condition"]
    # The focus of a search: the best population and condition together, then each alone.
    focuses: list[tuple[str, str | None, str | None]] = []
    if populations and conditions:
        focuses.append((f"{populations[0].search_term} {conditions[0].search_term}",
                        populations[0].id, conditions[0].id))
    for entry in subjects:
        if entry.kind in ("population", "condition", "setting"):
            focuses.append((entry.search_term, entry.id if entry.kind == "population" else None,
                            entry.id if entry.kind == "condition" else None))
    if not focuses:
        focuses.append(("", None, None))
    values_base = {"location": location}
    if populations:
        values_base["population"] = populations[0].search_term
    if conditions:
        values_base["condition"] = conditions[0].search_term
    general = [p for p in kb.pathways.values() if p.general]
    # (pathway, focus, population id, condition id)
    plan: list[tuple[Pathway, str, str | None, str | None]] = []
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
    searches: list[Search] = []
    app_searches: list[Search] = []
    seen: set[str] = set()
    for pathway, focus, population, condition in plan:
        values = dict(values_base, focus=focus)
        if population:
            values["population"] = kb.populations[population].search_term
        if condition:
            values["condition"] = kb.conditions[condition].search_term
        made = fill(pathway, values, kb.placeholders, engine, population, condition, kb.lang)
        if made is None or made.query.casefold() in seen:
            continue
        seen.add(made.query.casefold())
        (searches if made.where == "web" else app_searches).append(made)
    return searches[:MAX_SEARCHES], app_searches
