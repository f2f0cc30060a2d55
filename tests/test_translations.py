"""Language layers: resources.<lang>.yaml beside a knowledge base, read apart from the base,
checked by `validate`, and used for answers in that language (issue 13)."""

from __future__ import annotations

import json
import shutil

import pytest

from peerfind.answer.finder import search
from peerfind.knowledge import load_knowledge_base
from peerfind.knowledge.translations import check_layer

from conftest import MINI

LAYER = """
schema: 1
lang: es
placeholders: {location: "[tu ciudad]"}
vocabulary:
  stopwords: [mi, el, la, y, de, va, solo, sin, mama, ayuda, apoyo, grupo, necesito, tengo]
contact_labels: {"then press 1": "luego marca el 1", "Spanish: press 2": "en español: marca el 2"}
crisis:
  message: "Está bien pedir ayuda ahora."
  footer: "¿En crisis? Llama o envía un texto al 988."
  patterns: ['\\bquiero morir\\b', '\\bme quiero matar\\b']
  exclusions: ['\\bme muero de risa\\b']
  keywords: [suicidio]
populations:
  - {id: veterans, name: Veteranos, aliases: [veterano, militar], search_terms: [veteranos]}
  - {id: substance-use, name: Consumo de sustancias, aliases: [adiccion, drogas], search_terms: [adicciones]}
  - {id: family, name: Familia, aliases: [mi hijo, mi hija, mi esposo], search_terms: [familias]}
  - {id: new-parents, name: Padres primerizos, aliases: [mama primeriza], search_terms: [mamás primerizas]}
conditions:
  - {id: alcohol, name: Alcohol, aliases: [alcohol, tomar], search_terms: [alcohol]}
  - {id: depression, name: Depresión, aliases: [depresion, deprimido], search_terms: [depresión]}
settings:
  - {id: va-peer-specialists, name: Especialistas de VA, why: Pares en VA.}
  - {id: support-groups, name: Grupos de apoyo, why: Grupos de pares.}
  - {id: online-communities, name: Comunidades en línea, why: Foros.}
pathways:
  - {id: support-groups-search, name: Grupos, template: "{location} grupos de apoyo entre pares {focus}", why: Grupos cerca.}
  - {id: virtual, name: Virtual, template: "apoyo entre pares en línea {focus}", why: En línea.}
  - {id: app-store, name: Apps, template: "apoyo entre pares", why: Apps.}
  - {id: va-peer-support, name: VA, template: "{location} especialista de apoyo entre pares VA", why: Pregunta en VA.}
organizations:
  - {id: lifeline-988, name: Línea 988}
  - {id: veterans-crisis-line, name: Veterans Crisis Line}
  - {id: warmline-directory, name: Directorio de warmlines}
advice:
  - {id: judging-online, name: Cómo juzgar comunidades, points: [Pares identificados, Reglas, Moderación, Reseñas]}
"""


@pytest.fixture
def layered(tmp_path):
    base = tmp_path / "mini.yaml"
    text = MINI.read_text(encoding="utf-8").replace(
        '      - {type: text, value: "988"}\n',
        '      - {type: text, value: "988"}\n'
        '      - {type: phone, value: "988", label: "Spanish: press 2", languages: [es]}\n', 1)
    base.write_text(text, encoding="utf-8")
    (tmp_path / "mini.es.yaml").write_text(LAYER, encoding="utf-8")
    return base


@pytest.fixture
def kb(layered):
    return load_knowledge_base([layered], builtin=False, use_cache=False)


def test_the_layer_is_read_in_its_language_only(kb):
    es = kb.in_language("es")
    assert kb.populations["veterans"].name == "Veterans"
    assert es.populations["veterans"].name == "Veteranos"
    assert list(es.populations) == list(kb.populations)  # same ids, same order
    assert es.populations["veterans"].settings == kb.populations["veterans"].settings
    assert kb.in_language("en") is kb and kb.in_language("fr") is kb


def test_contacts_in_the_language_come_first_with_its_labels(kb):
    es = kb.in_language("es")
    first = es.organizations["lifeline-988"].contacts[0]
    assert (first.value, first.label) == ("988", "en español: marca el 2")
    assert kb.organizations["lifeline-988"].contacts[0].label == ""  # English: as written


def test_an_organization_that_does_not_serve_the_language_says_so(kb):
    vcl = kb.in_language("es").organizations["veterans-crisis-line"]
    assert [c.label for c in vcl.contacts] == ["luego marca el 1, en inglés", "en inglés"]


def test_spanish_words_match_spanish_aliases_only_in_spanish(kb):
    result = search("mi hijo usa drogas", kb=kb).to_dict()
    assert result["input"]["lang"] == "es"
    assert [m["id"] for m in result["matches"]][:2] == ["family", "substance-use"]
    assert result["matches"][0]["name"] == "Familia"
    english = search("drogas", kb=kb, lang="en").to_dict()
    assert english["matches"] == []  # Spanish aliases never join the English index


def test_spanglish_reaches_english_aliases_but_not_through_spanish_stopwords(kb):
    found = search("mi esposo es vet y toma booze", kb=kb).to_dict()
    assert {"veterans", "alcohol"} <= {m["id"] for m in found["matches"]}
    # "va" and "mama" are Spanish stopwords: never the English "va" or "new mom".
    assert search("mi hijo no va a la escuela", kb=kb).to_dict()["matches"][0]["id"] == "family"


