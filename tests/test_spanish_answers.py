"""Answers in Spanish read in Spanish: no English sentence a translator could have translated
(issue 13). The text of a range of Spanish needs, on the first screen and in full, is checked
against English words that only English sentences use; names of organizations and lines, web
addresses and text keywords are proper names and stay as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

# Words of English sentences, headings and labels (none is Spanish, none is part of a name
# peerfind prints once names are taken out).
ENGLISH = frozenset("""
    the and you your yours for with to of is are was be been if or not what who when where
    how we our us they them this that these those it its call text dial near search
    searches peer support group groups line lines help now here more whole answer run again
    understood fit contacts kinds places look find judge national organizations hours languages
    listing checked unknown run by free confidential thinking about suicide hurt yourself
    someone care may danger wait while emergency services life matched listings store
    app phone english spanish press then
""".split())

NEEDS = yaml.safe_load((Path(__file__).resolve().parent / "eval" / "es_needs.yaml")
                       .read_text(encoding="utf-8"))


def _sample():
    needs = [c["need"] for c in NEEDS["needs"]][::9]
    crisis = [c["text"] for key in ("crisis", "emergency") for c in NEEDS[key]][::7]
    return needs + crisis


@pytest.fixture(scope="module")
def proper_names(kb):
    """What stays in its own language: names of organizations and lines (in the base and
    in Spanish), their web addresses and text keywords."""
    names = set()
    for lang in ("en", "es"):
        for org in kb.in_language(lang).organizations.values():
            names.add(str(org.name))
            names.update(re.findall(r"\(([^)]*)\)", str(org.name)))
            names.update(str(c.value) for c in org.contacts)
            names.update(str(c.keyword) for c in org.contacts if c.keyword)
            # Labels that are names in every language (1-800-662-HELP, ASL Now).
            names.update(c.label for c in org.contacts if c.label and lang == "en"
                         and c.label in (kb.languages.layer("es").get("contact_labels") or {})
                         and kb.languages.layer("es")["contact_labels"][c.label] == c.label)
    return sorted((n for n in names if n), key=len, reverse=True)


def _english_words(text, proper_names, need=""):
    """English words of `text` once proper names, web addresses, ids, numbers and the need's
    own words (an answer may quote them) are taken out."""
    for name in proper_names:
        text = text.replace(name, " ")
    # Names of programs, credentials and categories ("Core Competencies for Peer Workers",
    # "Support Groups (grupos de apoyo)"), words to say as they are ("di \"Spanish\""), and the
    # English term a Spanish word glosses ("acompañante de pares (peer bridger)"). A contact's
    # label comes after a number or an address, so it is still read.
    text = re.sub(r'"[^"]*"', " ", text)
    text = re.sub(r"\b[A-Z][\w'&.-]*(?:\s+(?:(?:for|of|and|on|the|to|in|a)\s+)*[A-Z][\w'&.-]*)+",
                  " ", text)
    text = re.sub(r"\b[A-Z][\w'&.-]*(?=\s*\()", " ", text)
    text = re.sub(r"(?<=[a-záéíóúñü]) \([a-z ]+\)", " ", text)
    text = re.sub(r"https?://\S+|\S+\.(org|gov|net|com)\S*", " ", text)
    # Ids ("veterans-crisis-line": the same in every language), numbers and codes (HELP4U).
    text = re.sub(r"\([a-z0-9]+(?:-[a-z0-9]+)*\)|\S*\d\S*", " ", text)
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    quoted = set(re.findall(r"[a-záéíóúñü]+", need.lower()))
    return sorted({w for w in words if w in ENGLISH and w not in quoted})


@pytest.mark.parametrize("need", _sample())
@pytest.mark.parametrize("full", [False, True], ids=["first-screen", "all"])
def test_a_spanish_answer_has_no_english_sentence(run, proper_names, need, full):
    done = run("search", need, "--format", "plain", *(["--all"] if full else []))
    assert done.code in (0, 1), done.err
    assert _english_words(done.out, proper_names, need) == [], done.out
    assert _english_words(done.err, proper_names, need) == [], done.err


@pytest.mark.parametrize("args", [("crisis",), ("about",), ("list", "populations"),
                                  ("show", "veterans"), ("show", "lifeline-988")])
def test_other_commands_in_spanish(run, proper_names, args):
    done = run(*args, "--format", "plain", environ={"LANG": "es_US.UTF-8"})
    assert done.code == 0, done.err
    assert _english_words(done.out, proper_names) == [], done.out


def test_the_crisis_block_leads_in_spanish_with_988s_spanish_option(run):
    out = run("search", "ya no aguanto más", "--format", "plain").out
    first = out.splitlines()
    assert first[0] == "SI ESTÁS PENSANDO EN EL SUICIDIO O EN HACERTE DAÑO"
    assert "llama al 988 (en español: luego marca el 2)" in first[3]
    assert "envía AYUDA al 988" in first[3]
    assert out.rstrip().endswith("llama y marca el 2.")


def test_the_locale_and_the_flag_choose_spanish(run):
    assert run("crisis", "--format", "plain", environ={"LANG": "es_US.UTF-8"}).out.startswith(
        "LÍNEAS DE CRISIS")
    assert run("about", "--lang", "es", "--format", "plain").out.startswith("¿QUÉ ES UN PAR?")
    assert run("crisis", "--format", "plain").out.startswith("CRISIS LINES")  # LANG=C: English


def test_a_mixed_need_is_answered_in_english_with_spanish_services_first(run):
    import json

    done = run("search", "my mom only speaks Spanish and is depressed", "--format", "json", "--all")
    data = json.loads(done.out)
    assert data["input"]["lang"] == "en"
    assert "Services that answer in Spanish come first." in data["notes"]
    first = data["organizations"][0]
    assert any("es" in (c.get("languages") or ()) for c in first["contacts"]) or \
        "es" in (first.get("languages") or ())


@pytest.mark.parametrize("args, said", [
    (("search", "-p", "vetrans", "--lang", "es"),
     "no hay ninguna población con el id; ¿quisiste decir veterans?"),  # never what was typed
    (("show", "vetrans", "--lang", "es"), "no hay ninguna entrada con el id;"),
    (("search", "", "--lang", "es"), "el mensaje está vacío"),
    (("search",), "di lo que necesitas"),
])
def test_errors_and_hints_in_spanish(run, args, said):
    done = run(*args, environ={"LANG": "es_MX.UTF-8"})
    assert done.code == 2 and done.out == ""
    assert said in done.err
