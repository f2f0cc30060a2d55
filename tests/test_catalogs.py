"""The message catalogs: every marked message is in every language's .po and translated, and
the shipped .mo says what its .po says (a .po edited without `python tools/catalogs.py
compile` fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest

babel = pytest.importorskip("babel", reason="Babel is a test extra: pip install -e '.[test]'")

from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import read_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from peerfind.language.catalog import DOMAIN, LOCALE_DIR, translations  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "peerfind"
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None}
LANGUAGES = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _marked() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(SOURCE), method_map=[("**.py", "python")],
                                                 keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _po(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as handle:
        return read_po(handle)


def test_spanish_has_a_catalog():
    assert "es" in LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_marked_message_is_translated(lang):
    catalog = _po(lang)
    marked = _marked()
    assert marked, "nothing is marked for translation"
    missing = sorted(m for m in marked if m not in catalog)
    assert not missing, f"run python tools/catalogs.py extract, then translate: {missing}"
    untranslated = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                          if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str)
                                                       else all(m.string))))
    assert not untranslated, f"{lang}: untranslated or fuzzy: {untranslated}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_is_compiled_from_its_po(lang):
    po = {_key(m.id): _key(m.string) for m in _po(lang) if m.id and not m.fuzzy}
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as handle:
        mo = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert mo == po, f"{lang}: the .mo is older than its .po: run python tools/catalogs.py compile"


def _key(text):
    """A message's id or text; plural forms as a tuple."""
    return text if isinstance(text, str) else tuple(text)


def test_runtime_reads_the_shipped_catalog():
    assert translations("es").gettext("in English") == "en inglés"
    assert translations("en").gettext("in English") == "in English"
    assert translations("xx").gettext("in English") == "in English"  # no catalog: the source
    assert translations("es").ngettext("{count} more search", "{count} more searches", 3) \
        == "{count} búsquedas más"
