"""Match a need to populations, conditions, settings and topics.

Three steps, cheapest first:
1. normalise the need (case, accents, punctuation) and stem each word lightly;
2. correct misspelt words against the aliases' own vocabulary with rapidfuzz, only for words
   the vocabulary does not know and only when some word of it is near enough to be worth the
   measure (so most needs never import rapidfuzz);
3. look every run of up to N words up in an alias index, written without spaces so that
   "post partum" meets "postpartum".
The index is plain data, built once per knowledge base and kept in the cache.
"""

from __future__ import annotations

from functools import cached_property, lru_cache

from .model import KnowledgeBase
from .text import ages, key, may_be_within, normalize, stem

# Sections whose entries a need can name. Roles, principles, pathways and advice are not
# things people ask for.
MATCHED_SECTIONS = ("populations", "conditions", "settings", "topics", "terms", "organizations")
# Entries a matched condition or setting brings along score a little lower than direct hits.
IMPLIED_PENALTY = 5
# An entry that yields to another matched entry (Entry.yields_to) loses this much.
YIELD_PENALTY = 30
# Spelling correction: same first letter, and at most this many edits for a word this long.
MIN_CORRECTED_LENGTH = 5


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


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

    def to_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "name": self.name, "score": self.score,
                "matched": list(self.matched), "via": self.via}


def build_index(kb: KnowledgeBase) -> dict:
    """The alias index: compact key -> [[section, id], ...], plus the spelling vocabulary."""
    stopwords = {stem(w) for w in normalize(" ".join(kb.vocabulary.stopwords)).split()}
    aliases: dict[str, list[list[str]]] = {}
    vocabulary: set[str] = set()
    max_words = 1
    for section in MATCHED_SECTIONS:
        # Raw records, not objects. Local listings are not among them: they are found
        # through their links, not their names.
        for entry_id, record in kb.sections[section]._records.items():
            names = [entry_id.replace("-", " "), *record.get("aliases", ())]
            for alias in names:
                alias_key = key(alias)
                if not alias_key or alias_key in stopwords:
                    continue
                alias_words = alias_key.split()
                max_words = max(max_words, len(alias_words))
                vocabulary.update(w for w in alias_words if len(w) >= MIN_CORRECTED_LENGTH)
                targets = aliases.setdefault(alias_key.replace(" ", ""), [])
                if [section, entry_id] not in targets:
                    targets.append([section, entry_id])
    by_letter: dict[str, list[str]] = {}
    for word in sorted(vocabulary):
        by_letter.setdefault(word[0], []).append(word)
    age_ranges = [[*record["ages"], "populations", entry_id]
                  for entry_id, record in kb.sections["populations"]._records.items()
                  if record.get("ages")]
    yields = {entry_id: record["yields_to"] for section in MATCHED_SECTIONS
              for entry_id, record in kb.sections[section]._records.items()
              if record.get("yields_to")}
    return {"aliases": aliases, "vocabulary": by_letter, "max_words": max_words,
            "stopwords": sorted(stopwords), "ages": age_ranges, "yields": yields}


class Matcher:
    """Matches needs against one knowledge base. Cheap to call many times (batch)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._token = lru_cache(maxsize=65536)(self._token_uncached)

    # The index is read on first use: a search by ids alone never decodes the alias index.

    @cached_property
    def _aliases(self) -> dict[str, list[list[str]]]:
        return self.kb.index["aliases"]

    @cached_property
    def _vocabulary(self) -> dict[str, list[str]]:
        return self.kb.index["vocabulary"]

    @cached_property
    def _known(self) -> set[str]:
        return {w for words in self._vocabulary.values() for w in words}

    @cached_property
    def _stopwords(self) -> frozenset[str]:
        return frozenset(self.kb.index["stopwords"])

    @cached_property
    def _max_words(self) -> int:
        return self.kb.index["max_words"]

    @cached_property
    def _ages(self) -> list[list]:
        return self.kb.index.get("ages", [])

    @cached_property
    def _yields(self) -> dict[str, list[str]]:
        return self.kb.index.get("yields", {})

    def _token_uncached(self, word: str) -> tuple[str, int]:
        """A word of a need as the index knows it (stemmed, and corrected when misspelt), with
        the edits the correction took. Cached: in a batch the same words come again and again."""
        return self._correct(stem(word))

    def _correct(self, word: str) -> tuple[str, int]:
        """The vocabulary word closest to `word` and its edit distance, or (word, 0)."""
        if (len(word) < MIN_CORRECTED_LENGTH or word in self._known or word in self._stopwords
                or not word.isalpha()):
            return word, 0
        limit = _max_edits(word)
        choices = [c for c in self._vocabulary.get(word[0], ()) if may_be_within(word, c, limit)]
        if not choices:  # most unknown words: no need to load rapidfuzz at all
            return word, 0
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        if best is None:
            return word, 0
        return best[0], int(best[1])

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
        if not self._ages or not any(map(str.isdigit, text)) and not _may_spell_age(plain):
            return []
        spans = []
        at = next((i for i, w in enumerate(plain) if any(map(str.isdigit, w))), 0)
        for age, someone_else in ages(text):
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
            for population in self.kb.get(m.id).populations:
                if ("population", population) in direct:
                    continue
                score = m.score - IMPLIED_PENALTY
                if population not in extra or extra[population].score < score:
                    extra[population] = self.make("populations", population, score, m.matched,
                                                   m.position, "implied")
        return matches + list(extra.values())

    def make(self, section, entry_id, score, matched, position, via) -> Match:
        entry = self.kb.sections[section][entry_id]
        return Match(entry.kind, entry_id, entry.name, score, matched, position, via)


def _drop_nested(spans):
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


def _may_spell_age(plain: list[str]) -> bool:
    return any(w.endswith("teen") or w.endswith("ty") for w in plain)


def sort_matches(matches: list[Match]) -> list[Match]:
    """Best first: higher score, then earlier in the need."""
    return sorted(matches, key=lambda m: (-m.score, m.position, m.via != "text"))


def matcher_for(kb: KnowledgeBase) -> Matcher:
    matcher = kb.__dict__.get("_matcher")
    if matcher is None:
        matcher = kb.__dict__["_matcher"] = Matcher(kb)
    return matcher


def match(kb: KnowledgeBase, text: str) -> list[Match]:
    """Match a need against a knowledge base (the library's entry point for matching)."""
    return matcher_for(kb).match(text)
