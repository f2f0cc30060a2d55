"""Who is speaking, and about whom.

The person typing is not always the person the words describe: "I'm not a veteran but my
husband is, and he drinks every night" is written by a family member. The need is cut into
clauses, and each word is read as said by the writer about themselves ("I'm ...", "as a ...")
or about someone else ("my husband ...", "he ..."): the reading carries from word to word and
from clause to clause until another person is named. Populations said of someone else give way
to the writer's own; when the other person is the one facing something, the writer is their
family (for a client, the worker asks on the client's behalf). The words for all of this are
data: `vocabulary.speaker` in the knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..knowledge.model import Relation, Vocabulary

SELF, OTHER = "self", "other"
_WRITER = ("i", "me")  # the writer in "me and my kids", "my wife and i"

# Populations said of someone else rank this much below the writer's own, and the population
# the writer belongs to because of them (family) ranks between the two, below what the writer
# says of themselves, even an age: "im 16 and my mom drinks" is a teen first.
OTHER_PENALTY = 10
# A denied word is said of someone else only when a person is named this many words from it.
NEGATED_REACH = 12
WRITER_SCORE = 94  # below an age the writer states (95)
# What ends a clause: punctuation (not the full stop of "St. Louis" or "Dr. Lee"), and
# clause words.
_SHORT = r"(?<!\b[Ss]t)(?<!\b[Ff]t)(?<!\b[Mm]t)(?<!\b[Dd]r)(?<!\b[Mm]r)(?<!\b[Mm]s)"
_CLAUSE_MARKS = rf"[;:!?()\n]+|,|{_SHORT}\.(?=\s|$)"
_SENTENCE_MARKS = rf"[;:!?()\n]+|{_SHORT}\.(?=\s|$)"


@lru_cache(maxsize=None)
def _marks(commas: bool) -> re.Pattern[str]:
    """What ends a clause (with commas) or a sentence, compiled on first use."""
    return re.compile(_CLAUSE_MARKS if commas else _SENTENCE_MARKS)


class Reading:
    """The need's words, each word's role (self or other), whether it is negated, the
    people mentioned as (relation, start, end) word spans, and where someone else's words are
    quoted."""

    __slots__ = ("words", "roles", "negated", "mentions", "quoted")

    def __init__(self, words: list[str], roles: list[str], negated: list[bool],
                 mentions: list[tuple[Relation, int, int]],
                 quoted: frozenset[int] = frozenset()) -> None:
        self.words, self.roles, self.negated, self.mentions = words, roles, negated, mentions
        self.quoted = quoted

    def role(self, position: int) -> str:
        return self.roles[position] if 0 <= position < len(self.roles) else SELF

    def is_negated(self, position: int) -> bool:
        return 0 <= position < len(self.negated) and self.negated[position]


class Speaker:
    """Who the need is about: the writer ("self"), or someone else and how they are related."""

    __slots__ = ("about", "relation", "words", "writer")

    def __init__(self, about: str = SELF, relation: str | None = None,
                 words: tuple[str, ...] = (), writer: str = "") -> None:
        self.about = about
        self.relation = relation  # the id of the first person mentioned ("spouse")
        self.words = words  # the words that named them ("my", "husband")
        self.writer = writer  # the writer's own population when the need is someone else's

    def to_dict(self) -> dict:
        return {"who": self.about, "relation": self.relation, "words": list(self.words),
                "writer": self.writer or None}


class Words:
    """The speaker vocabulary of a knowledge base, as sets to look words up in (made once)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.self_words = frozenset(vocabulary.self_words)
        self.other_words = frozenset(vocabulary.other_words)
        self.self_endings = tuple(vocabulary.self_endings)
        self.other_endings = tuple(vocabulary.other_endings)
        self.possessives = frozenset(vocabulary.possessives)
        self.negations = frozenset(vocabulary.negations)
        self.fillers = frozenset(vocabulary.negation_fillers)
        self.breaks = frozenset(vocabulary.clause_words)
        self.mention_verbs = frozenset(vocabulary.mention_verbs)
        self.report_verbs = frozenset(vocabulary.report_verbs)
        self.recipient_words = frozenset(vocabulary.recipient_words)
        self.done_to = frozenset(vocabulary.done_to)
        self.objects = frozenset(vocabulary.objects)
        self.losses = frozenset(vocabulary.losses)
        self.loss_order = tuple(vocabulary.losses)
        self.lost_words = frozenset(vocabulary.lost_words)
        self.death_words = frozenset(vocabulary.death_words)
        self.writers = frozenset(r.writer for r in vocabulary.relations if r.writer)
        self.relations: dict[str, list[Relation]] = {}  # by first word
        for relation in vocabulary.relations:
            for phrase in relation.words:
                self.relations.setdefault(phrase.split()[0], []).append(relation)
        # Words that name someone else: "she", "son", "amiga". A relation's one-word names, not
        # every word of its longer ones ("a" of "of a", "one" of "loved one", "que" of
        # "ser querido que"): those would make "no one would miss me" someone else's.
        self.naming = frozenset(self.other_words | {
            phrase for r in vocabulary.relations if not r.after_person for phrase in r.words
            if " " not in phrase})
        self.genders = {w: g.id for g in vocabulary.genders for w in g.words}
        self.partners = {w: g.id for g in vocabulary.genders for w in g.partners}
        self.gender_markers = frozenset(vocabulary.gender_markers)


