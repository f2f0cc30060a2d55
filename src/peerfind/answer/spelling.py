"""Spelling correction of a need's words against the aliases' own vocabulary.

Only for words the vocabulary does not know, and only when some word of it is near enough to be
worth the measure: most needs never import rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from ..knowledge.index import MIN_CORRECTED_LENGTH
from ..language.normalize import may_be_within


def max_edits(word: str) -> int:
    """Same first letter, and at most this many edits for a word this long."""
    return 1 if len(word) < 8 else 2


class Speller:
    """Corrects words against the index's vocabulary, read from the index on first use."""

    def __init__(self, index: Mapping[str, Any]) -> None:
        self._index = index

    @cached_property
    def _vocabulary(self) -> dict[str, list[str]]:
        vocabulary: dict[str, list[str]] = self._index["vocabulary"]
        return vocabulary

    @cached_property
    def _known(self) -> set[str]:
        return {w for words in self._vocabulary.values() for w in words}

    @cached_property
    def _stopwords(self) -> frozenset[str]:
        return frozenset(self._index["stopwords"])

    def is_stopword(self, word: str) -> bool:
        return word in self._stopwords

    def correct(self, word: str) -> tuple[str, int]:
        """The vocabulary word closest to `word` and its edit distance, or (word, 0)."""
        if (len(word) < MIN_CORRECTED_LENGTH or word in self._known or word in self._stopwords
                or not word.isalpha()):
            return word, 0
        limit = max_edits(word)
        choices = [c for c in self._vocabulary.get(word[0], ()) if may_be_within(word, c, limit)]
        if not choices:  # most unknown words: no need to load rapidfuzz at all
            return word, 0
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        if best is None:
            return word, 0
        return best[0], int(best[1])
