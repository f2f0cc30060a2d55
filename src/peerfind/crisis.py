"""Notice crisis language in a need. The phrase lists live in the knowledge base.

Errs towards showing help: idioms are removed first ("killed it at my interview"), then any
pattern or (possibly misspelt) keyword that is left means the crisis lines come first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Crisis, KnowledgeBase, Organization
from .text import normalize


class CrisisCheck:
    __slots__ = ("detected", "resources")

    def __init__(self, detected: bool, resources: tuple[Organization, ...] = ()) -> None:
        self.detected = detected
        self.resources = resources


class CrisisDetector:
    def __init__(self, crisis: Crisis) -> None:
        # One alternation each: a single pass over the need instead of one per phrase.
        self._pattern = re.compile("|".join(f"(?:{p})" for p in crisis.patterns) or r"(?!)")
        self._exclusion = re.compile("|".join(f"(?:{p})" for p in crisis.exclusions) or r"(?!)")
        self._keywords = tuple(normalize(k) for k in crisis.keywords)
        self.detect = lru_cache(maxsize=65536)(self._detect)

    def _detect(self, text: str) -> bool:
        plain = normalize(text)
        if not plain:
            return False
        plain = f" {' '.join(self._exclusion.sub(' ', plain).split())} "
        if self._pattern.search(plain):
            return True
        return any(self._near_keyword(word) for word in plain.split())

    def _near_keyword(self, word: str) -> bool:
        if word in self._keywords:
            return True
        if len(word) < 6 or not any(word[0] == k[0] for k in self._keywords):
            return False
        from rapidfuzz.distance import OSA

        return any(word[0] == k[0] and OSA.distance(word, k, score_cutoff=1) <= 1
                   for k in self._keywords)


def detector_for(kb: KnowledgeBase) -> CrisisDetector:
    detector = kb.__dict__.get("_crisis")
    if detector is None:
        detector = kb.__dict__["_crisis"] = CrisisDetector(kb.crisis)
    return detector


def crisis_lines(kb: KnowledgeBase, populations: set[str] | None = None) -> tuple[Organization, ...]:
    """The crisis block's lines: all of them when `populations` is None (`peerfind crisis`),
    else those for everyone plus those for the matched populations."""
    lines = []
    for resource in kb.crisis.resources:
        if populations is None or not resource.populations or populations & set(resource.populations):
            lines.append(kb.organizations[resource.organization])
    return tuple(lines)


def check(kb: KnowledgeBase, text: str, populations: set[str]) -> CrisisCheck:
    if not text or not detector_for(kb).detect(text):
        return CrisisCheck(False)
    return CrisisCheck(True, crisis_lines(kb, populations))