def test_spanish_crisis_words_and_the_spanish_crisis_block(kb):
    result = search("ya no puedo, quiero morir", kb=kb).to_dict()
    assert result["crisis"]["detected"]
    assert result["crisis"]["message"] == "Está bien pedir ayuda ahora."
    assert result["footer"].startswith("¿En crisis?")
    assert result["crisis"]["resources"][0]["contacts"][0]["label"] == "en español: marca el 2"
    assert not search("me muero de risa con mi hijo", kb=kb).to_dict()["crisis"]["detected"]


def test_mixed_needs_read_crisis_words_of_both_languages(kb):
    assert search("i want to die, quiero hablar con alguien", kb=kb, lang="es").crisis.detected
    assert search("my son is sad and says quiero morir", kb=kb).crisis.detected


def test_spanish_searches_ask_the_engine_for_spanish_results(kb):
    result = search("soy veterano", kb=kb).to_dict()
    first = result["searches"][0]
    assert first["query"].startswith("[tu ciudad] grupos de apoyo entre pares veteranos")
    assert first["url"].endswith("&kl=us-es")
    google = search("soy veterano", kb=kb, engine="google").to_dict()["searches"][0]["url"]
    assert google.endswith("&hl=es")
    assert "kl=" not in search("veteran", kb=kb).to_dict()["searches"][0]["url"]


def test_keys_and_ids_never_change_with_the_language(kb):
    en = search("veteran", kb=kb, lang="en").to_dict()
    es = search("veteran", kb=kb, lang="es").to_dict()
    assert _shape(en) == _shape(es)
    assert [m["id"] for m in en["matches"]] == [m["id"] for m in es["matches"]]


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k != "input"}
    if isinstance(value, list):
        return [_shape(v) for v in value[:1]]
    return type(value).__name__


def test_the_layer_is_cached_with_the_base(layered, tmp_path, monkeypatch):
    monkeypatch.setenv("PEERFIND_CACHE_DIR", str(tmp_path / "cache"))
    load_knowledge_base([layered], builtin=False)
    cached = load_knowledge_base([layered], builtin=False)
    assert cached.in_language("es").populations["veterans"].name == "Veteranos"
    (tmp_path / "mini.es.yaml").write_text(LAYER.replace("Veteranos", "Veteranas"), "utf-8")
    again = load_knowledge_base([layered], builtin=False)  # the layer is part of the key
    assert again.in_language("es").populations["veterans"].name == "Veteranas"


def test_check_layer_reports_what_a_translator_must_do(layered):
    import yaml

    base = yaml.safe_load(layered.read_text(encoding="utf-8"))
    layer = yaml.safe_load(LAYER)
    assert check_layer(base, layer, "es").share == 1.0
    layer["populations"][0].pop("name")
    layer["populations"].append({"id": "no-such-id", "name": "x"})
    layer["pathways"][0]["template"] = "grupos {focus}"
    layer["organizations"][0]["contacts"] = []
    del layer["contact_labels"]["then press 1"]
    report = check_layer(base, layer, "es")
    assert report.untranslated == [("populations", "veterans", ("name",))]
    assert report.unknown == [("populations", "no-such-id")]
    assert report.placeholders == [("pathways", "support-groups-search", ("focus", "location"),
                                    ("focus",))]
    assert report.extra_fields == [("organizations", "lifeline-988", "contacts")]
    assert report.labels == ["then press 1"]
    assert len(report.errors) == 2 and len(report.warnings) == 3
    assert report.summary() == f"es: {report.entries - 1} of {report.entries} entries translated " \
                               f"({(report.entries - 1) / report.entries:.0%})"


def test_validate_reports_each_language(run, layered):
    done = run("--no-builtin", "validate", str(layered))
    # The crisis floor (issue 16) adds the built-in crisis lines that mini.yaml lacks; their
    # Spanish lives in the built-in layer, so only they are reported as untranslated.
    floor = ("crisis-text-line", "trevor-project", "emergency-911", "'Spanish")
    assert done.code in (0, 1), done.out + done.err
    assert all(any(name in line for name in floor) for line in done.out.splitlines()), done.out
    assert "es: 17 of 20 entries translated" in done.err
    broken = layered.with_name("mini.es.yaml")
    broken.write_text(LAYER.replace("{location} grupos", "grupos"), encoding="utf-8")
    done = run("--no-builtin", "validate", str(layered))
    assert done.code == 2  # an error (see exitcodes.py)
    assert "placeholders differ" in done.out


def test_a_broken_layer_stops_loading_with_one_line(run, layered):
    layered.with_name("mini.es.yaml").write_text(LAYER.replace("{location} grupos", "grupos"),
                                                 encoding="utf-8")
    done = run("--no-builtin", "--kb", str(layered), "search", "veteran")
    assert done.code != 0 and "placeholders differ" in done.err and done.out == ""


def test_the_builtin_layer_translates_every_entry(kb):
    from peerfind.knowledge.load import builtin_path, language_sources, parse_layers

    import yaml

    base = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))
    layers = parse_layers(language_sources([builtin_path()]))
    assert set(layers) == {"es"}
    report = check_layer(base, layers["es"], "es")
    assert not report.errors
    assert not report.unknown and not report.labels
    assert report.share >= 0.98, report.warnings


def test_lang_option_and_json(run, layered):
    done = run("--no-builtin", "--kb", str(layered), "search", "veteran", "--lang", "es",
               "--format", "json")
    data = json.loads(done.out)
    assert data["input"]["lang"] == "es" and data["matches"][0]["name"] == "Veteranos"
    done = run("--no-builtin", "--kb", str(layered), "search", "-p", "veterans", "--format",
               "json", environ={"LANG": "es_US.UTF-8"})
    assert json.loads(done.out)["input"]["lang"] == "es"  # ids alone follow the locale
    assert run("search", "veteran", "--lang", "fr").code == 2