@lru_cache(maxsize=8)
def words_for(vocabulary: Vocabulary) -> Words:
    """One Words per knowledge base's vocabulary."""
    return Words(vocabulary)


def read(text: str, normalize: Callable[[str], str], known: Words) -> Reading:
    """Who each word of `normalize(text).split()` is about."""
    self_words, other_words, possessives = known.self_words, known.other_words, known.possessives
    negations, fillers, by_first = known.negations, known.fillers, known.relations
    words: list[str] = []
    roles: list[str] = []
    negated: list[bool] = []
    mentions: list[tuple[Relation, int, int]] = []
    quoted_words: set[int] = set()
    role = SELF
    for clause, quoted in _voiced_clauses(text, normalize, known):
        start = len(words)
        owner = -1  # where the last possessive of this clause stands ("my", "our")
        reported = -1  # where the writer says they found something ("found oxy in ...")
        given = False  # the writer gave to someone named here ("to my nephew")
        if quoted and (quoted == OTHER or role == OTHER and quoted is True):
            # Someone else's words, quoted ("my son said 'you won't have to worry about
            # me'"): every word is theirs, and the people they name are theirs to name.
            for at, word in enumerate(clause):
                quoted_words.add(len(words))
                words.append(word)
                roles.append(OTHER)
                negated.append(at > 0 and _negated(clause, at, negations, fillers))
            role = OTHER
            continue
        for at, word in enumerate(clause):
            found = _relation_at(clause, at, by_first) if word in by_first or (
                word[-1:] == "s" and word[:-1] in by_first) else None
            if word in possessives:
                owner = at
                if not any(_relation_at(clause, n, by_first)
                           for n, w in enumerate(clause[at + 1:at + 5], at + 1)):
                    # "my depression", "his drinking": the owner's own, not a person named.
                    role = SELF if word in self_words else OTHER
            elif word in self_words and word not in known.done_to and clause[at - 1:at] != [
                    "of"] or (
                    word == "as" and clause[at + 1:at + 2] in (["a"], ["an"])):
                # The writer as subject ("i", "we"); as object ("steals from us to buy pills")
                # the words stay with whoever is doing it.
                role, owner = SELF, -1
            elif word in other_words:
                role = OTHER
            elif word in known.report_verbs and (at == 0 or clause[at - 1] in self_words):
                reported = at
                if mentions and at:
                    role = OTHER  # "i found pills in his room": his, not the writer's
            elif found is not None and (owner >= 0 or _unowned_mention(
                    clause, at, *found, known.mention_verbs)) and not (
                    found[0].after_person and (at == 0 or clause[at - 1] not in known.naming)):
                relation, size = found
                if _joint(clause, at, owner, size):  # "me and my kids": the writer too
                    mentions.append((relation, start + at, start + at + size))
                    words.append(word)
                    roles.append(SELF)
                    negated.append(False)
                    continue
                # "my 16 year old son": every word from "my" on is about the son; and what
                # the writer found before naming him ("found oxy in my son's backpack").
                first = start + (owner if owner >= 0 else at)
                if reported >= 0 and not self_words.intersection(clause[reported + 1:first - start]):
                    first = min(first, start + reported + 1)
                for n in range(first, len(roles)):
                    roles[n] = OTHER
                mentions.append((relation, start + at, start + at + size))
                named = owner if owner >= 0 else at
                given = given or role == SELF and named > 0 and \
                    clause[named - 1] in known.recipient_words
                role, owner = OTHER, -1
            words.append(word)
            roles.append(role)
            negated.append(at > 0 and _negated(clause, at, negations, fillers))
        if given:
            role = SELF
    return Reading(words, roles, negated, mentions, frozenset(quoted_words))


