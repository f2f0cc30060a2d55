"""Notice crisis language in a need. The phrase lists live in the knowledge base.

Errs towards showing help: idioms are removed first ("killed it at my interview"), then any
pattern or (possibly misspelt) keyword that is left means the crisis lines come first.

Compiling seventy patterns costs more than the rest of a search, and most needs hold none of
their words. So each pattern has a gate: pieces of text every match contains, worked out from the
pattern itself when the cache is built (knowledge/index.py). Text that fails a pattern's gate cannot
match it, and that pattern is not even compiled.
"""

from __future__ import annotations

import re
from functools import lru_cache

from typing import Any

from ..knowledge import KnowledgeBase
from ..knowledge.model import Crisis, Organization
from ..language.normalize import normalize, one_edit_apart


class CrisisCheck:
    __slots__ = ("detected", "resources")

    def __init__(self, detected: bool, resources: tuple[Organization, ...] = ()) -> None:
        self.detected = detected
        self.resources = resources


class CrisisDetector:
    def __init__(self, crisis: Crisis, gates: dict[str, Any] | None = None) -> None:
        gates = gates or {}
        self._patterns = _Gated(crisis.patterns, gates.get("patterns"))
        self._exclusions = _Gated(crisis.exclusions, gates.get("exclusions"))
        self._keywords = tuple(normalize(k) for k in crisis.keywords)
        self.detect = lru_cache(maxsize=65536)(self._detect)

    def _detect(self, text: str) -> bool:
        plain = normalize(text)
        if not plain:
            return False
        exclusion = self._exclusions.regex_for(plain)
        if exclusion is not None:
            plain = " ".join(exclusion.sub(" ", plain).split())
        padded = f" {plain} "
        pattern = self._patterns.regex_for(padded)
        if pattern is not None and pattern.search(padded):
            return True
        return any(self._near_keyword(word) for word in plain.split())

    def _near_keyword(self, word: str) -> bool:
        if word in self._keywords:
            return True
        return len(word) >= 6 and any(word[0] == k[0] and one_edit_apart(word, k)
                                      for k in self._keywords)


class _Gated:
    """Regular expressions compiled, as one alternation, only for needs that pass their gates.

    Leaving out a pattern that cannot match anywhere in the need changes nothing: neither
    which text an alternation matches nor what it removes.
    """

    def __init__(self, patterns: tuple[str, ...], gates: list[Any] | None) -> None:
        self._patterns = patterns
        if gates is None or len(gates) != len(patterns):
            gates = [None] * len(patterns)
        self._gates = [tuple(map(tuple, gate)) if gate else () for gate in gates]
        # Each piece of a gate's first (rarest) set, with the patterns it opens: one pass over
        # these pieces finds the few patterns whose other sets are worth a look.
        self._always = [n for n, gate in enumerate(self._gates) if not gate]
        self._openers: dict[str, list[int]] = {}
        for n, gate in enumerate(self._gates):
            for piece in gate[0] if gate else ():
                self._openers.setdefault(piece, []).append(n)
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}

    def regex_for(self, text: str) -> re.Pattern[str] | None:
        """One alternation of the patterns that may match `text`, or None if none can."""
        opened = set(self._always)
        for piece, numbers in self._openers.items():
            if piece in text:
                opened.update(numbers)
        chosen = tuple(sorted(n for n in opened if all(
            any(piece in text for piece in pieces) for pieces in self._gates[n][1:])))
        if not chosen:
            return None
        regex = self._compiled.get(chosen)
        if regex is None:
            if len(self._compiled) >= 4096:  # a batch of very varied needs
                self._compiled.clear()
            regex = re.compile("|".join(f"(?:{self._patterns[n]})" for n in chosen))
            self._compiled[chosen] = regex
        return regex


@lru_cache(maxsize=8)
def detector_for(kb: KnowledgeBase) -> CrisisDetector:
    """One detector per knowledge base: its compiled patterns serve every need after."""
    return CrisisDetector(kb.crisis, kb.index.get("crisis"))


def crisis_lines(kb: KnowledgeBase, populations: set[str] | None = None) -> tuple[Organization, ...]:
    """The crisis block's lines: all of them when `populations` is None (`peerfind crisis`),
    else those for everyone plus those for the matched populations."""
    lines: list[Organization] = []
    for resource in kb.crisis.resources:
        if populations is None or not resource.populations or populations & set(resource.populations):
            lines.append(kb.organizations[resource.organization])
    return tuple(lines)


def check(kb: KnowledgeBase, text: str, populations: set[str]) -> CrisisCheck:
    """Whether the need reads as a crisis in the answer's language or in any other language
    it is written in ("i feel like killing myself, ya no aguanto"); the lines in the
    answer's language."""
    if not text:
        return CrisisCheck(False)
    from ..language.choose import present

    detectors = [detector_for(kb)] + [language_detector(kb.base, lang)
                                      for lang in sorted(present(text) - {kb.lang})]
    if not any(detector is not None and detector.detect(text) for detector in detectors):
        return CrisisCheck(False)
    return CrisisCheck(True, crisis_lines(kb, populations))


@lru_cache(maxsize=16)
def language_detector(kb: KnowledgeBase, lang: str) -> CrisisDetector | None:
    """The crisis words of one language, read from their own part of the index (see
    knowledge/index.py); None for a language the knowledge base has no words for."""
    if lang == kb.lang:
        return detector_for(kb)
    part = kb.index.get(f"crisis:{lang}")
    if part is None:
        return None
    words = Crisis(patterns=tuple(part["patterns"]), exclusions=tuple(part["exclusions"]),
                   keywords=tuple(part["keywords"]))
    return CrisisDetector(words, part["gates"])
