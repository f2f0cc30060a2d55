"""Text handling shared by the matcher, crisis detection and the renderers."""

from __future__ import annotations

import re
import unicodedata

MAX_NEED_CHARS = 1000  # a need is cut here (with a note); documented in the README

_APOSTROPHES = r"['\u2019\u2018`\u00b4]"
_NON_WORD = r"[^0-9a-z]+"
# Terminal escape sequences (CSI, OSC, other ESC sequences) and C0/C1 controls except tab and
# newline. Removed before any text reaches a terminal.
_ESCAPES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[@-_]?"                        # other two-byte escapes, or a lone ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
# Patterns are compiled on first use (re.sub caches them): an exact-id search needs none.


def fold(text: str) -> str:
    """Lower-case and strip accents: "Café" -> "cafe"."""
    if text.isascii():  # most needs: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalize(text: str) -> str:
    """The form every matcher works on: folded, apostrophes dropped ("don't" -> "dont"),
    other punctuation turned into spaces, single spaces."""
    return re.sub(_NON_WORD, " ", re.sub(_APOSTROPHES, "", fold(text))).strip()


def stem(word: str) -> str:
    """A light, symmetric suffix strip so that inflections meet: veterans/veteran,
    drinking/drink, addicted/addict, siblings/sibling. Applied to aliases and needs alike."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    return word


def one_edit_apart(a: str, b: str) -> bool:
    """At most one edit turns `a` into `b`: a changed, added or dropped letter, or two
    neighbours swapped (optimal string alignment distance <= 1)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1:] == b[start + 1:]:  # one letter changed
            return True
        swapped = a[start:start + 2] == b[start:start + 2][::-1]
        return swapped and a[start + 2:] == b[start + 2:]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[start:] == longer[start + 1:]


def may_be_within(a: str, b: str, edits: int) -> bool:
    """False when `a` and `b` are surely more than `edits` edits apart (a cheap test that
    spares most words the real distance). An edit changes the lengths by at most one and the
    letter counts by at most two."""
    if abs(len(a) - len(b)) > edits:
        return False
    counts: dict[str, int] = {}
    for ch in a:
        counts[ch] = counts.get(ch, 0) + 1
    for ch in b:
        counts[ch] = counts.get(ch, 0) - 1
    return sum(map(abs, counts.values())) <= 2 * edits


# Number words people use for ages ("sixteen year old"), turned into digits before ages are read.
_NUMBER_WORDS = {
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_AGE_PATTERNS = (
    # 16 year old, 66 yr old, 19yo, 19 y/o
    r"\b(\d{1,3}) ?(?:-? ?years?|-? ?yrs?|-? ?yr)[ -]old\b|\b(\d{1,3}) ?(?:yo|y/o|y\.o\.?)\b",
    # im 70, i am 19, aged 66, just turned 75, my mom is 84
    r"\b(?:i'?m|i am|aged?|turned|turning|(?:is|he'?s|she'?s|they'?re) now|is) (\d{1,3})\b"
    r"(?! ?(?:days?|weeks?|months?|years?|yrs?|hours?|times?|%|percent|am|pm|dollars?)\b)",
    # an age set apart by commas: "21, not in school", "lesbian, 68, most", "74 and just"
    r"(?:^|[,;(]) ?(\d{1,2}) ?(?=[,;)]|and\b|$)",
)
_POSSESSIVE = r"\b(?:my|our|his|her|their)\s*$"
_DECADE = r"\b(?:in (?:my|his|her|their) )?(?:early |mid |late )?(\d)0s\b"


def ages(text: str) -> list[tuple[int, bool]]:
    """Ages a need states ("im 17", "66 yr old", "in my late 60s"), in order, each with
    whether it is someone else's ("my 15yo daughter", "our 16 year old")."""
    folded = fold(text)
    for word, number in _NUMBER_WORDS.items():
        if word in folded:
            folded = re.sub(rf"\b{word}\b", str(number), folded)
    found = []
    for pattern in _AGE_PATTERNS:
        for hit in re.finditer(pattern, folded):
            value = next(group for group in hit.groups() if group)
            found.append((hit.start(), int(value)))
    found += [(hit.start(), int(hit.group(1)) * 10 + 5) for hit in re.finditer(_DECADE, folded)
              if hit.group(1) != "0"]
    return [(age, bool(re.search(_POSSESSIVE, folded[:at])))
            for at, age in sorted(found) if 5 <= age <= 115]


def words(text: str) -> list[str]:
    """Normalised, stemmed words of a text."""
    return [stem(w) for w in normalize(text).split()]


def key(text: str) -> str:
    """The look-up key of an alias or of a run of words in a need."""
    return " ".join(words(text))


def clean_terminal(text: str) -> str:
    """Remove escape sequences and control characters so text prints as itself."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(_ESCAPES, "", text)


def clean_line(text: str) -> str:
    """`clean_terminal`, and keep it on one line."""
    return " ".join(clean_terminal(text).split())


def bound_need(text: str) -> tuple[str, bool]:
    """Cut a need to MAX_NEED_CHARS; say whether it was cut."""
    if len(text) <= MAX_NEED_CHARS:
        return text, False
    return text[:MAX_NEED_CHARS], True


def scrub_surrogates(text: str) -> str:
    """Replace lone surrogates (from undecodable bytes) so the text can be encoded."""
    return text.encode("utf-8", "replace").decode("utf-8")