def attribute(matches: list, reading: Reading, yields: Mapping[str, Sequence[str]],
              make_writer: Callable[[str, tuple[str, ...], int], object],
              known: Words | None = None,
              make_loss: Callable[[str, int, tuple[str, ...], int], object] | None = None
              ) -> tuple[list, Speaker]:
    """Re-rank `matches` for who is speaking (scores change in place) and say who the need is
    about. `yields` is each entry's `yields_to`; `make_writer(population, words, position)`
    makes the match for the writer's own population ("family") when the words describe
    someone else's trouble. `known.losses` are the conditions that tell of a death: the
    writer's own, whoever died; `make_loss(condition, score, words, position)` makes the loss
    that a person's death names ("lost my little sister": grief, and a sibling's death)."""
    losses = known.losses if known is not None else frozenset()
    kept = []
    for m in matches:
        if m.via == "option":
            m.role = SELF
        elif reading.is_negated(m.position):
            # "I'm not a veteran but my husband is": said of the other person named near it,
            # or of nobody ("I don't have PTSD ... (three sentences on) my wife says").
            if not any(abs(start - m.position) <= NEGATED_REACH for _, start, _ in reading.mentions):
                continue
            m.role = OTHER
        else:
            m.role = reading.role(m.position)
        kept.append(m)
    if not reading.mentions:
        return kept, Speaker()
    relation, start, end = reading.mentions[0]
    words = tuple(reading.words[start - 1:end]) if start and \
        reading.words[start - 1] in ("my", "our") else tuple(reading.words[start:end])
    writers = {r.writer for r, _, _ in reading.mentions if r.writer}
    named = {n for _, s, e in reading.mentions for n in range(max(0, s - 1), e)}
    matched = {m.id for m in kept}
    if known is not None and make_loss is not None and known.loss_order:
        # A person named with a death ("lost my little sister", "my son was killed"): the
        # writer's grief, and the loss of that kind of person (a sibling's death).
        for dead, at in _deaths(reading, known):
            for condition in (known.loss_order[0], dead.loss):
                if condition and condition not in {k.id for k in kept}:
                    made = make_loss(condition, 100, tuple(reading.words[at:at + 2]), at)
                    if made is not None:
                        kept.append(made)
    for m in kept:
        if m.id in losses:  # a loss is the writer's own, whoever died ("since her passing")
            m.role = SELF
        elif m.role == OTHER and m.kind == "condition" and known is not None and (
                _done_to_writer(reading, m.position, len(m.matched), known.done_to)
                or _done_by(reading, m.id, m.position, len(m.matched), known)):
            m.role = SELF  # "my uncle molested me", "my boyfriend is abusive": the writer's
    if not relation.writer and known is not None:
        # A worker speaking of a client ("Pt 79F, lives alone since husband d. 2022"): the
        # people named without "my" are the client's, and name none of the client's groups.
        for m in kept:
            if m.kind == "population" and m.id in known.writers and \
                    known.possessives.isdisjoint(reading.words[max(0, m.position - 1):
                                                               m.position + len(m.matched)]):
                # (and the penalty for what is said of someone else, below, on top)
                m.role, m.score = OTHER, max(0, m.score - OTHER_PENALTY)
    troubles = [m for m in kept if m.role == OTHER and m.kind in ("population", "condition")
                and m.id not in writers and m.position not in named]
    # A death is the writer's own loss, not someone else's trouble to help with, unless the
    # other person faces something more than words that give way to it ("my dad drinks
    # since mom passed", unlike "my roommate died by suicide").
    mourning = any(m.id in losses for m in kept) and not any(
        m.kind == "condition" and m.id not in losses and not any(
            y in matched for y in yields.get(m.id, ())) for m in troubles)
    # The writer's place gives way to what the writer is ("mom of a newborn": a new parent),
    # not to what the other person is ("my daughter is 7 months pregnant and using").
    own = {m.id for m in kept if m.role == SELF}
    writer = relation.writer if troubles and not mourning and not any(
        y in own for y in yields.get(relation.writer, ())) else ""
    # Mourning a child or a sibling is still the writer's place in the family.
    bereaved = [r for r, _, _ in reading.mentions
                if r.loss and r.writer and r.loss in {m.id for m in kept}]
    if bereaved and not writer:
        writer = bereaved[0].writer
    about = OTHER if troubles and not any(
        m.role == SELF and m.kind == "condition" for m in kept) else SELF
    for m in kept:
        if m.kind == "population" and m.id in writers:
            # The writer's place beside someone in trouble, or just a person they named; what
            # the writer says of themselves stands ("i'm her main caregiver").
            said = m.role == SELF and m.position not in named
            m.score, m.role = (max(m.score, WRITER_SCORE) if said else WRITER_SCORE, SELF) \
                if m.id == writer else (m.score if said else max(0, m.score - OTHER_PENALTY),
                                        m.role)
        elif m.role == OTHER and (m.kind == "population" or writer and m.kind == "condition"):
            m.score = max(0, m.score - OTHER_PENALTY)
    if writer and writer not in matched:
        kept.append(make_writer(writer, words, start))
    return kept, Speaker(about, relation.id, words, writer)


