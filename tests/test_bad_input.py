"""Bad input of every kind: broken knowledge-base files, `validate`, hostile text in needs and
locations, over-long needs, and local files layered over the built-in knowledge base."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peerfind.answer.request import MAX_NEED_CHARS

from conftest import MINI

MINI_ARGS = ("--no-builtin", "--kb", str(MINI))
FARMWORKERS = """\
schema: 1
populations:
  - id: farmworkers
    name: Farmworkers
    aliases: [farmworker, migrant worker, field worker]
"""
MARKUP = "[bold]x[/bold] [link=http://e]y[/link] [your city/county] [/]"
CONTROLS = "\x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 bell\x07 cr\rz"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_error(r) -> str:
    assert r.code == 2, (r.code, r.err)
    assert r.out == ""
    assert "Traceback" not in r.err
    lines = r.err.splitlines()
    assert len(lines) == 1, r.err
    assert lines[0].startswith("peerfind: ")
    return lines[0]


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


# -- broken --kb files --------------------------------------------------------------------

def test_kb_missing_file(run, tmp_path):
    missing = tmp_path / "nope.yaml"
    line = _one_line_error(run("--no-builtin", "--kb", str(missing), "search", "vet"))
    assert str(missing) in line


def test_kb_is_a_directory(run, tmp_path):
    line = _one_line_error(run("--no-builtin", "--kb", str(tmp_path), "search", "vet"))
    assert str(tmp_path) in line


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a chmod 000 file anyway")
def test_kb_unreadable(run, tmp_path):
    path = _write(tmp_path, "locked.yaml", FARMWORKERS)
    path.chmod(0)
    try:
        line = _one_line_error(run("--no-builtin", "--kb", str(path), "search", "vet"))
    finally:
        path.chmod(0o644)
    assert str(path) in line


def test_kb_not_utf8(run, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("populations:\n  - id: cafe\n    name: Caf\xe9\n".encode("latin-1"))
    line = _one_line_error(run("--no-builtin", "--kb", str(path), "search", "vet"))
    assert str(path) in line


@pytest.mark.parametrize("text, where", [
    ("populations:\n  - id: x\n    name: [unclosed\n", None),
    ("populations:\n\t- id: x\n", (2, 1)),
    ("populations:\n  - id: a\n    name: 'open\n", None),
])
def test_kb_malformed_yaml_names_file_line_column(run, tmp_path, text, where):
    path = _write(tmp_path, "broken.yaml", text)
    line = _one_line_error(run("--no-builtin", "--kb", str(path), "search", "vet"))
    found = re.match(rf"peerfind: error: {re.escape(str(path))}:(\d+):(\d+): \S", line)
    assert found, line
    if where:
        assert (int(found[1]), int(found[2])) == where


@pytest.mark.parametrize("text, expected", [
    ("- a\n- b\n", None),  # a list at the top level
    ("populations:\n  veterans: {name: Veterans}\n", "populations"),  # a mapping, not a list
    ("populations:\n  - id: farmers\n    name: Farmers\n    alises: [farmer]\n", "aliases"),
    ("populationz:\n  - id: farmers\n    name: Farmers\n", "populations"),
])
def test_kb_wrongly_shaped(run, tmp_path, text, expected):
    path = _write(tmp_path, "shape.yaml", text)
    line = _one_line_error(run("--no-builtin", "--kb", str(path), "search", "vet"))
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: ", line), line
    if expected:
        assert expected in line


def test_kb_error_is_the_same_for_every_command(run, tmp_path):
    path = _write(tmp_path, "shape.yaml", "- a\n")
    lines = {_one_line_error(run("--no-builtin", "--kb", str(path), *cmd))
             for cmd in (("search", "vet"), ("list", "populations"),
                         ("show", "veterans"), ("about",), ("batch",))}
    assert len(lines) == 1
    # `crisis` says the same, and still prints the built-in crisis lines (issue 16).
    r = run("--no-builtin", "--kb", str(path), "crisis")
    assert r.code == 2 and set(r.err.splitlines()) == lines
    assert "call 988" in r.out


def test_validate_suggests_aliases(run, tmp_path):
    path = _write(tmp_path, "typo.yaml",
                  "populations:\n  - id: farmers\n    name: Farmers\n    alises: [farmer]\n")
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    assert re.fullmatch(rf"{re.escape(str(path))}:4:5: .*did you mean aliases\?.*\n", r.out)


# -- validate -----------------------------------------------------------------------------

THREE_PROBLEMS = """\
populations:
  - id: farmers
    name: Farmers
    alises: [farmer]
  - id: farmers
    name: Farmers again
pathways:
  - id: farm-search
    name: Farm search
    template: "{citty} peer support"
