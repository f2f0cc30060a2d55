"""English: the light stemmer, number words and the phrases people use to state an age.

Every language module exposes the same names (see `peerfind.language`): `CODE`, `stem`,
`NUMBER_WORDS`, `ages`, `may_state_age`, `is_word` and `FUNCTION_WORDS`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .normalize import fold

CODE = "en"

# Closed words of everyday English (and the commonest verbs and family words of a need), read
# to tell a need's language. Words Spanish writes alike count for neither (choose.py).
FUNCTION_WORDS = frozenset("""
    the an and or but of to in on at for with from by about into after since because than
    i im ive id ill my mine myself we our us you your yours youre she her hers they them
    their theyre it its this that these those is are was were am be been being have had
    having do does did dont doesnt didnt cant wont isnt not what who how when where why
    which will would should could can just only also very really
    need needs want wants looking help im trying feel feeling anyone someone
    mom dad wife husband daughter brother sister kids kid friend boyfriend girlfriend
""".split())

# Words that name the language in a need written in another one ("mi mamá solo habla inglés").
NAMES = frozenset({"english", "ingles"})

# The commonest English words of five letters or more (scripts/make_words.py).
WORD_LIST = Path(__file__).resolve().parents[1] / "data" / "english-words.txt"


def is_word(word: str) -> bool:
    """Whether a normalised word is a common English word: the speller must not take "trial"
    for a typo of "tribal". Read on first use, by the few needs with a word to correct."""
    return word in _common_words()


@cache
def _common_words() -> frozenset[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if not line.startswith("#"))


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


# Number words people use for ages ("sixteen year old"), turned into digits before ages are read.
NUMBER_WORDS = {
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_AGE_PATTERNS = (
    # 16 year old, 66 yr old, 19yo, 19 y/o
    r"\b(\d{1,3}) ?(?:-? ?years?|-? ?yrs?|-? ?yr)[ -]old\b|\b(\d{1,3}) ?(?:yo|y/o|y\.o\.?)\b",
    # im 70, i am 19, im only 13, aged 66, just turned 75, my mom is 84, we're both 17
    r"\b(?:i'?m|i am|aged?|turned|turning|(?:is|he'?s|she'?s|they'?re) now|is|we'?re both|"
    r"we are both)(?: only| just| almost| nearly| about)? (\d{1,3})\b"
    r"(?! ?(?:days?|weeks?|months?|years?|yrs?|hours?|times?|%|percent|am|pm|dollars?)\b)",
    # an age set apart by commas or full stops: "21, not in school", "lesbian, 68, most",
    # "74 and just", "widower, 70. lost my wife", "just floating. 22. all my friends"
    r"(?:^|[,;(]|\.\s) ?(\d{1,2}) ?(?=[,;)]|\.(?:\s|$)|and\b|$)",
    # an age that opens the need, before a word that counts nothing: "72 widower", "19 got
    # sent home" (not "30 days clean", "12 step meetings"; "74 and" is read above)
    r"^\s*(\d{2}) (?!(?:days?|wks?|weeks?|mos?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|"
    r"times?|percent|am|pm|dollars?|bucks|k|mg|pills?|tablets?|drinks?|beers?|shots?|steps?|"
    r"miles?|lbs?|pounds?|kg|oz|grams?|degrees?|people|of|out|to|or|and|yo|y|x|th|st|nd|rd)\b)"
    r"(?=[a-z])",
    # an age with a gender letter, as posts write it: "21f", "18m,", "16 (f)", "(f22)", "m/19"
    r"(?:^|[\s,(\[/])(\d{2})(?: ?\()?(?:m|f|nb)(?=[\s,.;:)\]/]|$)"
    r"|(?:^|[\s(\[])(?:m|f|nb)/?(\d{2})(?=[\s,.;:)\]/]|$)",
)
_POSSESSIVE = r"\b(?:my|our|his|her|their)\s*$"
# An age that describes the person named right after it ("a 15 yr old client", "a 17 year old
# son"): someone the writer speaks of, not the writer ("a 24 year old woman" is).
_SOMEONE_AFTER = (r"^\s*(?:son|sons|daughter|daughters|kid|kids|child|children|client|patient|"
                  r"student|brother|sister|grandson|granddaughter|grandchild|nephew|niece|cousin|"
                  r"stepson|stepdaughter|baby|toddler|boyfriend|girlfriend|husband|wife|partner|"
                  r"friend|roommate|resident|caller|mentee)\b")
_DECADE = r"\b(?:in (?:my|his|her|their) )?(?:early |mid |late )?(\d)0s\b"
# A decade that is past ("since my 20s", "when I was in my 30s", "the 60s"), not an age now.
_PAST_DECADE = (r"\b(?:since|from|back in|during|through|until|till|was|were|the)\s+"
                r"(?:(?:my|his|her|their)\s+)?$")


def ages(text: str) -> list[tuple[int, bool]]:
    """Ages a need states ("im 17", "66 yr old", "in my late 60s"), in order, each with
    whether it is someone else's ("my 15yo daughter", "our 16 year old")."""
    folded = fold(text)
    for word, number in NUMBER_WORDS.items():
        if word in folded:
            folded = re.sub(rf"\b{word}\b", str(number), folded)
    found = []
    after: set[int] = set()  # ages said of the person named right after them
    for pattern in _AGE_PATTERNS:
        for hit in re.finditer(pattern, folded):
            value = next(group for group in hit.groups() if group)
            found.append((hit.start(), int(value)))
            if re.match(_SOMEONE_AFTER, folded[hit.end():hit.end() + 20]):
                after.add(hit.start())
    found += [(hit.start(), int(hit.group(1)) * 10 + 5) for hit in re.finditer(_DECADE, folded)
              if hit.group(1) != "0"
              and not re.search(_PAST_DECADE, folded[max(0, hit.start() - 30):hit.start()])]
    return [(age, at in after or bool(re.search(_POSSESSIVE, folded[:at])))
            for at, age in sorted(found) if 5 <= age <= 115]




def may_state_age(words: list[str]) -> bool:
    """Whether normalised words may spell an age out ("sixteen", "seventy"): a cheap test that
    spares most needs the age patterns."""
    return any(w.endswith("teen") or w.endswith("ty") for w in words)
