"""Message catalogs for the words peerfind itself prints (headings, notes, errors, hints).

Standard gettext: the source marks a string with `gettext("...")` (or `ngettext`), Babel
extracts the marked strings into `locale/peerfind.pot`, a translator fills in
`locale/<lang>/LC_MESSAGES/peerfind.po`, and Babel compiles it into the `.mo` file that ships
in the package and that the standard library reads at run time. `python tools/catalogs.py`
runs the three steps (see README "Translating peerfind").

Text from the knowledge base is not here: it has its own language layers (resources.es.yaml).
English is the source language and needs no catalog; it costs no import.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

DOMAIN = "peerfind"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Translations(Protocol):
    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class _Source:
    """English: the messages as written."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


SOURCE: Translations = _Source()


@lru_cache(maxsize=None)
def translations(lang: str) -> Translations:
    """The catalog for `lang`; the English source when `lang` is English or has none."""
    if lang == "en":
        return SOURCE
    import gettext

    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    except OSError:  # no catalog for this language: answer in the source language
        return SOURCE


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined (a table of labels); translate it
    where it is shown."""
    return message