"""


def test_validate_reports_every_problem_with_its_place(run, tmp_path):
    path = _write(tmp_path, "three.yaml", THREE_PROBLEMS)
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    lines = r.out.splitlines()
    assert len(lines) == 3, r.out
    places = []
    for line in lines:
        found = re.match(rf"{re.escape(str(path))}:(\d+):(\d+): (.+)", line)
        assert found, line
        places.append(int(found[1]))
    assert places == [_line_of(THREE_PROBLEMS, "alises"),
                      _line_of(THREE_PROBLEMS, "id: farmers") + 3,  # the second farmers
                      _line_of(THREE_PROBLEMS, "{citty}")]
    assert "3" in r.err  # the summary counts them, on stderr


def test_validate_reports_problems_in_every_file(run, tmp_path):
    first = _write(tmp_path, "a.yaml", "populations:\n  - id: a\n    name: A\n    alises: []\n")
    second = _write(tmp_path, "b.yaml", "populations:\n  - id: Bad Id\n    name: B\n")
    r = run("--no-builtin", "validate", str(first), str(second))
    assert r.code == 2
    assert [line.split(":")[0] for line in r.out.splitlines()] == [str(first), str(second)]


def test_validate_warning_only_exits_1(run, tmp_path):
    path = _write(tmp_path, "old.yaml", """\
organizations:
  - id: old-line
    name: Old line
    contacts:
      - {type: phone, value: "123"}
    source: test
    checked: 2020-01-01
""")
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 1, r.out
    assert re.fullmatch(rf"{re.escape(str(path))}:7:\d+: .*2020-01-01.*\n", r.out)


def test_validate_clean_exits_0(run):
    r = run("--no-builtin", "validate", str(MINI))
    assert (r.code, r.out) == (0, "")


def test_validate_builtin_is_clean(run):
    r = run("validate")
    assert r.code == 0, r.out + r.err
    assert r.out == ""


def test_validate_syntax_error_is_one_line(run, tmp_path):
    path = _write(tmp_path, "broken.yaml", "populations: [\n")
    line = _one_line_error(run("--no-builtin", "validate", str(path)))
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: ", line)


@pytest.mark.parametrize("missing", ["source", "checked"])
def test_validate_contact_without_source_or_checked(run, tmp_path, missing):
    fields = {"source": "    source: test\n", "checked": "    checked: 2026-11-01\n"}
    text = ("organizations:\n  - id: a-line\n    name: A line\n    contacts:\n"
            "      - {type: phone, value: \"123\"}\n"
            + "".join(v for k, v in fields.items() if k != missing))
    path = _write(tmp_path, "contacts.yaml", text)
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    lines = r.out.splitlines()
    assert len(lines) == 1 and missing in lines[0]
    assert lines[0].startswith(f"{path}:5:")


def test_validate_contact_source_on_the_contact_is_enough(run, tmp_path):
    path = _write(tmp_path, "contacts.yaml", """\
organizations:
  - id: a-line
    name: A line
    contacts:
      - {type: phone, value: "123", source: test, checked: 2026-11-01}
""")
    r = run("--no-builtin", "validate", str(path))
    assert (r.code, r.out) == (0, "")


def test_validate_unknown_placeholder(run, tmp_path):
    path = _write(tmp_path, "tmpl.yaml", """\
pathways:
  - id: city-search
    name: City search
    template: "{citty} peer support groups"
""")
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    assert r.out.startswith(f"{path}:4:")
    assert "citty" in r.out and "location" in r.out  # the known placeholders are listed


def test_validate_missing_setting_reference_suggests(run, tmp_path):
    path = _write(tmp_path, "ref.yaml", """\
settings:
  - id: va-peer-specialists
    name: VA peer specialists
populations:
  - id: soldiers
    name: Soldiers
    settings: [va-peer-specialist]
""")
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    assert r.out.startswith(f"{path}:7:")
    assert "va-peer-specialist'" in r.out and "va-peer-specialists" in r.out


def test_validate_reference_into_the_builtin_from_a_local_file(run, tmp_path):
    path = _write(tmp_path, "local.yaml", """\
populations:
  - id: soldiers
    name: Soldiers
    settings: [support-groups]
""")
    alone = run("--no-builtin", "validate", str(path))
    layered = run("--no-builtin", "validate", str(MINI), str(path))
    assert alone.code == 2  # nothing defines support-groups
    assert (layered.code, layered.out) == (0, "")


def test_validate_duplicate_ids(run, tmp_path):
    path = _write(tmp_path, "dup.yaml", """\
populations:
  - id: farmers
    name: Farmers
conditions:
  - id: farmers
    name: Farming stress
""")
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    assert r.out.startswith(f"{path}:5:")
    assert "farmers" in r.out


def test_validate_duplicate_section_key(run, tmp_path):
    path = _write(tmp_path, "twice.yaml", """\
populations:
  - id: farmers
    name: Farmers
