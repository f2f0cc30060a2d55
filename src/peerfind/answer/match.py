"""Match a need to populations, conditions, settings and topics.

Three steps, cheapest first:
1. normalise the need (case, accents, punctuation) and stem each word lightly;
2. correct misspelt words against the aliases' own vocabulary with rapidfuzz, only for words
   the vocabulary does not know and only when some word of it is near enough to be worth the
   measure (so most needs never import rapidfuzz);
3. look every run of up to N words up in an alias index, written without spaces so that
   "post partum" meets "postpartum".
The index is plain data, built once per knowledge base and kept in the cache
(knowledge/index.py); spelling correction is in spelling.py.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from ..knowledge import KnowledgeBase
from ..language import for_language
from ..language.normalize import normalize

if TYPE_CHECKING:
    from .spelling import Speller

# Entries a matched condition or setting brings along score a little lower than direct hits.
IMPLIED_PENALTY = 5
# An entry that yields to another matched entry (Entry.yields_to) loses this much.
YIELD_PENALTY = 30


class Match:
    """One entry a need named. A plain class: it is made on every run, and a dataclass
    costs a compile at start-up."""

    __slots__ = ("kind", "id", "name", "score", "matched", "position", "via")

    def __init__(self, kind: str, id: str, name: str, score: int, matched: tuple[str, ...],
                 position: int = 0, via: str = "text") -> None:
        self.kind = kind  # population | condition | setting | topic | term | organization
        self.id = id
        self.name = name
        self.score = score  # 0-100
        self.matched = matched  # the words of the need (or the option) that matched
        self.position = position  # where in the need the match starts; orders equal scores
        self.via = via  # text | option | implied

    def __repr__(self) -> str:
        return f"Match({self.kind}:{self.id} {self.score} {self.matched})"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "score": self.score,
                "matched": list(self.matched), "via": self.via}


class Matcher:
    """Matches needs against one knowledge base. Cheap to call many times (batch)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._language = for_language()
        self._stem = self._language.stem
        self._token = lru_cache(maxsize=65536)(self._token_uncached)

    # The index is read on first use: a search by ids alone never decodes the alias index.

    @cached_property
    def _aliases(self) -> dict[str, list[list[str]]]:
        return self.kb.index["aliases"]

    @cached_property
    def _max_words(self) -> int:
        return self.kb.index["max_words"]

    @cached_property
    def _ages(self) -> list[list[Any]]:
        return self.kb.index.get("ages", [])

    @cached_property
    def _yields(self) -> dict[str, list[str]]:
        return self.kb.index.get("yields", {})

    def _token_uncached(self, word: str) -> tuple[str, int]:
        """A word of a need as the index knows it (stemmed, and corrected when misspelt), with
        the edits the correction took. Cached: in a batch the same words come again and again."""
        return self._speller.correct(self._stem(word))

    @cached_property
    def _speller(self) -> Speller:
        from .spelling import Speller  # only free text needs it

        return Speller(self.kb.index)

    def match(self, text: str) -> list[Match]:
        """Every entry the need names, best first."""
        plain = normalize(text).split()
        if not plain:
            return []
        corrected = [self._token(w) for w in plain]
        tokens = [w for w, _ in corrected]
        edits = [d for _, d in corrected]
        spans: list[tuple[str, str, int, int, int]] = []
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + self._max_words) + 1):
                targets = self._aliases.get("".join(tokens[start:end]))
                if not targets:
                    continue
                score = 100 - 10 * max(edits[start:end])
                for section, entry_id in targets:
                    spans.append((section, entry_id, start, end, score))
        spans += self._age_spans(text, plain)
        best: dict[tuple[str, str], tuple[int, int, int]] = {}  # -> score, start, end
        for section, entry_id, start, end, score in _drop_nested(spans):
            if (section, entry_id) not in best or score > best[(section, entry_id)][0]:
                best[(section, entry_id)] = (score, start, end)
        matches = [
            self.make(section, entry_id, score, tuple(plain[start:end]), start, "text")
            for (section, entry_id), (score, start, end) in best.items()
        ]
        return sort_matches(self._yield(self.implied(matches)))

    def _age_spans(self, text: str, plain: list[str]) -> list[tuple[str, str, int, int, int]]:
        """A stated age ("im 17", "66 yr old") names the populations whose ages hold it."""
        if not self._ages or not any(map(str.isdigit, text)) and not self._language.may_state_age(plain):
            return []
        spans = []
        at = next((i for i, w in enumerate(plain) if any(map(str.isdigit, w))), 0)
        for age, someone_else in self._language.ages(text):
            # "my 15yo daughter": the age describes the loved one; the relation leads.
            score = 100 - IMPLIED_PENALTY if someone_else else 100
            for low, high, section, entry_id in self._ages:
                if low <= age <= high:
                    spans.append((section, entry_id, at, at + 1, score))
        return spans

    def _yield(self, matches: list[Match]) -> list[Match]:
        """Entries that yield to another matched entry drop below it (see Entry.yields_to)."""
        matched = {m.id for m in matches}
        for m in matches:
            if matched & set(self._yields.get(m.id, ())):
                m.score = max(0, m.score - YIELD_PENALTY)
        return matches

    def implied(self, matches: list[Match]) -> list[Match]:
        """Add the populations a matched condition or setting implies ("meth" -> substance use)."""
        direct = {(m.kind, m.id): m for m in matches}
        extra: dict[str, Match] = {}
        for m in matches:
            if m.kind not in ("condition", "setting"):
                continue
            entry = self.kb.get(m.id)
            for population in entry.populations if entry else ():
                if ("population", population) in direct:
                    continue
                score = m.score - IMPLIED_PENALTY
                if population not in extra or extra[population].score < score:
                    extra[population] = self.make("populations", population, score, m.matched,
                                                   m.position, "implied")
        return matches + list(extra.values())

    def make(self, section: str, entry_id: str, score: int, matched: tuple[str, ...],
             position: int, via: str) -> Match:
        entry = self.kb.sections[section][entry_id]
        return Match(entry.kind, entry_id, entry.name, score, matched, position, via)


def _drop_nested(spans: list[tuple[str, str, int, int, int]]
                 ) -> list[tuple[str, str, int, int, int]]:
    """Within one section, a hit inside a longer hit's span gives way to it ("family peer
    support" beats "peer support"). Populations and conditions are exempt: one need often
    names several ("native youth")."""
    kept = []
    for span in spans:
        section, _, start, end, _ = span
        if section in ("populations", "conditions") or not any(
                o[0] == section and o[2] <= start and end <= o[3] and (o[3] - o[2]) > (end - start)
                for o in spans):
            kept.append(span)
    return kept


def sort_matches(matches: list[Match]) -> list[Match]:
    """Best first: higher score, then earlier in the need."""
    return sorted(matches, key=lambda m: (-m.score, m.position, m.via != "text"))


@lru_cache(maxsize=8)
def matcher_for(kb: KnowledgeBase) -> Matcher:
    """One matcher per knowledge base: its caches of words serve every need after."""
    return Matcher(kb)


def match(kb: KnowledgeBase, text: str) -> list[Match]:
    """Match a need against a knowledge base (the library's entry point for matching)."""
    return matcher_for(kb).match(text)
