"""Turn pathway templates into guided searches, each with a search-engine URL."""

from __future__ import annotations

from urllib.parse import quote_plus

try:  # what string.Formatter().parse runs; importing `string` costs a millisecond more
    from _string import formatter_parser
except ImportError:  # pragma: no cover - Python implementations without _string
    import string

    formatter_parser = string.Formatter().parse

from .model import Pathway

# DuckDuckGo is the default: it does not track searches.
ENGINES = {
    "duckduckgo": "https://duckduckgo.com/?q={}",
    "google": "https://www.google.com/search?q={}",
    "bing": "https://www.bing.com/search?q={}",
    "startpage": "https://www.startpage.com/do/search?query={}",
}
DEFAULT_ENGINE = "duckduckgo"


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

    def to_dict(self) -> dict:
        return {"query": self.query, "url": self.url, "why": self.why, "pathway": self.pathway,
                "mode": self.mode, "where": self.where, "population": self.population,
                "condition": self.condition, "placeholders": list(self.placeholders)}


def search_url(query: str, engine: str = DEFAULT_ENGINE) -> str:
    return ENGINES[engine].format(quote_plus(query))


def fill(pathway: Pathway, values: dict[str, str], shown_unfilled: dict[str, str],
         engine: str = DEFAULT_ENGINE, population: str | None = None,
         condition: str | None = None) -> Search | None:
    """Fill a pathway's template. A missing location stays visible in the query (and is left out
    of the URL); a missing focus is dropped; a missing population, condition or setting means the
    pathway does not apply (None)."""
    shown, typed, unfilled = [], [], []
    for literal, name, _, _ in formatter_parser(pathway.template):
        shown.append(literal)
        typed.append(literal)
        if name is None:
            continue
        value = values.get(name, "").strip()
        if value:
            shown.append(value)
            typed.append(value)
        elif name == "location":
            shown.append(shown_unfilled.get(name, "[your city/county]"))
            unfilled.append(name)
        elif name != "focus":
            return None
    query = " ".join("".join(shown).split())
    words = " ".join("".join(typed).split())
    url = search_url(words, engine) if pathway.where == "web" else None
    return Search(query, url, pathway.why, pathway.id, pathway.mode, pathway.where,
                  population, condition, tuple(unfilled))