populations:
  - id: fishers
    name: Fishers
""")
    r = run("--no-builtin", "validate", str(path))
    assert r.code == 2
    assert f"{path}:4:" in r.out + r.err


# -- hostile text -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, tty", [("text", True), ("plain", False), ("auto", False),
                                      ("auto", True)])
def test_markup_in_user_text_prints_literally(run, fmt, tty):
    r = run(*MINI_ARGS, "search", f"vet {MARKUP}", "--location", MARKUP, "--format", fmt,
            tty=tty)
    assert r.code == 0, r.err
    assert f"{MARKUP} peer support groups veterans" in r.out


def test_markup_in_knowledge_base_prints_literally(run, tmp_path):
    path = _write(tmp_path, "markup.yaml", """\
populations:
  - id: farmworkers
    name: "[bold]Farm[/bold] workers [red]"
    aliases: [farmworker]
""")
    for tty in (True, False):
        r = run("--no-builtin", "--kb", str(path), "show", "farmworkers", tty=tty)
        assert r.code == 0, r.err
        assert "[bold]Farm[/bold] workers [red]" in r.out


@pytest.mark.parametrize("fmt", [
    "text", "plain", "markdown", "json", "ndjson",
    "csv", "tsv",
])
def test_control_codes_never_reach_stdout_raw(run, fmt):
    r = run(*MINI_ARGS, "search", f"vet {CONTROLS}", "--location", f"Austin {CONTROLS}",
            "--format", fmt, tty=fmt == "text")
    assert r.code == 0, r.err
    for bad in ("\x1b", "\x07", "\r"):
        assert bad not in r.out, (fmt, bad)
        assert bad not in r.err, (fmt, bad)
    assert "veterans" in r.out


def test_control_codes_survive_json_as_data(run):
    r = run(*MINI_ARGS, "search", f"vet {CONTROLS}", "--format", "json")
    assert json.loads(r.out)["input"]["text"] == f"vet {CONTROLS}"


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
def test_batch_control_codes_escaped_in_json(run, fmt):
    r = run(*MINI_ARGS, "batch", "--format", fmt, stdin=f"vet {CONTROLS}\n")
    assert r.code == 0
    for bad in ("\x1b", "\x07"):
        assert bad not in r.out


def test_location_with_undecodable_bytes(run):
    r = run(*MINI_ARGS, "search", "vet", "--location", "Aus\udcfftin", "--format", "json")
    assert r.code == 0, r.err
    for s in json.loads(r.out)["searches"]:
        s["url"].encode("ascii")


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_need_with_undecodable_bytes_gives_valid_utf8(fmt):
    args = [os.fsencode(a) for a in (sys.executable, "-m", "peerfind", *MINI_ARGS, "search")]
    p = subprocess.run([*args, b"vet \xff\xfe drinking", b"--format", fmt.encode()],
                       capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode("utf-8")
    if fmt != "csv":
        assert json.loads(out)["matches"]


# -- long needs ---------------------------------------------------------------------------

def test_long_need_is_cut_with_a_note_and_answered(run):
    need = "vet drinking " + "very " * MAX_NEED_CHARS
    r = run(*MINI_ARGS, "search", need, "--format", "json")
    assert r.code == 0
    data = json.loads(r.out)
    assert len(data["input"]["text"]) == MAX_NEED_CHARS
    assert data["input"]["text"] == need[:MAX_NEED_CHARS]
    assert {m["id"] for m in data["matches"]} >= {"veterans", "alcohol"}
    assert r.err.strip() and str(MAX_NEED_CHARS) in r.err


def test_need_at_the_maximum_is_not_cut(run):
    need = ("vet " * MAX_NEED_CHARS)[:MAX_NEED_CHARS]
    r = run(*MINI_ARGS, "search", need, "--format", "json")
    assert r.code == 0 and r.err == ""
    assert json.loads(r.out)["input"]["text"] == need


def test_long_batch_line_is_cut_with_a_note(run):
    r = run(*MINI_ARGS, "batch", stdin="vet " + "x" * (MAX_NEED_CHARS * 3) + "\nnew mom\n")
    results = [json.loads(line) for line in r.out.splitlines()]
    assert len(results) == 2
    assert len(results[0]["input"]["text"]) == MAX_NEED_CHARS
    assert r.err.count("\n") == 1 and "1" in r.err


def test_batch_missing_file(run, tmp_path):
    _one_line_error(run(*MINI_ARGS, "batch", str(tmp_path / "needs.txt")))


def test_batch_directory(run, tmp_path):
    _one_line_error(run(*MINI_ARGS, "batch", str(tmp_path)))


# -- a local file layered over the built-in knowledge base --------------------------------

@pytest.fixture
def farm(tmp_path) -> Path:
    path = _write(tmp_path, "farm.yaml", FARMWORKERS)
    assert len(FARMWORKERS.splitlines()) == 5
    return path


NEEDS_IN_ITS_WORDS = ["migrant worker feeling alone", "I am a farmworker and depressed",
                      "field workers peer group"]


@pytest.mark.parametrize("need", NEEDS_IN_ITS_WORDS)
def test_local_population_layered_over_builtin(run, farm, need):
    r = run("--kb", str(farm), "search", need, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["matches"][0]["id"] == "farmworkers"
    assert any("farmworkers" in s["query"].lower() for s in data["searches"])


def test_builtin_still_works_with_a_local_file(run, farm):
    r = run("--kb", str(farm), "search", "--population", "veterans", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["matches"][0]["id"] == "veterans"


def test_local_population_via_peerfind_kb(run, farm):
    r = run("search", "migrant worker", "--format", "json", environ={"PEERFIND_KB": str(farm)})
    assert r.code == 0, r.err
    assert json.loads(r.out)["matches"][0]["id"] == "farmworkers"
    r = run("search", "vet", "--format", "json", environ={"PEERFIND_KB": str(farm)})
    assert json.loads(r.out)["matches"][0]["id"] == "veterans"


def test_local_population_layered_over_mini(run, farm):
    r = run(*MINI_ARGS, "--kb", str(farm), "search", "migrant worker vet", "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert [m["id"] for m in data["matches"][:2]] == ["farmworkers", "veterans"]
    assert any("farmworkers" in s["query"] for s in data["searches"])


def test_local_file_alone(run, farm):
    r = run("--no-builtin", "--kb", str(farm), "search", "field worker", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["matches"][0]["id"] == "farmworkers"
    r = run("--no-builtin", "--kb", str(farm), "show", "farmworkers", "--format", "json")
    assert json.loads(r.out)["aliases"] == ["farmworker", "migrant worker", "field worker"]
    r = run("--no-builtin", "--kb", str(farm), "search", "--population", "veterans")
    assert r.code == 2  # the built-in is really off


def test_local_file_extends_an_existing_entry(run, tmp_path):
    path = _write(tmp_path, "more.yaml",
                  "populations:\n  - id: veterans\n    aliases: [leatherneck]\n")
    r = run(*MINI_ARGS, "--kb", str(path), "search", "leatherneck", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["matches"][0]["id"] == "veterans"


# -- local listings: found through their links, ranked, read one by one ----------------------

LISTINGS = """\
organizations:
  - id: vets-north
    name: North Side Veterans Circle
    type: local-service
    local: true
    populations: [veterans]
    address: 12 Elm St, Seattle, WA 98101
    contacts: [{type: phone, value: "555-0101"}]
    source: test listing
    checked: 2026-11-01
  - id: vets-south
    name: South Side Veterans Circle
    type: local-service
    local: true
    populations: [veterans]
    conditions: [alcohol]
    address: 9 Oak Ave, Miami, FL 33137
    contacts: [{type: phone, value: "555-0102"}]
    source: test listing
    checked: 2026-11-01
  - id: moms-south
    name: Southtown New Moms
    type: local-service
    local: true
    populations: [new-parents]
    address: 3 Pine Rd, Miami, FL 33137
    source: test listing
    checked: 2026-11-01
