"""Which language to answer in: the --lang option, else the need's own words, else the
locale, else English.

A need's language is read from its function words: the small closed words (articles,
pronouns, prepositions, the commonest verbs) that every sentence has and that no alias is made
of. Words both languages write alike ("a", "no", "me", "he", "son") count for neither. A mixed
need ("mi hijo esta usando drugs", "my mom only speaks Spanish") is in the language of most of
its function words, English on a tie.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from ..text import fold
from . import es

SUPPORTED = ("en", "es")
DEFAULT = "en"

ENGLISH_WORDS = frozenset("""
    the an and or but of to in on at for with from by about into after since because than
    i im ive id ill my mine myself we our us you your yours youre she her hers they them
    their theyre it its this that these those is are was were am be been being have had
    having do does did dont doesnt didnt cant wont isnt not what who how when where why
    which will would should could can just only also very really
    need needs want wants looking help im trying feel feeling anyone someone
    mom dad wife husband daughter brother sister kids kid friend boyfriend girlfriend
""".split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": ENGLISH_WORDS - es.FUNCTION_WORDS,
    "es": es.FUNCTION_WORDS - ENGLISH_WORDS,
}


def detect(text: str) -> str | None:
    """The language of a need's function words, or None when it has none (an alias alone,
    "ptsd", says nothing about the writer's language)."""
    words = re.sub(r"[^0-9a-z]+", " ", re.sub(r"['\u2019]", "", fold(text))).split()
    counts = {lang: sum(w in vocabulary for w in words)
              for lang, vocabulary in FUNCTION_WORDS.items()}
    best = max(counts.values())
    if best == 0:
        return None
    if counts[DEFAULT] == best:  # English on a tie
        return DEFAULT
    return max(counts, key=lambda lang: counts[lang])


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale asks for (LC_ALL, then LC_MESSAGES, then LANG, as POSIX reads
    them), if peerfind speaks it: "es_US.UTF-8" -> "es". "C" and "POSIX" ask for none."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        lang = re.split(r"[_.@-]", value, maxsplit=1)[0].lower()
        return lang if lang in SUPPORTED else None
    return None


def choose(flag: str | None, text: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The answer's language: the flag, else the need's words, else the locale, else English.
    A search by ids alone (no text) follows the flag or the locale."""
    if flag:
        return flag
    return (text and detect(text)) or locale_language(environ) or DEFAULT
