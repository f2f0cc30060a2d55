"""The import rules of data/hsds.yaml, compiled: which listings to keep, what kind each one is,
what it links to in the knowledge base, which national lines and closed services the
directory repeats, language codes, and the Meeting Guide type codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PeerfindError
from .clean import key, shown

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "hsds.yaml"


@dataclass(frozen=True)
class Rule:
    """One rule: what it looks for and what it gives."""

    codes: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()
    keywords: re.Pattern | None = None
    unless_codes: frozenset[str] = frozenset()  # a type rule does not fit with these codes
    settings: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    type: str = ""


NO_RULE = Rule()


@dataclass(frozen=True)
class Fellowship:
    name: str
    keywords: re.Pattern | None
    links: Rule
    free: bool


@dataclass(frozen=True)
class Rules:
    keep: Rule
    weak: re.Pattern | None
    context: re.Pattern | None
    exclude: re.Pattern | None
    types: tuple[Rule, ...]
    modes: dict[str, Rule]
    links: tuple[Rule, ...]
    min_score: int
    min_score_description: int
    kinds: frozenset[str]
    drop_lines: tuple[re.Pattern, ...]
    words: tuple[tuple[str, str], ...]
    closed: tuple[tuple[re.Pattern | None, re.Pattern | None, str], ...]  # names, when, what
    languages: dict[str, str]  # any name or code, folded -> ISO 639-1 code
    language_names: dict[str, str]  # code -> English name
    meeting_languages: dict[str, str]  # meeting type code -> ISO 639-1 code
    meeting_links: dict[str, Rule]  # meeting type code -> links
    fellowships: tuple[Fellowship, ...]
    setting_kinds: dict[str, list[str]] = field(default_factory=dict)  # setting -> types
    online_types: frozenset[str] = field(default_factory=frozenset)
    closed_types: frozenset[str] = field(default_factory=frozenset)


def load_rules(path: Path = RULES_PATH) -> Rules:
    """The import rules (data/hsds.yaml), compiled for matching."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PeerfindError(f"{shown(path)}: cannot read the import rules ({shown(exc)})") \
            from None
    return _compile(raw)


def phrases(items: Any) -> re.Pattern | None:
    """One pattern for a list of phrases, normalised and stemmed like the text it reads."""
    keys = sorted({key(str(item)) for item in items or () if key(str(item))}, key=len,
                  reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in keys)
                      + r")(?![a-z0-9])")


def _codes(items: Any) -> frozenset[str]:
    return frozenset(str(c).strip().upper() for c in items or ())


def _rule(item: dict | None) -> Rule:
    item = item or {}
    return Rule(
        codes=_codes(item.get("codes")),
        terms=frozenset(str(t).strip().casefold() for t in item.get("terms") or ()),
        keywords=phrases(item.get("keywords")),
        unless_codes=_codes(item.get("unless_codes")),
        settings=tuple(item.get("settings") or ()),
        populations=tuple(item.get("populations") or ()),
        conditions=tuple(item.get("conditions") or ()),
        type=str(item.get("type") or ""),
    )


def _compile(raw: dict) -> Rules:
    from ..language.normalize import fold

    keep = raw.get("keep") or {}
    text = raw.get("text") or {}
    match = raw.get("match") or {}
    meetings = raw.get("meetings") or {}
    languages: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, spellings in (raw.get("languages") or {}).items():
        code = str(code).lower()
        names[code] = str(spellings[0])
        for spelling in [code, *spellings]:
            languages[fold(str(spelling)).strip()] = code
    return Rules(
        keep=_rule(keep),
        weak=phrases(keep.get("weak_keywords")),
        context=phrases(keep.get("context")),
        exclude=phrases(keep.get("exclude")),
        types=tuple(_rule(item) for item in raw.get("types") or ()),
        modes={mode: _rule(item) for mode, item in (raw.get("modes") or {}).items()},
        links=tuple(_rule(item) for item in raw.get("links") or ()),
        min_score=int(match.get("min_score", 90)),
        min_score_description=int(match.get("min_score_description", 100)),
        kinds=frozenset(match.get("kinds") or ("population", "condition", "setting")),
        drop_lines=tuple(re.compile(p) for p in text.get("drop_lines") or ()),
        words=tuple((text.get("words") or {}).items()),
        closed=tuple((phrases(item.get("names")), phrases(item.get("when")),
                      str(item.get("what") or "")) for item in raw.get("closed") or ()),
        languages=languages,
        language_names=names,
        meeting_languages={str(k): str(v).lower()
                           for k, v in (meetings.get("languages") or {}).items()},
        meeting_links={str(code): _rule(item)
                       for code, item in (meetings.get("links") or {}).items()},
        fellowships=tuple(Fellowship(str(item["name"]), phrases(item.get("keywords")),
                                     _rule(item), bool(item.get("free")))
                          for item in meetings.get("fellowships") or ()),
        setting_kinds={str(k): [str(t) for t in v or ()]
                       for k, v in (raw.get("kinds") or {}).items()},
        online_types=_codes(meetings.get("online_types")),
        closed_types=_codes(meetings.get("closed_types")),
    )


def language_code(rules: Rules, name: str) -> str:
    """"Spanish", "español", "es" -> "es"; "" when the name is not known."""
    from ..language.normalize import fold

    return rules.languages.get(fold(name).strip(), "")