"""


@pytest.fixture
def listings(tmp_path) -> Path:
    return _write(tmp_path, "listings.yaml", LISTINGS)


def _local_ids(run, *args):
    r = run(*args, "--format", "json")
    assert r.code == 0, r.err
    return [o["id"] for o in json.loads(r.out)["local_services"]]


@pytest.mark.parametrize("cache", ["0", "1"])  # the first run builds the cache, later ones read it
def test_local_listings_found_by_their_links(run, listings, cache, monkeypatch):
    monkeypatch.setenv("PEERFIND_NO_CACHE", cache)
    for _ in range(2):
        kb = ("--kb", str(listings))
        assert _local_ids(run, *kb, "search", "--population", "veterans") == ["vets-north",
                                                                             "vets-south"]
        # More shared links first, then nearer ones.
        assert _local_ids(run, *kb, "search", "vet who drinks too much")[0] == "vets-south"
        assert _local_ids(run, *kb, "search", "--population", "veterans",
                          "--near", "33125") == ["vets-south", "vets-north"]
        assert _local_ids(run, *kb, "search", "new mom") == ["moms-south"]
        assert _local_ids(run, *kb, "search", "--population", "lgbtq") == []


def test_local_listing_shown_and_listed(run, listings):
    r = run("--kb", str(listings), "show", "vets-south", "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["address"] == "9 Oak Ave, Miami, FL 33137"
    r = run("--kb", str(listings), "list", "organizations", "--format", "json")
    ids = [row["id"] for row in json.loads(r.out)]
    assert {"vets-north", "moms-south", "lifeline-988"} <= set(ids)
