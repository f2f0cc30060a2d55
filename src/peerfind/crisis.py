"""Notice crisis language in a need. The phrase lists live in the knowledge base.

Errs towards showing help: idioms are removed first ("killed it at my interview"), then any
pattern or (possibly misspelt) keyword that is left means the crisis lines come first.

Compiling seventy patterns costs more than the rest of a search, and most needs hold none of
their words. So each pattern has a gate: pieces of text every match contains, worked out from the
pattern itself when the cache is built (`gates`). Text that fails a pattern's gate cannot
match it, and that pattern is not even compiled.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Crisis, KnowledgeBase, Organization
from .text import normalize, one_edit_apart


class CrisisCheck:
    __slots__ = ("detected", "resources")

    def __init__(self, detected: bool, resources: tuple[Organization, ...] = ()) -> None:
        self.detected = detected
        self.resources = resources


class CrisisDetector:
    def __init__(self, crisis: Crisis, gates: dict | None = None) -> None:
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

    def __init__(self, patterns: tuple[str, ...], gates: list | None) -> None:
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
        self._compiled: dict[tuple[int, ...], re.Pattern] = {}

    def regex_for(self, text: str) -> re.Pattern | None:
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


# -- gates (worked out when the cache is built) --------------------------------------------

def gates(crisis: Crisis) -> dict:
    """Each pattern's gate (see `required_pieces`), or None when it runs for every need."""
    return {"patterns": [required_pieces(p) for p in crisis.patterns],
            "exclusions": [required_pieces(p) for p in crisis.exclusions]}


def required_pieces(pattern: str) -> list[list[str]] | None:
    """What every match of `pattern` contains: for each list, one of its pieces of text.

    Read from the tree of Python's own regex parser. Anything the walk does not understand
    gives no guarantee, so a gap in it can only cost speed, never a missed crisis.
    """
    try:
        try:
            from re import _parser
        except ImportError:  # Python 3.10
            import sre_parse as _parser  # type: ignore[no-redef]
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


def _required(items: list) -> list[set[str]]:
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
                required.append(set().union(*branches))
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


def detector_for(kb: KnowledgeBase) -> CrisisDetector:
    detector = kb.__dict__.get("_crisis")
    if detector is None:
        detector = kb.__dict__["_crisis"] = CrisisDetector(kb.crisis, kb.index.get("crisis"))
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
