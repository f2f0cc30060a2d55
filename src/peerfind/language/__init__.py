"""Language: neutral normalisation (`normalize.py`), then one module per language (`en.py`,
`es.py`), choosing the answer's language (`choose.py`) and the message catalogs for the words
peerfind itself prints (`catalog.py`).

A language module exposes:

- ``CODE``: its code ("en");
- ``stem(word)``: the light suffix strip applied to aliases and needs alike;
- ``NUMBER_WORDS``: number words people use for ages, to digits;
- ``ages(text)``: the ages a need states, each with whether it is someone else's;
- ``may_state_age(words)``: a cheap test before `ages`;
- ``is_word(word)``: whether a word is a common word of the language, never a typo;
- ``FUNCTION_WORDS``: its closed words, read to tell a need's language.

`for_language(code)` finds one. A new language is one module here and one line in LANGUAGES.
"""

from __future__ import annotations

import importlib
from types import ModuleType

DEFAULT = "en"
LANGUAGES = {"en": "peerfind.language.en", "es": "peerfind.language.es"}


def for_language(code: str = DEFAULT) -> ModuleType:
    """The module for a language code; KeyError for a language peerfind does not know."""
    return importlib.import_module(LANGUAGES[code])


def words(text: str, code: str = DEFAULT) -> list[str]:
    """Normalised, stemmed words of a text."""
    from .normalize import normalize

    stem = for_language(code).stem
    return [stem(w) for w in normalize(text).split()]


def key(text: str, code: str = DEFAULT) -> str:
    """The look-up key of an alias or of a run of words in a need."""
    return " ".join(words(text, code))
