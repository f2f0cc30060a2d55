"""The library under the CLI: loading, normalising, matching and building searches."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from peerfind import search
from peerfind.errors import KnowledgeBaseError, UsageError
from peerfind.knowledge import builtin_path, load_knowledge_base
from peerfind.knowledge.cache import cache_dir
from peerfind.answer.match import match
from peerfind.knowledge.model import Contact, Entry, Organization
from peerfind.answer.searches import ENGINES, fill, search_url
from peerfind.answer.request import MAX_NEED_CHARS, bound_need
from peerfind.language import key
from peerfind.language.en import stem
from peerfind.language.normalize import clean_terminal, normalize

from conftest import MINI


@pytest.mark.parametrize("raw, expected", [
    ("Café  Crème", "cafe creme"),
    ("I'm a VET!!", "im a vet"),
    ("don’t", "dont"),
    ("post-partum", "post partum"),
    ("  \t\n ", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("word, expected", [
    ("veterans", "veteran"), ("drinking", "drink"), ("addicted", "addict"),
    ("worries", "worry"), ("stress", "stress"), ("bus", "bus"), ("ms", "ms"),
])
def test_stem(word, expected):
    assert stem(word) == expected


def test_key_meets_inflections():
    assert key("Veterans drinking") == key("veteran drink")


def test_clean_terminal_removes_escapes_and_controls():
    dirty = "a\x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 bell\x07 cr\rz"
    cleaned = clean_terminal(dirty)
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\r" not in cleaned
    assert "red" in cleaned and "link" in cleaned


def test_bound_need():
    text, cut = bound_need("x" * (MAX_NEED_CHARS + 5))
    assert cut and len(text) == MAX_NEED_CHARS
    assert bound_need("short") == ("short", False)


# -- loading ------------------------------------------------------------------------------

def test_builtin_path_exists():
    assert builtin_path().is_file()


def test_mini_loads_typed(mini_kb):
    veterans = mini_kb.populations["veterans"]
    assert veterans.name == "Veterans"
    assert "vet" in veterans.aliases
    assert isinstance(veterans.aliases, tuple)
    assert mini_kb.organizations["lifeline-988"].contacts[0].value == "988"


def test_records_check_their_fields():
    contact = Contact(type="phone", value="988")
    assert (contact.keyword, contact.confirmed) == ("", True)  # defaults from the class
    assert "section" not in Organization.fields and "contacts" in Organization.fields
    assert Entry.required == {"id", "name"}
    with pytest.raises(TypeError, match="missing field value"):
        Contact(type="phone")
    with pytest.raises(TypeError, match="unknown field nmae"):
        Entry(id="x", name="X", nmae="typo")


def test_cache_written_and_reused(tmp_path):
    env = {"PEERFIND_CACHE_DIR": str(tmp_path)}
    first = load_knowledge_base([MINI], builtin=False, environ=env)
    files = list(tmp_path.glob("kb-*"))
    assert len(files) == 1
    again = load_knowledge_base([MINI], builtin=False, environ=env)
    assert list(again.populations) == list(first.populations)
    header, *parts = [json.loads(line) for line in files[0].read_text().splitlines()]
    assert len(parts) == len(header["parts"])
    assert {"populations", "crisis", "index:aliases", "index:crisis"} <= set(header["parts"])


def test_cache_parts_are_read_only_when_needed(tmp_path):
    env = {"PEERFIND_CACHE_DIR": str(tmp_path)}
    load_knowledge_base([MINI], builtin=False, environ=env)
    kb = load_knowledge_base([MINI], builtin=False, environ=env)
    assert kb.populations["veterans"].name == "Veterans"
    assert "aliases" not in kb.index._parsed  # no free text yet: the alias index is not decoded
    assert match(kb, "vet")[0].id == "veterans"
    assert "aliases" in kb.index._parsed


@pytest.mark.parametrize("damage", [
    lambda text: "{not json",
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: text.replace("Veterans", "Veteranz"),  # changed inside a part
    lambda text: text + "\n[]",  # a part too many
])
def test_cache_rebuilt_when_stale_or_broken(tmp_path, damage):
    env = {"PEERFIND_CACHE_DIR": str(tmp_path)}
    load_knowledge_base([MINI], builtin=False, environ=env)
    (cache_file,) = tmp_path.glob("kb-*")
    cache_file.write_text(damage(cache_file.read_text()))
    kb = load_knowledge_base([MINI], builtin=False, environ=env)
    assert kb.populations["veterans"].name == "Veterans"
    assert json.loads(cache_file.read_text().splitlines()[0])["parts"]


def test_cache_keyed_by_content(tmp_path):
    env = {"PEERFIND_CACHE_DIR": str(tmp_path / "cache")}
    local = tmp_path / "local.yaml"
    local.write_text("populations:\n  - id: farmers\n    name: Farmers\n    aliases: [farmer]\n")
    load_knowledge_base([MINI, local], builtin=False, environ=env)
    local.write_text("populations:\n  - id: farmers\n    name: Farmers\n    aliases: [rancher]\n")
    kb = load_knowledge_base([MINI, local], builtin=False, environ=env)
    assert kb.populations["farmers"].aliases == ("rancher",)


def test_no_cache_env_bypasses(tmp_path):
    env = {"PEERFIND_CACHE_DIR": str(tmp_path), "PEERFIND_NO_CACHE": "1"}
    load_knowledge_base([MINI], builtin=False, environ=env)
    assert not list(tmp_path.glob("*"))


def test_cache_dir_honours_xdg(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "peerfind"


def test_layering_extends_lists_and_overrides_text(tmp_path):
    local = tmp_path / "local.yaml"
    local.write_text(
        "populations:\n"
        "  - id: veterans\n"
        "    name: Veterans (local)\n"
        "    aliases: [leatherneck]\n")
    kb = load_knowledge_base([MINI, local], builtin=False, use_cache=False)
    veterans = kb.populations["veterans"]
    assert veterans.name == "Veterans (local)"
    assert "vet" in veterans.aliases and "leatherneck" in veterans.aliases


def test_layering_replace(tmp_path):
    local = tmp_path / "local.yaml"
    local.write_text(
        "populations:\n"
        "  - id: veterans\n"
        "    name: Veterans\n"
        "    replace: true\n"
        "    aliases: [leatherneck]\n")
    kb = load_knowledge_base([MINI, local], builtin=False, use_cache=False)
    assert kb.populations["veterans"].aliases == ("leatherneck",)
    assert kb.populations["veterans"].settings == ()


def test_malformed_yaml_names_file_line_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("populations:\n  - id: x\n    name: [unclosed\n")
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base([bad], builtin=False, use_cache=False)
    message = str(info.value)
    assert message.startswith(f"{bad}:") and "YAML syntax error" in message
    assert info.value.line is not None and info.value.column is not None


def test_schema_problem_is_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("populations:\n  - id: farmers\n    name: Farmers\n    alises: [farmer]\n")
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base([bad], builtin=False, use_cache=False)
    assert (info.value.line, info.value.column) == (4, 5)
    assert "did you mean aliases?" in str(info.value)


def test_missing_file():
    with pytest.raises(KnowledgeBaseError, match="no such file"):
        load_knowledge_base(["/nonexistent/kb.yaml"], builtin=False, use_cache=False)


# -- matching -----------------------------------------------------------------------------

@pytest.mark.parametrize("need, expected", [
    ("marine vet drinking too much", ["veterans", "alcohol"]),
    ("Veterans", ["veterans"]),
    ("vetran", ["veterans"]),              # a typo
    ("alcohalic", ["alcohol"]),            # a typo
    ("post partum", ["new-parents"]),      # a split word
    ("POSTPARTUM", ["new-parents"]),
    ("my son is addicted", ["family", "substance-use"]),
])
def test_match_finds(mini_kb, need, expected):
    ids = [m.id for m in match(mini_kb, need)]
    for entry_id in expected:
        assert entry_id in ids


def test_match_order_and_scores(mini_kb):
    matches = match(mini_kb, "my son is addicted")
    assert [m.id for m in matches][:2] == ["family", "substance-use"]
    assert all(0 <= m.score <= 100 for m in matches)
    assert matches[0].matched == ("my", "son")


def test_fuzzy_scores_lower_than_exact(mini_kb):
    exact = match(mini_kb, "veteran")[0]
    typo = match(mini_kb, "vetran")[0]
    assert exact.score == 100 and typo.score < exact.score


def test_implied_population(mini_kb):
    matches = {m.id: m for m in match(mini_kb, "drinking")}
    assert matches["substance-use"].via == "implied"
    assert matches["substance-use"].score < matches["alcohol"].score


@pytest.mark.parametrize("noise", ["", "   ", "zzzz qqqq", "the and of", "12345", "!!!"])
def test_noise_matches_nothing(mini_kb, noise):
    assert match(mini_kb, noise) == []


def test_short_words_are_not_fuzzed(mini_kb):
    # "vest" is one edit from "vet" but too short to correct safely.
    assert match(mini_kb, "vest") == []


# -- searches -----------------------------------------------------------------------------

def test_search_url_encoding():
    url = search_url("peer support Austin, TX & more", "duckduckgo")
    parts = urlsplit(url)
    assert parts.scheme == "https"
    assert parse_qs(parts.query)["q"] == ["peer support Austin, TX & more"]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_every_engine_is_https(engine):
    assert search_url("x y", engine).startswith("https://")


def test_fill_keeps_location_placeholder_visible(mini_kb):
    pathway = mini_kb.pathways["support-groups-search"]
    made = fill(pathway, {"location": "", "focus": "veterans"}, mini_kb.placeholders)
    assert made.query == "[your city/county] peer support groups veterans"
    assert made.placeholders == ("location",)
    assert "your+city" not in made.url and "veterans" in made.url


def test_fill_with_location(mini_kb):
    pathway = mini_kb.pathways["support-groups-search"]
    made = fill(pathway, {"location": "Austin, TX", "focus": ""}, mini_kb.placeholders)
    assert made.query == "Austin, TX peer support groups"
    assert made.placeholders == ()


def test_search_result_contract(mini_kb):
    data = search(populations=["veterans"], kb=mini_kb).to_dict()
    assert data["matches"][0] == {"kind": "population", "id": "veterans", "name": "Veterans",
                                  "score": 100, "matched": ["veterans"], "via": "option",
                                  "about": "self"}
    assert all(s["url"].startswith("https://") for s in data["searches"])
    assert any("veterans" in s["query"] for s in data["searches"])
    assert data["crisis"] == {"detected": False, "about": None, "message": None, "resources": []}
    assert data["emergency"]["detected"] is False and data["emergency"]["resources"] == []
    assert data["about"]["who"] == "self" and data["location"] is None
    assert [t["id"] for t in data["organization_types"]][0] == "va-peer-specialists"
    json.dumps(data)  # serialisable


def test_search_location_fills_every_query(mini_kb):
    data = search("vet drinking", location="Austin, TX", kb=mini_kb).to_dict()
    assert data["searches"]
    for s in data["searches"]:
        assert "[your city/county]" not in s["query"]


def test_unknown_id_is_usage_error(mini_kb):
    with pytest.raises(UsageError, match="did you mean veterans"):
        search(populations=["veteran"], kb=mini_kb)


def test_unknown_engine(mini_kb):
    with pytest.raises(UsageError):
        search("vet", engine="altavista", kb=mini_kb)


def test_no_match_still_gives_general_pathways(mini_kb):
    result = search("zzzz qqqq", kb=mini_kb)
    assert not result.matched
    assert result.searches and result.notes
    assert {s.pathway for s in result.searches} >= {"support-groups-search", "virtual"}


def test_crisis_counts_as_matched(mini_kb):
    result = search("i want to end my life", kb=mini_kb)
    assert result.matched and result.crisis.detected
    assert result.crisis.resources[0].id == "lifeline-988"


def test_veterans_crisis_line_when_veteran(mini_kb):
    ids = [o.id for o in search("vet here and I want to die", kb=mini_kb).crisis.resources]
    assert "veterans-crisis-line" in ids
    ids = [o.id for o in search("I want to die", kb=mini_kb).crisis.resources]
    assert "veterans-crisis-line" not in ids
