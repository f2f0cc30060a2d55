"""Notice crisis language in a need. The phrase lists live in the knowledge base.

Errs towards showing help: idioms are removed first ("killed it at my interview"), then any
pattern or (possibly misspelt) keyword that is left means the crisis lines come first.

Misspelt crisis words ("kil myself", "suicdal") are put right before anything runs: a word of the
need that no vocabulary knows, one edit away from a word of the crisis patterns themselves (same
first letter, at least four letters), becomes that word. Gates are checked after, on the
corrected text, so they keep working.

Compiling seventy patterns costs more than the rest of a search, and most needs hold none of
their words. So each pattern has a gate: pieces of text every match contains, worked out from the
pattern itself when the cache is built (knowledge/index.py). Text that fails a pattern's gate cannot
match it, and that pattern is not even compiled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Any

from ..knowledge import KnowledgeBase
from ..knowledge.model import Crisis, CrisisResource, Emergency, Organization
from ..language import key
from ..language.en import is_word
from ..language.normalize import normalize, one_edit_apart
from .speaker import read as read_speaker, said_of, words_for


class CrisisCheck:
    """Whether a need reads as a crisis or an emergency, about whom, and the lines to show.

    `about` is "self", "other" (the words are about someone else in danger: the answer speaks
    to the helper too) or "" (nothing read). `emergencies` are the ids of the emergencies read
    (a life in danger now), whose `emergency_resources` (911) lead the answer."""

    __slots__ = ("detected", "resources", "about", "emergencies", "emergency_resources")

    def __init__(self, detected: bool, resources: tuple[Organization, ...] = (),
                 about: str = "", emergencies: tuple[Emergency, ...] = (),
                 emergency_resources: tuple[Organization, ...] = ()) -> None:
        self.detected = detected
        self.resources = resources
        self.about = about
        self.emergencies = emergencies
        self.emergency_resources = emergency_resources


class Signal:
    """What the crisis words of a need say: a crisis or not, the words that said it, and the
    emergencies read."""

    __slots__ = ("crisis", "words", "emergencies")

    def __init__(self, crisis: bool = False, words: tuple[str, ...] = (),
                 emergencies: tuple[int, ...] = ()) -> None:
        self.crisis, self.words, self.emergencies = crisis, words, emergencies


class CrisisDetector:
    def __init__(self, crisis: Crisis, gates: dict[str, Any] | None = None,
                 known: Iterable[str] = (), stopwords: Iterable[str] = (),
                 correct: bool = True, second_reader: bool = False) -> None:
        """`known`, `stopwords`: words never corrected (the knowledge base's aliases, and the
        vocabulary's stopwords, which are never corrections either). `correct`: whether
        misspelt words are put right; a language whose patterns write their typos in and whose
        words inflect ("cansado", "suicidó") reads its words as written. `second_reader`:
        whether a need the words do not read is weighed by answer/reader.py too."""
        gates = gates or {}
        self._patterns = _Gated(crisis.patterns, gates.get("patterns"))
        self._exclusions = _Gated(crisis.exclusions, gates.get("exclusions"))
        emergency_gates = gates.get("emergencies") or [None] * len(crisis.emergencies)
        self._emergencies = [_Gated(e.patterns, g)
                             for e, g in zip(crisis.emergencies, emergency_gates)]
        self._keywords = tuple(normalize(k) for k in crisis.keywords)
        self._shorthand = dict(_pair(entry) for entry in crisis.shorthand if "=" in entry)
        self._denials = tuple(crisis.denials)
        # The crisis floor (knowledge/floor.py): the first patterns and exclusions are the
        # built-in ones. Exclusions that files added must not hide a need from them, so when
        # there are any, the built-in patterns also run with the built-in exclusions alone.
        self._floor: tuple[_Gated, _Gated] | None = None
        floor = gates.get("floor")
        if floor and floor[1] < len(crisis.exclusions):
            patterns, exclusions = floor
            self._floor = (
                _Gated(crisis.patterns[:patterns], (gates.get("patterns") or [])[:patterns]),
                _Gated(crisis.exclusions[:exclusions],
                       (gates.get("exclusions") or [])[:exclusions]))
        # Emergencies are read in words put right by the crisis patterns' own vocabulary only:
        # a false 911 costs more than a missed misspelling of "unconscious".
        self._signals = _Signals(crisis.signals, crisis.signal_threshold, gates.get("needles")) \
            if crisis.signals else None
        # The signals' words are known words too ("exit" is not a slip for "exist"). The
        # words of the patterns come worked out from the index when it has them.
        literal, other = gates.get("literal"), gates.get("other")
        self._speller = _CrisisSpeller(
            crisis.patterns, self._keywords, known, stopwords,
            [*(p for e in crisis.emergencies for p in e.patterns),
             *(w for kind in crisis.signals for w in kind.words)],
            literal=literal, other=other) if correct else None
        self._second_reader = second_reader
        self._emergency_ids = tuple(e.id for e in crisis.emergencies)
        self.read = lru_cache(maxsize=65536)(self._read)

    def detect(self, text: str) -> bool:
        return self.read(text).crisis

    def _read(self, text: str) -> Signal:
        plain = normalize(text)
        if self._shorthand:
            plain = _spell_out(plain, self._shorthand)
        if self._speller is not None:
            plain = self._speller.correct(plain)
        corrected = plain
        if not plain:
            return Signal()
        exclusion = self._exclusions.regex_for(plain)
        if exclusion is not None:
            plain = " ".join(exclusion.sub(" ", plain).split())
        padded = f" {plain} "
        emergencies = tuple(n for n, gated in enumerate(self._emergencies)
                            if (regex := gated.regex_for(padded)) is not None
                            and regex.search(padded))
        if not emergencies and self._second_reader:
            emergencies = self._weigh_emergency(plain)
        pattern = self._patterns.regex_for(padded)
        said = False  # whether crisis words were there, denied or not
        for match in pattern.finditer(padded) if pattern is not None else ():
            said = True
            if not self._denied(padded, match.start()):
                return Signal(True, tuple(match.group(0).split()), emergencies)
        words = plain.split()
        keyword = next((word for n, word in enumerate(words) if self._near_keyword(word) and
                        not self._denied(" ".join(words[:n]) + " ", None)), None)
        if keyword is not None or emergencies:
            return Signal(True, (keyword,) if keyword else (), emergencies)
        if self._signals is not None and self._signals.may_read(plain):
            found_words = self._signals.read(text, self.clean)
            if found_words:
                return Signal(True, found_words, emergencies)
        # Crisis words the writer says are not so ("I used to believe everyone would be better
        # off without me") are not weighed again: the reader would read the same words.
        if self._second_reader and not said:
            from .reader import reader

            weighed = reader()
            if weighed is not None and weighed.reads(plain):
                return Signal(True, (), emergencies)
        if self._floor is not None:
            found = _search(*self._floor, corrected)
            if found is not None:
                return Signal(True, tuple(found.group(0).split()), emergencies)
        return Signal()

    @cached_property
    def _denial(self) -> re.Pattern[str] | None:
        """The denials as one expression, compiled when a need first has crisis words to deny:
        most needs have none."""
        return re.compile(r"(?:^|\s)(?:" + "|".join(self._denials) + r")\s*$") \
            if self._denials else None

    def _weigh_emergency(self, plain: str) -> tuple[int, ...]:
        """The emergency the second readers read in a need no emergency pattern holds: an
        overdose or danger, for the steps to show."""
        from .reader import reader

        weighed = reader("emergency")
        if weighed is None or not weighed.reads(plain):
            return ()
        kinds = reader("overdose")
        kind = "overdose" if kinds is None or kinds.reads(plain) else "danger"
        return tuple(n for n, found in enumerate(self._emergency_ids) if found == kind)[:1]

    def _denied(self, text: str, start: int | None) -> bool:
        """Whether the words just before `start` (or the end of `text`) say it is not so."""
        if self._denial is None:
            return False
        before = text[max(0, start - 80):start] if start is not None else text[-80:]
        return self._denial.search(before) is not None

    def clean(self, sentence: str) -> str:
        """A sentence as the patterns read it: normalised, shorthand written out, slips put
        right, idioms and other exclusions taken out."""
        plain = normalize(sentence)
        if self._shorthand:
            plain = _spell_out(plain, self._shorthand)
        if self._speller is not None:
            plain = self._speller.correct(plain)
        exclusion = self._exclusions.regex_for(plain)
        if exclusion is not None:
            plain = " ".join(exclusion.sub(" ", plain).split())
        return plain

    def _near_keyword(self, word: str) -> bool:
        if word in self._keywords:
            return True
        return len(word) >= 6 and any(word[0] == k[0] and one_edit_apart(word, k)
                                      for k in self._keywords)


# Where a sentence ends, for the signals: they weigh words a sentence or two apart.
_SENTENCE_END = r"[.!?;\n]+"


class _Signals:
    """Crisis words a need holds in no pattern's order (see Crisis.signals): each sentence,
    with the next one and two, adds up the kinds of words it holds."""

    def __init__(self, kinds: Iterable[Any], threshold: int,
                 needles: Iterable[str] | None = None) -> None:
        kinds = list(kinds)
        self._sources = [(k.weight, k.anchor, k.most,
                          r"\b(?:" + "|".join(sorted(k.words, key=len, reverse=True)) + r")\b")
                         for k in kinds if k.words]
        # Compiling the lists costs more than a search, and most needs hold none of the
        # anchoring words: a piece of text each of them must contain is looked for first.
        if needles is None:  # a knowledge base built without them (the index has them)
            from ..knowledge.patterns import needle

            needles = [needle(w) for k in kinds if k.anchor for w in k.words]
        found = list(needles)
        self._needles = None if "" in found else tuple({f" {n}" for n in found})
        self._threshold = threshold

    @cached_property
    def _kinds(self) -> list[tuple[int, bool, int, re.Pattern[str]]]:
        return [(weight, anchor, most, re.compile(source))
                for weight, anchor, most, source in self._sources]

    @cached_property
    def _anchors(self) -> re.Pattern[str]:
        return re.compile("|".join(
            f"(?:{regex.pattern})" for _, anchor, _, regex in self._kinds if anchor) or "(?!)")

    def may_read(self, plain: str) -> bool:
        """Whether a need holds any anchoring word at all (most do not: nothing else runs)."""
        padded = f" {plain}"  # each piece starts a word: "die" is not in "soldier"
        if self._needles is not None and not any(n in padded for n in self._needles):
            return False
        return self._anchors.search(plain) is not None

    def read(self, text: str, clean: Any) -> tuple[str, ...]:
        """The words that make a window of sentences a crisis, or () when none does."""
        sentences = [s for s in (clean(part) for part in re.split(_SENTENCE_END, text)[:60]) if s]
        for n in range(len(sentences)):
            for window in (sentences[n:n + 1], sentences[n:n + 2], sentences[n:n + 3]):
                words = self._score(" ".join(window))
                if words:
                    return words
        return ()

    def _score(self, sentence: str) -> tuple[str, ...]:
        total, anchored, found = 0, False, []
        for weight, anchor, most, regex in self._kinds:
            hits = list(dict.fromkeys(m.group(0) for m in regex.finditer(sentence)))[:most]
            if hits:
                total += weight * len(hits)
                anchored = anchored or anchor
                found += hits
        if total >= self._threshold and anchored:
            return tuple(" ".join(found).split())
        return ()


def _pair(entry: str) -> tuple[str, str]:
    short, _, long = entry.partition("=")
    return normalize(short), normalize(long)


def _spell_out(plain: str, shorthand: dict[str, str]) -> str:
    """Texting shorthand written out ("i want 2 die" -> "i want to die")."""
    words = plain.split()
    if not any(word in shorthand for word in words):
        return plain
    return " ".join(shorthand.get(word, word) for word in words)


def _search(patterns: "_Gated", exclusions: "_Gated", plain: str) -> re.Match[str] | None:
    exclusion = exclusions.regex_for(plain)
    if exclusion is not None:
        plain = " ".join(exclusion.sub(" ", plain).split())
    padded = f" {plain} "
    pattern = patterns.regex_for(padded)
    return pattern.search(padded) if pattern is not None else None


class _CrisisSpeller:
    """Puts misspelt crisis words right: the words of the patterns are the vocabulary.

    A word is corrected only when nothing knows it (not a stopword, not an alias's word, not a
    word of the patterns, however short), and only into a word of four letters or more that is
    no stopword (but "myself" and the like are crisis words). A changed letter must land in a
    word of six or more ("deaf" is not "dead", "rape" is not "rope"), a word is never made
    plural or past ("med" stays "med"), and a word of three letters is put right only when it
    has no vowel ("hrt") or the word it becomes doubles a letter ("kil")."""

    def __init__(self, patterns: Iterable[str], keywords: Iterable[str],
                 known: Iterable[str], stopwords: Iterable[str],
                 other_patterns: Iterable[str] = (), literal: Iterable[str] | None = None,
                 other: Iterable[str] | None = None) -> None:
        from ..knowledge.patterns import words_of  # only when the index lacks them

        literal = set(keywords) | (set(literal) if literal is not None else words_of(patterns))
        stop = frozenset(stopwords)
        # "gun" is a word, not a misspelt "guns"; the other patterns' words are known too.
        self._known = frozenset(known) | stop | literal | (
            frozenset(other) if other is not None else words_of(other_patterns))
        self._literal = frozenset(literal)
        self._by_start: dict[str, list[str]] = {}
        for word in sorted(literal):
            if len(word) >= 4 and (word not in stop or word.endswith(("self", "selves"))):
                self._by_start.setdefault(word[0], []).append(word)

    def correct(self, plain: str) -> str:
        words = plain.split()
        changed = False
        for n, word in enumerate(words):
            if len(word) < 3 or word in self._known or not word.isalpha():
                continue
            if word.endswith("in") and word + "g" in self._literal:  # "thinkin bout endin it"
                words[n], changed = word + "g", True
                continue
            near = next((w for w in self._by_start.get(word[0], ()) if _typo_of(word, w)), None)
            # A common English word is what the person meant ("shoulder" is not "shouldve").
            if near is not None and key(word) not in self._known and not is_word(word):
                words[n], changed = near, True
        return " ".join(words) if changed else plain


def _typo_of(word: str, target: str) -> bool:
    """`word` may be a slip of the keys for `target` (see _CrisisSpeller). A long word may be
    two slips away when its first four letters are right ("suicidle")."""
    if len(target) >= 8 and len(word) >= 7 and word[:4] == target[:4] and \
            abs(len(word) - len(target)) <= 1 and not one_edit_apart(word, target):
        return _slips(word[4:], target[4:]) <= 2
    if abs(len(word) - len(target)) > 1 or not one_edit_apart(word, target):
        return False
    if len(word) == len(target):
        return len(target) >= 6 or sorted(word) == sorted(target)  # a swap is always a slip
    longer, shorter = max(word, target, key=len), min(word, target, key=len)
    if longer[-1] in "sd" and longer[:-1] == shorter:
        return False
    if len(word) == 3:  # most three letters are a word: only "kil" (a doubled letter) or "hrt"
        return not set(word) & set("aeiouy") or any(
            target[n] == target[n + 1] for n in range(len(target) - 1))
    return True


def _slips(a: str, b: str) -> int:
    """Edits (a letter changed, added, dropped, or two swapped) from `a` to `b`: the optimal
    string alignment distance, for the few letters after a shared start."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1,
                         rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


class _Gated:
    """Regular expressions compiled, as one alternation, only for needs that pass their gates.

    Leaving out a pattern that cannot match anywhere in the need changes nothing: neither
    which text an alternation matches nor what it removes.
    """

    def __init__(self, patterns: tuple[str, ...], gates: list[Any] | None) -> None:
        self._patterns = patterns
        if gates is None or len(gates) != len(patterns):
            gates = [None] * len(patterns)
        self._gates: list[Any] = [gate or () for gate in gates]
        # Each piece of a gate's first (rarest) set, with the patterns it opens: one pass over
        # these pieces finds the few patterns whose other sets are worth a look.
        self._always = [n for n, gate in enumerate(self._gates) if not gate]
        self._openers: dict[str, list[int]] = {}
        for n, gate in enumerate(self._gates):
            for piece in gate[0] if gate else ():
                self._openers.setdefault(piece, []).append(n)
        self._by_start: dict[str, list[tuple[str, list[int]]]] | None = None
        self._read = 0
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _index(self) -> dict[str, list[tuple[str, list[int]]]]:
        """The pieces by their first three letters (shorter ones under ""): a need holds few of
        the 500 or so pieces, and those whose first three letters it lacks need no look. Built
        once a batch has read INDEX_AFTER needs: for one need, a pass over the pieces is quicker
        than building it."""
        by_start: dict[str, list[tuple[str, list[int]]]] = {}
        for piece, numbers in self._openers.items():
            by_start.setdefault(piece[:3] if len(piece) >= 3 else "", []).append((piece, numbers))
        return by_start

    def regex_for(self, text: str) -> re.Pattern[str] | None:
        """One alternation of the patterns that may match `text`, or None if none can."""
        opened = set(self._always)
        by_start = self._by_start
        if by_start is None and self._read < INDEX_AFTER:
            self._read += 1
            for piece, numbers in self._openers.items():
                if piece in text:
                    opened.update(numbers)
        else:
            if by_start is None:
                by_start = self._by_start = self._index()
            for start in by_start.keys() & _threes(text):
                for piece, numbers in by_start[start]:
                    if piece in text:
                        opened.update(numbers)
            for piece, numbers in by_start.get("", ()):
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


# Needs a gate reads with one pass over its pieces before it indexes them (see _Gated._index).
INDEX_AFTER = 64


@lru_cache(maxsize=16)
def _threes(text: str) -> frozenset[str]:
    """Every run of three characters in `text` (each need is gated four times or more)."""
    return frozenset(text[n:n + 3] for n in range(len(text) - 2))


@lru_cache(maxsize=8)
def detector_for(kb: KnowledgeBase) -> CrisisDetector:
    """One detector per knowledge base: its compiled patterns serve every need after."""
    # Other languages' crisis keywords are words too ("suicidio" is not a slip for "suicidal").
    known = [*kb.index.get("stopwords", ()), *kb.index.get("aliases", {}),
             *(w for words in kb.index.get("vocabulary", {}).values() for w in words),
             *(normalize(w) for key in kb.index if key.startswith("crisis:")
               for w in kb.index[key].get("keywords", ()))]  # only those parts are read
    return CrisisDetector(kb.crisis, kb.index.get("crisis"), known,
                          normalize(" ".join(kb.vocabulary.stopwords)).split(),
                          # The readers learn from the Spanish sets as from the English ones.
                          correct=kb.lang == "en", second_reader=True)


def crisis_lines(kb: KnowledgeBase, populations: set[str] | None = None,
                 resources: Iterable[CrisisResource] | None = None, age: int | None = None
                 ) -> tuple[Organization, ...]:
    """The crisis block's lines: all of them when `populations` is None (`peerfind crisis`),
    else those for everyone plus those for the matched populations and the writer's age."""
    lines: list[Organization] = []
    for resource in kb.crisis.resources if resources is None else resources:
        org = kb.organizations[resource.organization]
        if populations is None or (populations.issuperset(org.requires) and org.serves_age(
                age) and (not resource.populations or populations & set(resource.populations))):
            lines.append(org)
    return tuple(lines)


def lines_for_every_page(kb: KnowledgeBase, populations: set[str]) -> tuple[Organization, ...]:
    """What a printed page shows whatever the need: the crisis lines for these populations,
    then the emergency line (911)."""
    return crisis_lines(kb, populations) + crisis_lines(kb, populations,
                                                        kb.crisis.emergency_resources)


def check(kb: KnowledgeBase, text: str, populations: set[str], age: int | None = None
          ) -> CrisisCheck:
    """Whether `text` reads as a crisis or an emergency, and about whom: whoever the crisis
    words are said of ("my son said he wants to end it"; see answer/speaker.py)."""
    if not text:
        return CrisisCheck(False)
    signal = read_signal(kb, text)
    if not signal.crisis:
        return CrisisCheck(False)
    known = words_for(kb.vocabulary)
    about = said_of(read_speaker(text, normalize, known), signal.words, known)
    emergencies = tuple(kb.crisis.emergencies[n] for n in signal.emergencies)
    first = crisis_lines(kb, populations, kb.crisis.emergency_resources) if emergencies else ()
    return CrisisCheck(True, crisis_lines(kb, populations, age=age), about, emergencies, first)


def read_signal(kb: KnowledgeBase, text: str) -> Signal:
    """The crisis words of the answer's language, and of every other language the need is
    written in ("i feel like killing myself, ya no aguanto"): the first that reads a crisis,
    with the emergencies any of them read."""
    from ..language import for_language
    from ..language.choose import present

    signals = [detector_for(kb).read(text)]
    for lang in sorted(present(text) - {kb.lang}):
        is_word = for_language(kb.lang).is_word
        detector = language_detector(kb.base, lang)
        signal = detector.read(text) if detector is not None else Signal()
        # Words of the answer's own language were read by its own detector: "suicide" is
        # not a near miss of a Spanish word ("Hx of one suicide attempt (2009)").
        if not signal.words or not all(map(is_word, signal.words)):
            signals.append(signal)
    emergencies = tuple(sorted({n for signal in signals for n in signal.emergencies}))
    found = next((signal for signal in signals if signal.crisis), None)
    if found is None:
        return Signal()
    return Signal(True, found.words, emergencies)


@lru_cache(maxsize=16)
def language_detector(kb: KnowledgeBase, lang: str) -> CrisisDetector | None:
    """The crisis words of one language, read from their own part of the index (see
    knowledge/index.py); None for a language the knowledge base has no words for."""
    if lang == kb.lang:
        return detector_for(kb)
    part = kb.index.get(f"crisis:{lang}")
    if part is None:
        return None
    emergencies = tuple(Emergency(id=e.id, patterns=tuple(patterns))
                        for e, patterns in zip(kb.crisis.emergencies, part["emergencies"]))
    from ..knowledge.model import SignalKind, build_kwargs

    words = Crisis(patterns=tuple(part["patterns"]), exclusions=tuple(part["exclusions"]),
                   keywords=tuple(part["keywords"]), shorthand=tuple(part.get("shorthand", ())),
                   denials=tuple(part.get("denials", ())),
                   signals=tuple(SignalKind(**build_kwargs(k)) for k in part.get("signals", ())),
                   signal_threshold=part.get("signal_threshold", 4), emergencies=emergencies)
    return CrisisDetector(words, part["gates"], correct=False)
