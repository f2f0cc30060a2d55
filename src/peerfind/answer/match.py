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

from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from ..knowledge import KnowledgeBase
from ..knowledge.index import EXACT
from ..language import for_language
from ..language.normalize import normalize
from .places import Place, find as find_place
from .speaker import OTHER, OTHER_PENALTY, SELF, WRITER_SCORE, Speaker, attribute, clauses
from .speaker import same_gender
from .speaker import Reading as Said, Words as SpeakerWords, read as read_said, words_for

if TYPE_CHECKING:
    from .spelling import Speller

# Entries a matched condition or setting brings along score a little lower than direct hits.
IMPLIED_PENALTY = 5
# A stated age names the populations whose ages hold it, a little below a word that names them.
AGE_SCORE = 95
# An age in a population's `first_ages`, said of the writer, outranks every word.
FIRST_AGE_SCORE = 101
# A population or condition named inside a longer name of another ("army" in "army wife").
NESTED_PENALTY = 5
# An entry that yields to another matched entry (Entry.yields_to) loses this much.
YIELD_PENALTY = 30


class Match:
    """One entry a need named. A plain class: it is made on every run, and a dataclass
    costs a compile at start-up."""

    __slots__ = ("kind", "id", "name", "score", "matched", "position", "via", "role", "hits",
                 "layer")

    def __init__(self, kind: str, id: str, name: str, score: int, matched: tuple[str, ...],
                 position: int = 0, via: str = "text", role: str = SELF, hits: int = 1,
                 layer: int = 0) -> None:
        self.kind = kind  # population | condition | setting | topic | term | organization
        self.id = id
        self.name = name
        self.score = score  # 0-100
        self.matched = matched  # the words of the need (or the option) that matched
        self.position = position  # where in the need the match starts; orders equal scores
        self.via = via  # text | option | implied
        self.role = role  # said of the writer (self) or of someone else (other)
        self.hits = hits  # how many times the need named it: more evidence ranks first
        self.layer = layer  # the knowledge-base file that added it: a user's own file wins ties

    def __repr__(self) -> str:
        return f"Match({self.kind}:{self.id} {self.score} {self.role} {self.matched})"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "score": self.score,
                "matched": list(self.matched), "via": self.via, "about": self.role}


class Reading:
    """What a need says: the entries it names (best first), who it is about, and the place
    it names, if any."""

    __slots__ = ("matches", "speaker", "place", "age", "audiences")

    def __init__(self, matches: list[Match], speaker: Speaker | None = None,
                 place: Place | None = None, age: int | None = None,
                 audiences: frozenset[str] = frozenset()) -> None:
        self.matches = matches
        self.speaker = speaker or Speaker()
        self.place = place
        self.age = age  # the writer's own age, when they give it
        # The organizations whose words (`requires_words`) the need says ("trans").
        self.audiences = audiences