@dataclass
class Facts:
    """What the rules look at: taxonomy codes, term names and the listing's words."""

    codes: frozenset[str]  # every code and every code above it (PN-8100.4500-240, PN-8100...)
    terms: frozenset[str]
    text: str  # name, description and term names, normalised like the matcher's aliases
    title: str  # name and term names only

    def fits(self, rule: Rule, *, title_only: bool = False) -> bool:
        """Whether a rule's codes, terms or keywords fit. With `title_only`, keywords are
        looked for in the name and term names alone: a shelter that mentions "support groups"
        among its services is not a support group."""
        if rule.unless_codes and not self.codes.isdisjoint(rule.unless_codes):
            return False
        if not self.codes.isdisjoint(rule.codes):
            return True
        if rule.terms & self.terms:
            return True
        return bool(rule.keywords and rule.keywords.search(
            self.title if title_only else self.text))


def facts(name: str, alternate_name: str, description: str,
          terms: list[tuple[str, str]]) -> Facts:
    term_names = [term for _, term in terms if term]
    title = key(" ".join([name, alternate_name, *term_names]))
    words = key(description.replace("\\n", " "))  # literal \n in 211 exports
    return Facts(
        codes=frozenset(parent for code, _ in terms if code for parent in code_and_parents(code)),
        terms=frozenset(term.strip().casefold() for term in term_names),
        text=f"{title} {words}",
        title=title,
    )


def code_and_parents(code: str) -> Iterator[str]:
    """"PN-8100.4500-240" -> itself, "PN-8100.4500", "PN-8100" (and "PN"): a rule's code
    covers every code below it."""
    code = code.strip().upper()
    yield code
    for found in reversed(list(re.finditer(r"[.-]", code))):
        yield code[:found.start()]


def keep(found: Facts, rules: Rules) -> bool:
    if rules.exclude:
        found = Facts(found.codes, found.terms, rules.exclude.sub(" ", found.text), found.title)
    if found.fits(rules.keep):
        return True
    if rules.weak is None or rules.context is None:
        return False
    return bool(rules.weak.search(found.text) and rules.context.search(found.text))


def closed_service(found: Facts, rules: Rules) -> str:
    """What closed service (by the checked facts) a listing is, or ""."""
    for names, when, what in rules.closed:
        if names and names.search(found.title) and (when is None or when.search(found.text)):
            return what
    return ""


class Linker:
    """Links a listing to knowledge-base ids: import rules first, then peerfind's matcher."""

    def __init__(self, kb, rules: Rules) -> None:
        self.kb = kb
        self.rules = rules
        self.sections = {name: kb.sections.get(name, {}) for name in
                         ("settings", "populations", "conditions")}
        self._match = None
        self._cache: dict[tuple[str, int], list[tuple[str, str]]] = {}
        # Most link rules name codes only: look those up by the listing's codes.
        self._by_code: dict[str, list[Rule]] = {}
        self._other: list[Rule] = []
        for rule in rules.links:
            for code in rule.codes:
                self._by_code.setdefault(code, []).append(rule)
            if rule.terms or rule.keywords is not None or rule.unless_codes:
                self._other.append(rule)
        try:
            from ..answer.match import match

            if getattr(kb, "index", None):
                self._match = match
        except ImportError:  # the matcher is optional for reading; rules still link
            self._match = None

    def links(self, found: Facts, name_text: tuple[str, ...], description: str,
              extra: tuple[Rule, ...] = ()) -> dict[str, list[str]]:
        """Ids by section. Each of `name_text` (the name; the taxonomy terms, which repeat
        from listing to listing and are matched once) is matched apart. `description` is read
        only when given: the caller leaves it out
        for a listing that is not peer-support related (kept by --all), whose description
        would only add links the service does not serve."""
        ids: dict[str, list[str]] = {"settings": [], "populations": [], "conditions": []}
        fitting = list(extra)
        by_code = {id(rule): rule for code in found.codes for rule in self._by_code.get(code, ())}
        by_code.update((id(rule), rule) for rule in self._other if found.fits(rule))
        # In the rules' own order, so links come out as the YAML lists them.
        fitting += [rule for rule in self.rules.links if id(rule) in by_code
                    and (not rule.unless_codes or found.fits(rule))]
        for rule in fitting:
            for section in ids:
                ids[section].extend(getattr(rule, section))
        if self._match is not None:
            for n, text in enumerate(name_text):
                self._add_matches(ids, text, self.rules.min_score, keep=n > 0)
            # Descriptions name many groups in passing ("shelter for single mothers, veterans
            # and families"), so they are read only when the name and taxonomy said nothing
            # about who or what the service is for.
            if description and not (ids["populations"] or ids["conditions"]):
                self._add_matches(ids, description, self.rules.min_score_description)
        return {section: list(dict.fromkeys(i for i in found_ids if i in self.sections[section]))
                for section, found_ids in ids.items()}

    def _add_matches(self, ids: dict[str, list[str]], text: str, floor: int,
                     keep: bool = False) -> None:
        """Add what the matcher finds in `text`; `keep` its answer for text that repeats
        (taxonomy terms; not names and descriptions, which seldom do)."""
        if not text:
            return
        cache_key = (text, floor)
        hits = self._cache.get(cache_key)
        if hits is None and self._match is not None:
            hits = [(hit.kind, hit.id) for hit in self._match(self.kb, text)
                    if hit.kind in self.rules.kinds and hit.score >= floor]
            if keep and len(self._cache) < 20_000:
                self._cache[cache_key] = hits
        for kind, hit_id in hits or ():
            ids[kind + "s"].append(hit_id)
