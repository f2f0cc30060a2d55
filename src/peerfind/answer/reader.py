"""Second readers for crises and emergencies told in no pattern's words.

The crisis patterns and signals (answer/crisis.py) read the words people use most; each new set
of people's phrasings still finds a third or more of its crises in other words ("it's my 40th
birthday and I'm pretty sure it's my last one"). This reader weighs every word and pair of words
of a need, as a logistic regression learnt from the evaluation sets in `tests/eval/` by
`scripts/train_crisis_reader.py` (never from the held-out sets, `people4.yaml`,
`crisis_people4.yaml` and `crisis_people20.yaml`), and reads a crisis when the need's weight
passes the threshold set there.

Two more tables, learnt the same way, read an emergency that no emergency pattern holds
(`emergency`, with a stricter threshold: a false 911 costs more) and tell an overdose from
danger (`overdose`), for the steps to show. They only add: a need the patterns read stays read.
The tables are in `data/<name>-reader.tsv`, each read on first use: a search by ids never loads
them.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from ..language.en import stem

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = ("crisis", "emergency", "overdose")


def features(plain: str) -> list[str]:
    """The words of a normalised need, stemmed, and each pair of neighbours ("kill_myself"),
    sorted so that sums come out the same on every run."""
    words = [stem(w) for w in plain.split()]
    return sorted({*words, *(f"{a}_{b}" for a, b in zip(words, words[1:]))})


def sigmoid(z: float) -> float:
    """A weight as a probability (clamped: exp overflows past about 700)."""
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


# Needs a reader weighs in its table's text before it parses the table into a dictionary.
PARSE_AFTER = 64


class Reader:
    """The table's text, a bias, and the probability from which a need reads as a crisis.

    The table is not parsed into a dictionary at first (7,000 weights cost a millisecond or
    two to build, more than the rest of a free-text search's crisis reading): its lines are
    sorted, its header gives where the features starting with each letter begin and end, and a
    feature's weight is found in its letter's stretch of the text. A batch reads thousands of
    needs: after PARSE_AFTER of them, the table is parsed once and looked up in a dictionary,
    with the same weights summed in the same order."""

    __slots__ = ("text", "blocks", "bias", "threshold", "weights", "read")

    def __init__(self, text: str, blocks: dict[str, tuple[int, int]], bias: float,
                 threshold: float) -> None:
        self.text, self.blocks, self.bias, self.threshold = text, blocks, bias, threshold
        self.weights: dict[str, float] | None = None
        self.read = 0

    def weight(self, feature: str) -> float:
        block = self.blocks.get(feature[:1])
        if block is None:
            return 0.0
        text, key = self.text, f"\n{feature}\t"
        at = text.find(key, block[0] - 1, block[1])
        if at < 0:
            return 0.0
        start = at + len(key)
        return float(text[start:text.index("\n", start)])

    def probability(self, plain: str) -> float:
        weights = self.weights
        if weights is None:
            self.read += 1
            if self.read <= PARSE_AFTER:
                return sigmoid(self.bias + sum(self.weight(f) for f in features(plain)))
            weights = self.weights = self._parsed()
        return sigmoid(self.bias + sum(weights.get(f, 0.0) for f in features(plain)))

    def _parsed(self) -> dict[str, float]:
        weights = {}
        for line in self.text.split("\n")[3:]:
            feature, tab, weight = line.partition("\t")
            if tab:
                weights[feature] = float(weight)
        return weights

    def reads(self, plain: str) -> bool:
        return self.probability(plain) >= self.threshold


def parse(text: str) -> Reader:
    """A reader from its table: `# bias`, `# threshold` and `# blocks` header lines (each
    `# name<TAB>value`; blocks as `letter:start:end` offsets, comma-separated), then one
    `feature<TAB>weight` line a feature, sorted."""
    head: dict[str, str] = {}
    for line in text.split("\n", 3)[:3]:
        name, _, value = line.partition("\t")
        head[name[2:]] = value
    blocks = {}
    for block in head["blocks"].split(","):
        letter, start, end = block.split(":")
        blocks[letter] = (int(start), int(end))
    return Reader(text, blocks, float(head["bias"]), float(head["threshold"]))


@lru_cache(maxsize=None)
def reader(name: str = "crisis") -> Reader | None:
    """A shipped table (see TABLES), or None when it is missing (a trimmed install)."""
    try:
        return parse((DATA / f"{name}-reader.tsv").read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError):
        return None
