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
from functools import cache

from . import DEFAULT, LANGUAGES, for_language
from .normalize import normalize

SUPPORTED = tuple(LANGUAGES)


@cache
def function_words() -> dict[str, frozenset[str]]:
    """Each language's function words that no other language claims too (worked out on first
    use: a search by ids alone never reads them)."""
    words = {code: for_language(code).FUNCTION_WORDS for code in SUPPORTED}
    return {code: mine - frozenset().union(*(w for c, w in words.items() if c != code))
            for code, mine in words.items()}



def detect(text: str) -> str | None:
    """The language of a need's function words, or None when it has none (an alias alone,
    "ptsd", says nothing about the writer's language)."""
    words = normalize(text).split()
    counts = {lang: sum(w in vocabulary for w in words)
              for lang, vocabulary in function_words().items()}
    best = max(counts.values())
    if best == 0:
        return None
    if counts[DEFAULT] == best:  # English on a tie
        return DEFAULT
    return max(counts, key=lambda lang: counts[lang])


def present(text: str) -> set[str]:
    """The languages whose function words a need holds; every language when it holds none
    (crisis words are read in each language the need may be written in)."""
    words = normalize(text).split()
    found = {lang for lang, vocabulary in function_words().items()
             if any(w in vocabulary for w in words)}
    return found or set(SUPPORTED)


def served_in(text: str, lang: str) -> str | None:
    """For an answer in the default language, another language whose services should come
    first: one the need is partly written in, or names ("my mom only speaks Spanish")."""
    if lang != DEFAULT:
        return None
    words = normalize(text).split()
    for code in SUPPORTED:
        if code == DEFAULT:
            continue
        # Two of its words at least: place names lend English a few ("Las Vegas", "El Paso").
        if (not for_language(code).NAMES.isdisjoint(words)
                or sum(w in function_words()[code] for w in words) >= 2):
            return code
    return None


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