class Matcher:
    """Matches needs against one knowledge base. Cheap to call many times (batch)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # Equal needs read alike (a batch repeats lines): a reading is kept, never changed.
        self.read = lru_cache(maxsize=4096)(self._read)  # type: ignore[method-assign]
        self._language = for_language(kb.lang)
        self._stem = self._language.stem
        self._token = lru_cache(maxsize=65536)(self._token_uncached)

    # The index is read on first use: a search by ids alone never decodes the alias index.

    @cached_property
    def _aliases(self) -> dict[str, list[list[str]]]:
        return self.kb.index["aliases"]

    @cached_property
    def _exact_first(self) -> frozenset[str]:
        """The first words of the exact aliases: only runs starting with one are looked up."""
        return frozenset(self.kb.index.get("exact_first", ()))

    @cached_property
    def _max_words(self) -> int:
        return self.kb.index["max_words"]

    @cached_property
    def _ages(self) -> list[list[Any]]:
        return self.kb.index.get("ages", [])

    @cached_property
    def _yields(self) -> dict[str, list[str]]:
        return self.kb.index.get("yields", {})

    @cached_property
    def _audience_words(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """Each organization's `requires_words`, normalised, by their first word (from the
        index: reading every organization would decode thousands of local listings)."""
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for org_id, phrases in self.kb.index.get("audience_words", {}).items():
            for phrase in phrases:
                words = tuple(phrase.split())
                if words:
                    by_first.setdefault(words[0], []).append((org_id, words))
        return by_first

    def _audiences_in(self, plain: list[str]) -> frozenset[str]:
        """The organizations whose words the need says."""
        by_first = self._audience_words
        return frozenset(org_id for at, word in enumerate(plain) if word in by_first
                         for org_id, words in by_first[word]
                         if tuple(plain[at:at + len(words)]) == words)

    def _token_uncached(self, word: str) -> tuple[str, int]:
        """A word of a need as the index knows it (stemmed, and corrected when misspelt), with
        the edits the correction took. Cached: in a batch the same words come again and again.
        A common word is no typo of an alias it only looks like ("trial" is not "tribal"),
        only of its own stem spelt otherwise ("grieve", "griev")."""
        stem = self._stem(word)
        corrected, edits = self._speller.correct(stem)
        if edits and not (corrected.startswith(stem) or stem.startswith(corrected)) \
                and self._language.is_word(word):
            return stem, 0
        return corrected, edits

    @cached_property
    def _speller(self) -> Speller:
        from .spelling import Speller  # only free text needs it

        return Speller(self.kb.index)

    def match(self, text: str) -> list[Match]:
        """Every entry the need names, best first."""
        return self.read(text).matches

    def read(self, text: str) -> Reading:
        """The entries the need names, best first, who it is about, and where."""
        return self._read(text)

    def _read(self, text: str) -> Reading:
        plain = normalize(text).split()
        if not plain:
            return Reading([])
        vocabulary = self.kb.vocabulary
        said = read_said(text, normalize, self._speaker_words)
        if said.words != plain:  # punctuation inside a word split it apart: read it as one voice
            said = Said(plain, [SELF] * len(plain), [False] * len(plain), [])
        place = self._place(text)
        named_place = range(place.start, place.end) if place else range(0)
        spans = self.alias_spans(plain, skip=named_place)
        if self._english is not None:
            # People mix in English ("mi hijo usa drugs"); the need's own stopwords never
            # reach the English aliases ("va" is not the VA, "mama" is not a new mom).
            # Its words are not corrected into English: most are Spanish words, not typos.
            spans += self._english.alias_spans(
                [None if self._speller.is_stopword(self._stem(w)) else w for w in plain],
                correct=False, skip=named_place)
        ages, age = self._age_spans(text, plain, said)
        spans = self._outside_idioms(plain, spans) + ages
        spans += self._partner_spans(said)
        best: dict[tuple[str, str], list[int]] = {}  # -> score, start, end, hits
        for section, entry_id, start, end, score in _drop_nested(spans):
            found = best.get((section, entry_id))
            if found is None:
                best[(section, entry_id)] = [score, start, end, 1]
                continue
            if end <= found[1] or start >= found[2]:  # named again, not a longer alias of it
                found[3] += 1
            # The words said without a negation stand ("I was never deployed. I was a
            # reservist"), then the strongest, said of the writer or not ("22. all my friends
            # moved away after high school": the writer is 22).
            if self._evidence(said, start, score) > self._evidence(said, found[1], found[0]):
                found[:3] = [score, start, end]
        matches = [
            self.make(section, entry_id, score, tuple(plain[start:end]), start, "text",
                      said.role(start), hits)
            for (section, entry_id), (score, start, end, hits) in best.items()
        ]
        matches, who = attribute(self.implied(matches, said), said, self._yields, self._writer,
                                 self._speaker_words, self._loss)
        return Reading(sort_matches(self._yield(matches)), who, place, age,
                       self._audiences_in(plain))

    def alias_spans(self, plain: Sequence[str | None], correct: bool = True,
                    skip: range = range(0)) -> list[tuple[str, str, int, int, int]]:
        """(section, id, start, end, score) for every run of words that is an alias, with
        misspelt words corrected unless `correct` is False; a None word, or one of the words at
        `skip` (a place name), ends every run that would hold it."""
        corrected = [(None, 0) if w is None else self._token(w) if correct else (self._stem(w), 0)
                     for w in plain]
        tokens = [w for w, _ in corrected]
        edits = [d for _, d in corrected]
        spans: list[tuple[str, str, int, int, int]] = []
        aliases, exact_first = self._aliases, self._exact_first
        for start in range(len(tokens)):
            stemmed, exact = "", EXACT if plain[start] in exact_first else ""
            for end in range(start + 1, min(len(tokens), start + self._max_words) + 1):
                token, word = tokens[end - 1], plain[end - 1]
                if token is None or word is None or start in skip or end - 1 in skip:
                    break  # "Norfolk VA" is a place, not Veterans Affairs
                stemmed += token
                targets = aliases.get(stemmed, ())
                if exact:
                    exact += word
                    targets = [*targets, *aliases.get(exact, ())]
                if targets:
                    score = 100 - 10 * max(edits[start:end])
                    spans += [(section, entry_id, start, end, score)
                              for section, entry_id in targets]
        return spans

    @staticmethod
    def _evidence(said: Said, start: int, score: int) -> tuple[bool, int]:
        return (not said.is_negated(start),
                score - (OTHER_PENALTY if said.role(start) == OTHER else 0))

    def _outside_idioms(self, plain: Sequence[str], spans: list[tuple[str, str, int, int, int]]
                        ) -> list[tuple[str, str, int, int, int]]:
        """`spans` without those inside an idiom of the need and shorter than it ("cutting" in
        "cutting me off"); an alias that is the whole idiom stands ("relapsing remitting")."""
        idioms = self._idioms
        found = [(start, start + len(idiom)) for start, word in enumerate(plain) if word in idioms
                 for idiom in idioms[word] if tuple(plain[start:start + len(idiom)]) == idiom]
        if not found:
            return spans
        return [span for span in spans
                if not any(start <= span[2] and span[3] <= end and span[3] - span[2] < end - start
                           for start, end in found)]

    @cached_property
    def _idioms(self) -> dict[str, list[tuple[str, ...]]]:
        """The vocabulary's idioms as normalised words, by their first word."""
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for idiom in self.kb.vocabulary.idioms:
            words = tuple(normalize(idiom).split())
            if words:
                by_first.setdefault(words[0], []).append(words)
        return by_first

    @cached_property
    def _english(self) -> Matcher | None:
        """The English matcher, for a need in another language."""
        return None if self.kb.base is self.kb else matcher_for(self.kb.base)

    def _place(self, text: str) -> Place | None:
        vocabulary = self.kb.vocabulary
        if not vocabulary.place_words:
            return None
        return find_place(text, clauses(text, normalize, self._clause_words, commas=False),
                           self._place_words, self._everyday)

    @cached_property
    def _speaker_words(self) -> SpeakerWords:
        return words_for(self.kb.vocabulary)

    @cached_property
    def _clause_words(self) -> frozenset[str]:
        return self._speaker_words.breaks

    @cached_property
    def _place_words(self) -> frozenset[str]:
        return frozenset(self.kb.vocabulary.place_words)

    @cached_property
    def _everyday(self) -> frozenset[str]:
        """Everyday words, which a bare place name must not be ("in normal")."""
        return frozenset(normalize(" ".join(self.kb.vocabulary.stopwords)).split())

    def _loss(self, condition: str, score: int, words: tuple[str, ...], position: int
              ) -> Match | None:
        """The loss a person's death names ("lost my little sister")."""
        if condition not in self.kb.sections["conditions"]:
            return None
        return self.make("conditions", condition, score, words, position, "text", SELF)

    def _writer(self, population: str, words: tuple[str, ...], position: int) -> Match:
        return self.make("populations", population, WRITER_SCORE, words, position, "text")

    def _partner_spans(self, said: Said) -> list[tuple[str, str, int, int, int]]:
        """A partner of the writer's own gender names the vocabulary's `same_gender`
        population, said of the writer, as a word would ("I'm a guy and my boyfriend ...")."""
        population = self.kb.vocabulary.same_gender
        if not population or population not in self.kb.sections["populations"]:
            return []
        at = same_gender(said, self._speaker_words)
        return [] if at is None else [("populations", population, at, at + 1, 100)]

    def _age_spans(self, text: str, plain: list[str], said: Said
                   ) -> tuple[list[tuple[str, str, int, int, int]], int | None]:
        """A stated age ("im 17", "66 yr old") names the populations whose ages hold it; and
        the first age that is the writer's own."""
        if not self._ages or not any(map(str.isdigit, text)) and not self._language.may_state_age(plain):
            return [], None
        spans = []
        own = None
        at = next((i for i, w in enumerate(plain) if any(map(str.isdigit, w))), 0)
        for age, someone_else in self._language.ages(text):
            # Each age where it is said ("She's 16 and I'm 19"): the next word with its digits.
            at = next((i for i in range(at, len(plain)) if str(age) in plain[i]), at)
            # An age is weaker evidence than words ("client is a 24 yo vet": a veteran first);
            # "my 15yo daughter": the age describes the loved one.
            score = AGE_SCORE - IMPLIED_PENALTY if someone_else else AGE_SCORE
            if someone_else and said.role(at) == SELF:
                said.roles[at] = OTHER
            if own is None and not someone_else and said.role(at) == SELF:
                own = age
            for low, high, section, entry_id, first in self._ages:
                if low <= age <= high:
                    writers_own = first and not someone_else and said.role(at) == SELF
                    spans.append((section, entry_id, at, at + 1,
                                   FIRST_AGE_SCORE if writers_own else score))
        return spans, own

    def _yield(self, matches: list[Match]) -> list[Match]:
        """Entries that yield to another matched entry drop below it (see Entry.yields_to)."""
        matched = {m.id for m in matches}
        for m in matches:
            if matched & set(self._yields.get(m.id, ())):
                m.score = max(0, m.score - YIELD_PENALTY)
        return matches

    def implied(self, matches: list[Match], said: Said | None = None) -> list[Match]:
        """Add the populations a matched condition or setting implies ("meth" -> substance use),
        and the broader conditions a condition is a kind of ("fentanyl" -> drug use). An entry
        the need denies that a condition it affirms implies is implied there: the condition
        says more ("not an addict, but I smoke weed all day" is substance use). Two conditions
        named together imply the one whose `implied_by` and `implied_with` hold them (drinking
        and PTSD: co-occurring), a little below the weaker of the two."""
        direct = {(m.kind, m.id): m for m in matches}
        extra: dict[tuple[str, str], Match] = {}
        for m in matches:
            if m.kind not in ("condition", "setting"):
                continue
            entry = self.kb.get(m.id)
            if entry is None:
                continue
            links = [("populations", p) for p in entry.populations]
            if m.kind == "condition":
                links += [("conditions", c) for c in entry.conditions]
            for section, entry_id in links:
                found = (section[:-1], entry_id)
                if entry_id not in self.kb.sections[section]:
                    continue
                score = m.score - IMPLIED_PENALTY
                denied = direct.get(found)
                if denied is not None and said is not None and said.is_negated(denied.position) \
                        and not said.is_negated(m.position):
                    denied.score, denied.matched, denied.position = score, m.matched, m.position
                    denied.via = "implied"
                if found in direct:
                    continue
                if found not in extra or extra[found].score < score:
                    extra[found] = self.make(section, entry_id, score, m.matched, m.position,
                                             "implied", m.role)
        named = {m.id: m for m in (*matches, *extra.values()) if m.kind == "condition"}
        for entry_id, by, with_ in self._pairs if len(named) > 1 else ():
            first = next((named[i] for i in by if i in named), None)
            second = next((named[i] for i in with_ if i in named), None)
            if first is None or second is None or entry_id in named:
                continue
            weaker = min(first, second, key=lambda m: m.score)
            extra[("condition", entry_id)] = self.make(
                "conditions", entry_id, weaker.score - IMPLIED_PENALTY, weaker.matched,
                weaker.position, "implied", weaker.role)
        return matches + list(extra.values())

    @cached_property
    def _pairs(self) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        """Conditions implied by two others named together (Condition.implied_by/with)."""
        return [(c.id, c.implied_by, c.implied_with) for c in self.kb.conditions.values()
                if c.implied_by and c.implied_with]

    def make(self, section: str, entry_id: str, score: int, matched: tuple[str, ...],
             position: int, via: str, role: str = SELF, hits: int = 1) -> Match:
        entry = self.kb.sections[section][entry_id]
        return Match(entry.kind, entry_id, entry.name, score, matched, position, via, role, hits,
                     self._origins.get(entry_id, 0))

    @cached_property
    def _origins(self) -> dict[str, int]:
        return self.kb.index.get("origins", {})


