"""What was asked: free text and/or ids, plus where and how to search, checked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, did_you_mean
from ..knowledge import KnowledgeBase
from ..language import DEFAULT
from ..language.catalog import N_, SOURCE, Translations, translations
from ..language.choose import SUPPORTED, choose, detect, served_in
from ..language.normalize import scrub_surrogates
from .filters import NO_FILTERS, Filters, When, parse_when
from .searches import DEFAULT_ENGINE, ENGINES

if TYPE_CHECKING:
    import datetime as _dt

MAX_NEED_CHARS = 1000  # a need is cut here (with a note); documented in the README
MAX_PLACE_CHARS = 200  # --location and --near are cut here (with a note)


class Request:
    """What was asked: free text and/or ids, plus where and how to search.

    Request and Result are plain classes: they are made on every run, and each dataclass
    costs a compile at start-up."""

    __slots__ = ("text", "populations", "conditions", "settings", "location", "near", "engine",
                 "line", "filters", "lang", "lang_fixed", "served_in")

    def __init__(self, text: str = "", populations: Sequence[str] = (),
                 conditions: Sequence[str] = (), settings: Sequence[str] = (),
                 location: str = "", near: str = "", engine: str = DEFAULT_ENGINE,
                 line: int | None = None, lang: str = DEFAULT, lang_fixed: bool = False) -> None:
        self.text, self.location, self.near, self.engine = text, location, near, engine
        self.populations, self.conditions, self.settings = populations, conditions, settings
        self.line = line  # batch: the line of the input this need came from
        # Local listing filters and the place --near names (see make_request).
        self.filters: Filters = NO_FILTERS
        self.lang = lang  # the answer's language (language/choose.py)
        self.lang_fixed = lang_fixed  # given by --lang: every need of a batch follows it
        # An English need partly in, or naming, another language: its services come first.
        self.served_in = served_in(text, lang)

    def with_text(self, text: str, line: int | None = None) -> "Request":
        """The same request for another need: in its own language unless --lang fixed one
        (a need with no function words keeps this request's, the locale's)."""
        lang = self.lang if self.lang_fixed else detect(text) or self.lang
        request = Request(text, self.populations, self.conditions, self.settings,
                          self.location, self.near, self.engine, line, lang, self.lang_fixed)
        request.filters = self.filters
        return request

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "populations": list(self.populations),
            "conditions": list(self.conditions),
            "settings": list(self.settings),
            "location": self.location or None,
            "near": self.near or None,
            "engine": self.engine,
            "lang": self.lang,
        }
        if self.line is not None:
            data["line"] = self.line
        return data


def bound_need(text: str) -> tuple[str, bool]:
    """Cut a need to MAX_NEED_CHARS; say whether it was cut."""
    if len(text) <= MAX_NEED_CHARS:
        return text, False
    return text[:MAX_NEED_CHARS], True


# An unknown id, by section (each language says it its own way).
UNKNOWN_ID = {"populations": N_("unknown population id {id}"),
              "conditions": N_("unknown condition id {id}"),
              "settings": N_("unknown setting id {id}")}


def check_ids(kb: KnowledgeBase, section: str, ids: Iterable[str],
              tr: Translations = SOURCE) -> None:
    """Unknown ids are a usage error, with the closest ids suggested."""
    entries = kb.sections[section]
    for entry_id in ids:
        if entry_id not in entries:
            hint = did_you_mean(entry_id, entries, n=3, cutoff=0.5, tr=tr) or tr.gettext(
                "see: peerfind list {section}").format(section=section)
            # What was typed is not repeated: it may be a need given to the wrong option.
            raise UsageError(tr.gettext(UNKNOWN_ID[section]).format(id="").rstrip()
                             + f"; {hint}")


def make_request(kb: KnowledgeBase, text: str = "", *, populations: Sequence[str] = (),
                 conditions: Sequence[str] = (), settings: Sequence[str] = (),
                 location: str = "", near: str = "", engine: str = DEFAULT_ENGINE,
                 line: int | None = None, open_now: bool = False, open_at: str = "",
                 language: str = "", free: bool = False, age: int | None = None,
                 online: bool = False, in_person: bool = False,
                 now: _dt.datetime | None = None, lang: str | None = None,
                 environ: Mapping[str, str] | None = None) -> tuple[Request, list[str]]:
    """A checked request and the notes it earned (unknown ids and engines are usage errors).

    The local listing filters: `near` a ZIP code or "City, ST"; `open_now` at `now` (the
    clock, given by tests; else the time of the call), or `open_at` a weekday and time in each
    listing's own time ("tue 7pm"); `language` a code or name; `free`; `age`; `online` or
    `in_person`. No error message quotes what was typed. `lang` is --lang, the answer's
    language; without it the need's own words, then the locale of `environ` (the process's by
    default), choose it."""
    if engine not in ENGINES:
        raise UsageError(f"unknown search engine; choose from {', '.join(ENGINES)}")
    if lang is not None and lang not in SUPPORTED:
        raise UsageError(f"unknown language; choose from {', '.join(SUPPORTED)}")
    tr = translations(choose(lang, text or "", environ))
    for section, ids in (("populations", populations), ("conditions", conditions),
                         ("settings", settings)):
        check_ids(kb, section, ids, tr)
    notes: list[str] = []
    # Undecodable bytes from argv arrive as lone surrogates: make them printable first.
    text, location, near = (scrub_surrogates(value or "") for value in (text, location, near))
    text, cut = bound_need(text)
    if cut:
        notes.append(translations(choose(lang, text, environ)).gettext(
            "the need was cut to its first {count} characters").format(count=len(text)))
    for option, value in (("location", location), ("near", near)):
        if len(value) > MAX_PLACE_CHARS:
            notes.append(f"the {option} was cut to its first {MAX_PLACE_CHARS} characters")
    location, near = location[:MAX_PLACE_CHARS], near[:MAX_PLACE_CHARS]
    request = Request(text, tuple(populations), tuple(conditions), tuple(settings),
                      location.strip(), near.strip(), engine, line,
                      choose(lang, text, environ), lang is not None)
    request.filters = _filters(near.strip(), open_now, open_at, language, free, age, online,
                               in_person, now)
    return request, notes


def _filters(near: str, open_now: bool, open_at: str, language: str, free: bool,
             age: int | None, online: bool, in_person: bool,
             now: _dt.datetime | None) -> Filters:
    if open_now and open_at:
        raise UsageError("give --open-now or --open, not both")
    if online and in_person:
        raise UsageError("give --online or --in-person, not both")
    if age is not None and not 0 <= age <= 120:
        raise UsageError("--age: expected an age in years, 0 to 120")
    place = None
    if near:
        from ..geo import Places
        from ..knowledge.cache import cache_dir

        place = Places(cache_dir()).find(near)
        if place is None:
            raise UsageError('--near: not a known US ZIP code or city; give a 5-digit ZIP code '
                             'or "City, ST" (like "Miami, FL")')
    when = None
    if open_now:
        import datetime as _dt

        when = When(instant=now or _dt.datetime.now(_dt.timezone.utc))
    elif open_at:
        when = parse_when(open_at)
    code = ""
    if language:
        from .listing_store import language_code

        code = language_code(language)
        if not code:
            raise UsageError("--language: not a language peerfind knows; give a code such as "
                             "es or a name such as Spanish")
    return Filters(near=place, when=when, language=code, free=free, age=age, online=online,
                   in_person=in_person)
