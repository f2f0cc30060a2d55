"""Language pieces: Spanish stemming, number words and ages, and choosing the answer's
language (the --lang flag, the need's own words, the locale)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from peerfind.language import choose, en as english, es as spanish
from peerfind.language.normalize import normalize


# -- Spanish stemming: inflections of one word meet, different words stay apart -------------

@pytest.mark.parametrize("a, b", [
    ("veterano", "veteranos"), ("veterano", "veterana"), ("veteranas", "veterano"),
    ("adiccion", "adicciones"), ("mujer", "mujeres"), ("padre", "padres"),
    ("hombre", "hombres"), ("joven", "jovenes"), ("vez", "veces"), ("voz", "voces"),
    ("hospital", "hospitales"), ("militar", "militares"), ("calle", "calles"),
    ("droga", "drogas"), ("embarazada", "embarazadas"), ("deprimido", "deprimida"),
    ("primeriza", "primerizas"), ("alcoholico", "alcoholica"), ("abuelo", "abuelito"),
    ("abuela", "abuelitas"), ("papa", "papacito"), ("toma", "tomando"), ("bebo", "bebiendo"),
    ("lesbiana", "lesbianas"), ("gay", "gays"),
])
def test_inflections_meet(a, b):
    assert spanish.stem(a) == spanish.stem(b)


@pytest.mark.parametrize("a, b", [
    ("delito", "del"),  # a diminutive is stripped only when four letters are left
    ("visita", "vis"),
    ("crisis", "cris"),  # -is is not a plural
    ("mes", "me"),
    ("hijo", "hielo"),
    ("casa", "cosa"),
])
def test_different_words_stay_apart(a, b):
    assert spanish.stem(a) != spanish.stem(b)


@pytest.mark.parametrize("word", ["va", "sin", "mi", "988", "ptsd", "lgbtq", "12pasos"])
def test_short_words_and_codes_are_kept(word):
    assert spanish.stem(word) == word


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=20))
def test_stem_never_grows_and_is_stable(word):
    stemmed = spanish.stem(word)
    assert len(stemmed) <= len(word)
    assert stemmed == word[:len(stemmed)] or stemmed.endswith("z")  # -ces -> -z


# -- number words and ages -----------------------------------------------------------------

@pytest.mark.parametrize("text, digits", [
    ("quince", "15"), ("dieciseis", "16"), ("diez y seis", "16"), ("diecisiete", "17"),
    ("veinte", "20"), ("veintiuno", "21"), ("veinti seis", "26"), ("treinta", "30"),
    ("setenta y dos", "72"), ("ochenta y un", "81"), ("noventa", "90"), ("cien", "100"),
    ("tengo dos hijos", "tengo dos hijos"),  # units alone stay words
])
def test_number_words(text, digits):
    assert spanish.numbers_to_digits(text) == digits


@pytest.mark.parametrize("text, found", [
    ("tengo 15 años y nadie me entiende", [(15, False)]),
    ("tengo quince anos", [(15, False)]),
    ("Tengo 17", [(17, False)]),
    ("a mis 70 ya no tengo con quien hablar", [(70, False)]),
    ("cumplí setenta y dos en mayo", [(72, False)]),
    ("soy una mujer de 68 años", [(68, False)]),
    ("tengo 70 años de edad", [(70, False)]),
    ("en mis sesentas", [(65, False)]),
    ("mi hijo de 16 años toma mucho", [(16, True)]),
    ("mi papá tiene ochenta y dos años", [(82, True)]),
    ("mi hija tiene 14 y no quiere ir a la escuela", [(14, True)]),
    ("a sus 80 mi abuela vive sola", [(80, True)]),
    ("mi mama en sus 80s", [(85, True)]),
    ("soy un chavo de 17 y creo que tengo depresion", [(17, False)]),
    ("señor de 75 con diabetes", [(75, False)]),
    ("mi chamo de 15 anda fumando", [(15, True)]),
    # lengths of time, counts and other numbers are not ages
    ("tengo 15 años sin tomar", []),
    ("tengo 20 años de casada", []),
    ("tengo 2 meses sobria", []),
    ("llevo 5 años limpio", []),
    ("hace 2 años que murió mi esposo", []),
    ("tengo 3 hijos", []),
    ("después de 5 años en la cárcel", []),
    ("más de 20 años de casados", []),
    ("gemelos de 2 meses", []),
])
def test_spanish_ages(text, found):
    assert spanish.ages(text) == found


@pytest.mark.parametrize("text, found", [
    ("im in my 20s and lonely", [(25, False)]),
    ("in my late 60s and alone", [(65, False)]),
    # a decade that is past is no age now
    ("I'm 63 and I've had bipolar since my 20s", [(63, False)]),
    ("when I was in my 30s I drank every day", []),
    ("I only listen to music from the 60s", []),
    # an age right before a person named is that person's
    ("I have a 15 yr old client grieving her grandmother", [(15, True)]),
    ("I'm 17 and my 19 year old brother drinks", [(17, False), (19, True)]),
    ("im a 24 year old woman and lonely", [(24, False)]),
    # a number that opens the need is an age, unless it counts something
    ("72 widower, evenings are the worst", [(72, False)]),
    ("19 got sent home from boot camp", [(19, False)]),
    ("22 yo and lost", [(22, False)]),
    ("16 (f). my ex used to hit me", [(16, False)]),
    ("30 days clean today", []),
    ("12 step meetings near me", []),
    ("30 weeks pregnant and scared", []),
])
def test_english_ages_decades_and_whose(text, found):
    assert english.ages(text) == found


def test_the_word_list_is_made_from_wordfreq(tmp_path):
    pytest.importorskip("wordfreq", reason="the word list is remade only where wordfreq is "
                                           "installed (pip install wordfreq)")
    import runpy
    from importlib.metadata import version
    from pathlib import Path

    if f"wordfreq {version('wordfreq')} " not in english.WORD_LIST.read_text().splitlines()[0]:
        pytest.skip("the list was made with another version of wordfreq")
    script = Path(__file__).resolve().parents[1] / "scripts" / "make_words.py"
    made = tmp_path / "english-words.txt"
    runpy.run_path(str(script))["main"](made)
    assert made.read_bytes() == english.WORD_LIST.read_bytes()


def test_common_words_are_known_and_typos_are_not():
    assert all(map(english.is_word, ("trial", "bother", "window", "queens", "negative")))
    assert not any(map(english.is_word, ("vetran", "alcohalic", "depresed", "sucidal")))


# -- the need's language ---------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("necesito ayuda, mi hijo usa drogas", "es"),
    ("mi hijo no va a la escuela", "es"),
    ("soy veterano y tengo pesadillas", "es"),
    ("Quiero hablar con alguien que entienda", "es"),
    ("mi hijo esta usando drugs y no se como hablar con el", "es"),
    ("new mom feeling overwhelmed", "en"),
    ("my husband is a vet and drinks every night", "en"),
    ("my mom only speaks Spanish and is depressed", "en"),
    ("I'm 15 and my dad and I fight every day", "en"),
    ("mi mom is depressed", "en"),  # one word each: English on a tie
])
def test_detect(text, lang):
    assert choose.detect(text) == lang


@pytest.mark.parametrize("text", ["ptsd", "veterans", "988", "", "a no me he"])
def test_detect_needs_function_words(text):
    assert choose.detect(text) is None


def test_no_function_word_is_claimed_by_both_languages():
    assert not choose.function_words()["en"] & choose.function_words()["es"]
    for words in choose.function_words().values():
        assert all(word == normalize(word) for word in words)


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "es_US.UTF-8"}, "es"),
    ({"LANG": "es_MX"}, "es"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, None),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "es_US.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),  # LC_ALL wins
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "es"),
    ({"LC_ALL": "", "LANG": "es_PR.UTF-8"}, "es"),  # empty means unset
    ({}, None),
])
def test_locale_language(environ, lang):
    assert choose.locale_language(environ) == lang


@pytest.mark.parametrize("flag, text, environ, lang", [
    ("en", "necesito ayuda", {"LANG": "es_US.UTF-8"}, "en"),  # the flag first
    ("es", "veterans", {}, "es"),
    (None, "necesito ayuda con mi hijo", {"LANG": "en_US.UTF-8"}, "es"),  # then the words
    (None, "I need help with my son", {"LANG": "es_US.UTF-8"}, "en"),
    (None, "ptsd", {"LANG": "es_US.UTF-8"}, "es"),  # no function words: the locale
    (None, "", {"LANG": "es_US.UTF-8"}, "es"),  # ids alone follow the locale
    (None, "", {"LANG": "de_DE.UTF-8"}, "en"),  # else English
    (None, "", {}, "en"),
])
def test_choose(flag, text, environ, lang):
    assert choose.choose(flag, text, environ) == lang