def _drop_nested(spans: list[tuple[str, str, int, int, int]]
                 ) -> list[tuple[str, str, int, int, int]]:
    """Within one section, a hit inside a longer hit's span gives way to it ("family peer
    support" beats "peer support"). Populations and conditions are kept, as one need often
    names several ("native youth"), but rank a little below the longer hit ("army wife" is a
    military family first, "army" second)."""
    kept = []
    for span in spans:
        section, entry_id, start, end, score = span
        inside = any(o[0] == section and o[1] != entry_id and o[2] <= start and end <= o[3]
                     and (o[3] - o[2]) > (end - start) for o in spans)
        if not inside:
            kept.append(span)
        elif section in ("populations", "conditions"):
            kept.append((section, entry_id, start, end, score - NESTED_PENALTY))
    return kept


def sort_matches(matches: list[Match]) -> list[Match]:
    """Best first: higher score, then named more often, then from the user's own knowledge base,
    then earlier in the need."""
    return sorted(matches, key=lambda m: (-m.score, -m.hits, -m.layer, m.position,
                                          m.via != "text"))


@lru_cache(maxsize=8)
def matcher_for(kb: KnowledgeBase) -> Matcher:
    """One matcher per knowledge base: its caches of words serve every need after."""
    return Matcher(kb)


def match(kb: KnowledgeBase, text: str) -> list[Match]:
    """Match a need against a knowledge base (the library's entry point for matching)."""
    return matcher_for(kb).match(text)
