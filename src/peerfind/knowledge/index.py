"""The derived index: everything the answer code looks up, worked out once from the merged,
checked data when the cache is written.

- aliases: compact key ("postpartum") -> [[section, id], ...], the spelling vocabulary by first
  letter, stopwords, the longest alias in words, age ranges and yields (read by answer/match.py);
- links: which national organizations serve an id, which are general; local listings' links
  and places by listing number (read by answer/finder.py and answer/local.py);
- crisis: each crisis pattern's gate, the pieces of text every match contains (read by
  answer/crisis.py).

Built from plain data, without the answer code, so the knowledge base never imports it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

from ..language import for_language, key
from ..language.normalize import normalize

# Sections whose entries a need can name. Roles, principles, pathways and advice are not
# things people ask for.
MATCHED_SECTIONS = ("populations", "conditions", "settings", "topics", "terms", "organizations")
# Spelling correction: same first letter, and at most this many edits for a word this long.
MIN_CORRECTED_LENGTH = 5


# Keys of exact aliases start with this (a normalised key never holds it).
EXACT = "="


def build_index(merged: dict[str, Any]) -> dict[str, Any]:
    """Every part of the index, by name (each is one line of the cache)."""
    return {**_alias_index(merged), **_links(merged), "crisis": _crisis_gates(merged["crisis"])}


def _records(merged: dict[str, Any], section: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for record in merged.get(section, ()):
        if not record.get("local"):
            yield record["id"], record


# The parts of the index a language has of its own (the rest, links, ages and yields, are the
# base's and serve every language).
LANGUAGE_PARTS = ("aliases", "vocabulary", "max_words", "stopwords", "exact_first")


def build_language_index(merged: dict[str, Any], layer: dict[str, Any], lang: str
                         ) -> dict[str, Any]:
    """A language's own part of the index (see translations.language_view): its aliases,
    spelling vocabulary and stopwords, stemmed the language's way, over the base's ids; and the
    Ids the base does not have are left out. Its crisis words are a part of their own
    (`build_language_crisis`)."""
    known = {section: {record["id"] for record in merged.get(section, ())}
             for section in MATCHED_SECTIONS}
    own = {"vocabulary": layer.get("vocabulary") or {}}
    for section in MATCHED_SECTIONS:
        own[section] = [{"id": record["id"], "aliases": record.get("aliases") or ()}
                        for record in layer.get(section) or ()
                        if record.get("id") in known[section] and not record.get("local")]
    index = _alias_index(own, lang, ids=False)
    return {key: index[key] for key in LANGUAGE_PARTS}


def build_language_crisis(merged: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    """A language's crisis words with their gates: a part of its own, small, so that a need
    partly in that language is read for crisis without decoding the rest of the layer. Its
    emergencies' patterns are listed in the base's order of emergencies."""
    crisis = layer.get("crisis") or {}
    by_id = {e.get("id"): e.get("patterns") or [] for e in crisis.get("emergencies") or ()}
    emergencies = [list(by_id.get(e["id"], ())) for e in merged["crisis"].get("emergencies", ())]
    words = {key: list(crisis.get(key) or ())
             for key in ("patterns", "exclusions", "keywords", "shorthand", "signals", "denials")}
    words["signal_threshold"] = crisis.get("signal_threshold", 4)
    gates = _crisis_gates({**words, "emergencies": [{"patterns": p} for p in emergencies]})
    return {**words, "emergencies": emergencies, "gates": gates}


def _alias_index(merged: dict[str, Any], code: str = "en", ids: bool = True) -> dict[str, Any]:
    """The alias index: compact key -> [[section, id], ...], plus the spelling vocabulary.
    Each id is an alias of its own entry in English ("substance-use"), not in other
    languages."""
    stem = for_language(code).stem
    stopwords = {stem(w) for w in normalize(" ".join(merged["vocabulary"].get("stopwords", ())))
                 .split()}
    aliases: dict[str, list[list[str]]] = {}
    exact_first: set[str] = set()
    vocabulary: set[str] = set()
    max_words = 1
    for section in MATCHED_SECTIONS:
        # Local listings are not among them: they are found through their links, not their
        # names.
        for entry_id, record in _records(merged, section):
            names = [entry_id.replace("-", " ")] if ids else []
            for alias in [*names, *record.get("aliases", ())]:
                alias_key = key(alias, code)
                if not alias_key or alias_key in stopwords:
                    continue
                alias_words = alias_key.split()
                max_words = max(max_words, len(alias_words))
                vocabulary.update(w for w in alias_words if len(w) >= MIN_CORRECTED_LENGTH)
                targets = aliases.setdefault(alias_key.replace(" ", ""), [])
                if [section, entry_id] not in targets:
                    targets.append([section, entry_id])
            # Matched word for word, unstemmed: "killed himself" must not meet "kill himself".
            for alias in record.get("exact_aliases", ()):
                words = normalize(alias).split()
                if words:
                    exact_first.add(words[0])
                    max_words = max(max_words, len(words))
                    targets = aliases.setdefault(EXACT + "".join(words), [])
                    if [section, entry_id] not in targets:
                        targets.append([section, entry_id])
    by_letter: dict[str, list[str]] = {}
    for word in sorted(vocabulary):
        by_letter.setdefault(word[0], []).append(word)
    age_ranges = [[*record[key], "populations", entry_id, key == "first_ages"]
                  for entry_id, record in _records(merged, "populations")
                  for key in ("ages", "first_ages") if record.get(key)]
    yields = {entry_id: record["yields_to"] for section in MATCHED_SECTIONS
              for entry_id, record in _records(merged, section)
              if record.get("yields_to")}
    return {"aliases": aliases, "vocabulary": by_letter, "max_words": max_words,
            "stopwords": sorted(stopwords), "ages": age_ranges, "yields": yields,
            "origins": merged.get("origins", {}), "exact_first": sorted(exact_first)}


def _links(merged: dict[str, Any]) -> dict[str, Any]:
    """Reverse links from raw records: which organizations serve an id, which are general,
    and the words a need must say for those that require some (`requires_words`).

    Local listings are kept apart, by number in file order (see base.LocalListings):
    there may be thousands of them."""
    links: dict[str, list[str]] = {}
    local_links: dict[str, list[int]] = {}
    local_places: list[str] = []
    general: list[str] = []
    audience_words: dict[str, list[str]] = {}
    for record in merged.get("organizations", ()):
        if record.get("requires_words") and not record.get("local"):
            audience_words[record["id"]] = [normalize(w) for w in record["requires_words"]]
        if record.get("local"):
            target: dict[str, list[Any]]
            name: Any
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
            "general_organizations": general, "audience_words": audience_words}


def _crisis_gates(crisis: dict[str, Any]) -> dict[str, Any]:
    """Each pattern's gate (see `required_pieces`), or None when it runs for every need; the
    pieces of text the signals' anchoring words hold; and the words the crisis speller knows
    (worked out once here rather than on every run)."""
    from .patterns import needle, words_of

    signals = [kind for kind in crisis.get("signals", ()) if isinstance(kind, dict)]
    emergency_patterns = [p for e in crisis.get("emergencies", ()) for p in e.get("patterns", ())]
    return {"patterns": [required_pieces(p) for p in crisis.get("patterns", ())],
            "exclusions": [required_pieces(p) for p in crisis.get("exclusions", ())],
            "emergencies": [[required_pieces(p) for p in emergency.get("patterns", ())]
                            for emergency in crisis.get("emergencies", ())],
            "needles": [needle(w) for kind in signals if kind.get("anchor")
                        for w in kind.get("words", ())],
            "literal": sorted(words_of(crisis.get("patterns", ()))),
            "other": sorted(words_of([*emergency_patterns,
                                      *(w for kind in signals for w in kind.get("words", ()))]))}


def required_pieces(pattern: str) -> list[list[str]] | None:
    """What every match of `pattern` contains: for each list, one of its pieces of text.

    Read from the tree of Python's own regex parser. Anything the walk does not understand
    gives no guarantee, so a gap in it can only cost speed, never a missed crisis.
    """
    try:
        try:
            _parser: Any = importlib.import_module("re._parser")
        except ImportError:  # Python 3.10
            _parser = importlib.import_module("sre_parse")
        tree = _parser.parse(pattern)
        if tree.state.flags & ~re.UNICODE:  # case folding and the like: no promises
            return None
        required = _required(list(tree))
    except Exception:  # noqa: BLE001 - a private parser: any surprise means "no gate"
        return None
    # "kill" makes "killing" redundant: keep the pieces no other piece is part of. Most needs
    # fail at the rarest set, so that comes first; the three rarest are plenty (leaving a set
    # out is always safe).
    gate = [sorted(p for p in pieces if not any(q != p and q in p for q in pieces))
            for pieces in required]
    return sorted(gate, key=lambda pieces: -min(map(len, pieces)))[:3] or None


def _required(items: list[Any]) -> list[set[str]]:
    """For a sequence of regex items: sets of pieces, one piece of each set in every match."""
    required: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(value))
            continue
        if run:
            required.append({"".join(run)})
            run = []
        if name == "SUBPATTERN":
            _, add_flags, del_flags, sub = value
            if not (add_flags or del_flags):
                required += _required(list(sub))
        elif name == "BRANCH":
            branches = [_rarest(_required(list(branch))) for branch in value[1]]
            if all(branches):
                required.append(set().union(*(b for b in branches if b)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, sub = value
            if low >= 1:
                required += _required(list(sub))
    if run:
        required.append({"".join(run)})
    return required


def _rarest(required: list[set[str]]) -> set[str] | None:
    """The set least likely to be met by chance: the one whose shortest piece is longest."""
    return max(required, key=lambda pieces: min(map(len, pieces)), default=None)