def said_of(reading: Reading, found: Sequence[str], known: Words) -> str:
    """Whom words found in the need are said of: their own person ("no one would miss me",
    "she wants to end it"), else the role where they stand ("my son said 'you won't have to
    worry about me'": the son's); when they stand nowhere (a reader weighed the whole need),
    the role of most of the need's words, the later half counted twice."""
    size = len(found)
    at = next((n for n in range(len(reading.words) - size + 1) if reading.words[n] == found[0]
               and reading.words[n:n + size] == list(found)), None) if size else None
    if at is None and size:
        # Words read otherwise than written ("pa" as "para"): their own person, if they say.
        persons = _persons(found, known)
        if len(persons) == 1:
            return persons.pop()
    if at is None:
        # People often come to what weighs on them last.
        roles = reading.roles + reading.roles[len(reading.roles) // 2:]
        others = roles.count(OTHER)
        return OTHER if others > len(roles) - others else SELF
    if at not in reading.quoted:
        # The writer as object just after counts too: "no one would miss | me", "would be
        # better off | without me".
        own = set(found) | known.done_to.intersection(reading.words[at + size:at + size + 2])
        persons = _persons(own, known)
        if len(persons) == 1:
            return persons.pop()
        if persons:
            # Both: "told me he wants to kill himself". The act's own person comes last.
            return next((person for word in reversed(found)
                         if (person := _person_of(word, known))), OTHER)
    return reading.role(at)


def _persons(words: Iterable[str], known: Words) -> set[str]:
    """The persons `words` name by themselves (see _person_of)."""
    return {_person_of(word, known) for word in words} - {""}


def _person_of(word: str, known: Words) -> str:
    """Whom a word names by itself: the writer ("me", "colgarme"), someone else ("himself",
    "quitarse"; not an object such as "them"), or "" for neither."""
    if word in known.self_words or known.self_endings and word.endswith(known.self_endings):
        return SELF
    if word in known.other_words and word not in known.objects or \
            known.other_endings and word.endswith(known.other_endings):
        return OTHER
    return ""


# "(F22)", "22m": a gender and an age, as people write them about themselves in posts.
_GENDER_AGE = r"^(?:([fm])\d{2}|\d{2}([fm]))$"


def same_gender(reading: Reading, known: Words) -> int | None:
    """Where the writer says their own gender, when they name a partner of the same one ("I'm
    a woman and my girlfriend ...", "me (F22) and my gf"); None otherwise."""
    if not known.partners or not reading.mentions:
        return None
    partners = {known.partners[w] for _, start, end in reading.mentions
                for w in reading.words[start:end] if w in known.partners}
    if not partners:
        return None
    for at, word in enumerate(reading.words):
        if reading.role(at) != SELF or reading.is_negated(at):
            continue
        short = re.match(_GENDER_AGE, word) if word[:1].isdigit() or word[:1] in "fm" else None
        if short:  # the letter, as the vocabulary spells it
            gender, said = known.genders.get(short.group(1) or short.group(2), ""), True
        elif len(word) > 1:  # a lone "m" is more often "i m" than a gender
            gender = known.genders.get(word, "")
            # "im a woman", not "i have met a lovely woman" (vocabulary.gender_markers)
            said = bool(known.gender_markers.intersection(reading.words[max(0, at - 5):at]))
        else:
            continue
        if said and gender in partners:
            return at
    return None


# A quotation: an opening mark after a space (or at the start), words (an apostrophe inside a
# word is not a mark: "don't"), and a closing mark before a space, punctuation or the end.
_QUOTE = (r"""(?:(?<=[\s(:,])|^)(["'“‘])((?:[^"'“”‘’]|"""
          r"""(?<=\w)['’](?=\w))+?)["'”’](?=[\s.,!?;:)]|$)""")


@lru_cache(maxsize=None)
def _quotes() -> re.Pattern[str]:
    """A quotation, compiled on first use (a search by ids never reads one)."""
    return re.compile(_QUOTE)


def _voiced_clauses(text: str, normalize: Callable[[str], str], known: Words
                    ) -> list[tuple[list[str], str | bool]]:
    """The need's clauses, each with whose voice a quotation is in: "" outside quotations;
    inside one, SELF or OTHER as the words before it say ("i told him '...'", "my son said
    '...'", "she texted '...'"), or True when they do not say (the voice carries on)."""
    breaks = known.breaks
    if "'" not in text and '"' not in text and "\u201c" not in text and "\u2018" not in text:
        return [(clause, "") for clause in clauses(text, normalize, breaks)]
    out: list[tuple[list[str], str | bool]] = []
    at = 0
    for found in _quotes().finditer(text):
        before = text[at:found.start()]
        out += [(clause, "") for clause in clauses(before, normalize, breaks)]
        voice = _voice(out[-1][0] if out else [], known)
        out += [(clause, voice) for clause in clauses(found.group(2), normalize, breaks)]
        at = found.end()
    out += [(clause, "") for clause in clauses(text[at:], normalize, breaks)]
    return out


def _voice(clause: list[str], known: Words) -> str | bool:
    """Whose words a quotation after `clause` is: the clause's last subject ("i", "she"; not
    "me", "him" or "my"), or someone named in it ("my son said"); True when it names nobody."""
    for word in reversed(clause):
        if word in known.breaks:
            break
        if word in known.possessives or word in known.done_to or word in known.objects:
            continue
        if word in known.self_words:
            return SELF
        if word in known.other_words:
            return OTHER
    return True


def clauses(text: str, normalize: Callable[[str], str], breaks: frozenset[str],
            commas: bool = True) -> list[list[str]]:
    """The need's words, clause by clause: punctuation, and words such as "but", end one
    (commas too unless `commas` is False: "Dayton, Ohio" is one place). An "and" that joins
    the writer to someone ("me and my kids", "my wife and i") joins, and does not cut."""
    out: list[list[str]] = []
    for piece in _marks(commas).split(text):
        clause: list[str] = []
        words = normalize(piece).split()
        for at, word in enumerate(words):
            if word in breaks and clause and not _joins_the_writer(words, at):
                out.append(clause)
                clause = []
            clause.append(word)
        if clause:
            out.append(clause)
    return out


def _done_to_writer(reading: Reading, start: int, size: int, done_to: frozenset[str]) -> bool:
    """Whether the words at start:start+size are done to the writer: "molested me" (English
    puts the object after), "me pega" (Spanish before), "hits me" (in the words)."""
    around = reading.words[max(0, start - 1):start + size + 1]
    return bool(done_to.intersection(around))


def _done_by(reading: Reading, condition: str, start: int, size: int, known: Words) -> bool:
    """Whether the person named last before a condition does it to the writer: "my boyfriend
    is verbally abusive", not "my daughter's boyfriend hits her"."""
    before = [(r, s) for r, s, _ in reading.mentions if s <= start]
    if not before or condition not in before[-1][0].does:
        return False
    return not known.other_words.intersection(reading.words[before[-1][1]:start + size + 2])


def _deaths(reading: Reading, known: Words) -> list[tuple[Relation, int]]:
    """People named with a death: "lost my (little) sister" (a word of `lost_words` up to three
    words before), "my son died", "my son was killed" (`death_words` up to three words after)."""
    found = []
    for relation, start, end in reading.mentions:
        before = reading.words[max(0, start - 3):start]
        after = reading.words[end:end + 3]
        if (known.lost_words & set(before) and known.possessives & set(before)) or \
                known.death_words & set(after):
            found.append((relation, start))
    return found


def _joint(clause: list[str], at: int, owner: int, size: int) -> bool:
    """"me and my kids", "my wife and i": someone named together with the writer."""
    first = owner if owner >= 0 else at
    return clause[max(0, first - 2):first] in (["me", "and"], ["i", "and"]) or \
        clause[at + size:at + size + 2] in (["and", "i"], ["and", "me"])


def _joins_the_writer(words: list[str], at: int) -> bool:
    return words[at] == "and" and (words[at - 1] in _WRITER or words[at + 1:at + 2] in (
        ["i"], ["me"]))


def _unowned_mention(words: list[str], at: int, relation: Relation, size: int,
                     said_of_someone: frozenset[str]) -> bool:
    """A person named without "my": for relations named that way ("client is a 24 yo vet",
    "a client who ..."), unless the word names the writer ("im a client"); anyone at the
    start of a clause who then does or is something ("sister is a meth addict", "husband
    drinks every night", "a friend from work texted"), not the writer introducing themselves
    ("mom of two here"); and
    anyone "of mine" ("a friend of mine is using")."""
    first = at == 0 or at == 1 and words[0] in ("a", "an")  # "a friend in my group keeps ..."
    if first and words[at + size:at + size + 1] and words[at + size] in said_of_someone or \
            words[at + size:at + size + 2] in (["of", "mine"], ["of", "ours"]):
        return True
    before = words[max(0, at - 3):at]
    said_of_self = bool({"a", "an"} & set(before)) and any(w in ("im", "am", "as", "i")
                                                           for w in before)
    return relation.bare and not said_of_self


def _negated(words: list[str], at: int, negations: frozenset[str], fillers: frozenset[str]) -> bool:
    """"not a veteran", "dont drink": a negation right before the word, fillers apart."""
    n = at - 1
    while n >= 0 and words[n] in fillers:
        n -= 1
    return n >= max(0, at - 3) and words[n] in negations


def _relation_at(words: list[str], at: int, by_first: dict[str, list[Relation]]
                 ) -> tuple[Relation, int] | None:
    """The relation named at `at`, and how many words name it; a last word may carry an "s"
    of the plural or the possessive ("my uncle's shop", "my coworkers")."""
    word = words[at]
    for relation in by_first.get(word, by_first.get(word[:-1], ()) if word[-1:] == "s" else ()):
        for phrase in relation.words:
            parts = phrase.split()
            found = words[at:at + len(parts)]
            if found == parts or found[:-1] == parts[:-1] and found[-1:] == [parts[-1] + "s"]:
                return relation, len(parts)
    return None
