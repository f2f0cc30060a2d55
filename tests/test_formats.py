"""Every output format of `search` and `batch`: what machines parse, what people read, links,
colour rules and crisis lines carried through all of them."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from peerfind.output import FORMATS
from peerfind.output.rows import SEARCH_COLUMNS as CSV_COLUMNS

from conftest import MINI

MINI_ARGS = ("--no-builtin", "--kb", str(MINI))
NEED = "vet drinking"
CRISIS_NEED = "i want to end my life"
PLACE = "Austin, TX"
PEOPLE_FORMATS = ("text", "plain", "markdown")
ENGINE_HOSTS = {"duckduckgo": "duckduckgo.com", "google": "www.google.com",
                "bing": "www.bing.com", "startpage": "www.startpage.com"}
ENGINE_PARAM = {"duckduckgo": "q", "google": "q", "bing": "q", "startpage": "query"}


def _search_json(run, *args: str) -> dict:
    r = run(*MINI_ARGS, "search", *args, "--format", "json")
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def _query_words(url: str, engine: str = "duckduckgo") -> str:
    return parse_qs(urlsplit(url).query)[ENGINE_PARAM[engine]][0]


# -- search: every format -----------------------------------------------------------------

def test_every_documented_format_is_accepted(run):
    for fmt in FORMATS:
        r = run(*MINI_ARGS, "search", NEED, "--format", fmt)
        assert r.code == 0, (fmt, r.err)
        assert r.out.strip(), fmt
        assert r.err == "", fmt


def test_json_contract(run):
    data = _search_json(run, NEED)
    for key in ("schema_version", "input", "matches", "searches", "organization_types",
                "organizations", "crisis"):
        assert key in data
    assert isinstance(data["schema_version"], int)
    assert data["input"]["text"] == NEED
    assert data["searches"]
    for s in data["searches"]:
        assert s["query"] and s["why"]
        assert s["url"].startswith("https://")
    for t in data["organization_types"]:
        assert t["name"]
    assert set(data["crisis"]) >= {"detected", "resources"}
    assert data["crisis"]["detected"] is False and data["crisis"]["resources"] == []


def test_json_keys_are_the_schemas(run):
    r = run("schema")
    assert r.code == 0, r.err
    schema = json.loads(r.out)
    data = _search_json(run, NEED)
    assert set(schema["required"]) <= set(data)
    assert set(data) <= set(schema["properties"])


def test_ndjson_every_line_parses(run):
    r = run(*MINI_ARGS, "search", NEED, "--format", "ndjson")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines
    objects = [json.loads(line) for line in lines]
    assert objects[0]["input"]["text"] == NEED
    assert objects[0] == _search_json(run, NEED)


def test_csv_header_and_rows(run):
    r = run(*MINI_ARGS, "search", NEED, "--format", "csv")
    assert r.code == 0
    reader = csv.DictReader(io.StringIO(r.out))
    assert {"kind", "query", "url", "why", "population", "condition"} <= set(reader.fieldnames)
    rows = list(reader)
    searches = _search_json(run, NEED)["searches"]
    web = [row for row in rows if row["kind"] == "search"]
    assert [row["query"] for row in web] == [s["query"] for s in searches]
    assert [row["url"] for row in web] == [s["url"] for s in searches]
    assert any(row["population"] == "veterans" for row in web)
    assert any(row["condition"] == "alcohol" for row in web)


def test_tsv_header_and_rows(run):
    r = run(*MINI_ARGS, "search", NEED, "--location", PLACE, "--format", "tsv")
    assert r.code == 0
    lines = r.out.splitlines()
    header = lines[0].split("\t")
    assert header == list(CSV_COLUMNS)
    for line in lines[1:]:
        assert len(line.split("\t")) == len(header), line
    searches = _search_json(run, NEED, "--location", PLACE)["searches"]
    queries = [dict(zip(header, line.split("\t")))["query"] for line in lines[1:]]
    assert [s["query"] for s in searches] == queries[:len(searches)]


def test_markdown_has_headings_and_links(run):
    r = run(*MINI_ARGS, "search", NEED, "--location", PLACE, "--format", "markdown")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0].startswith("# ")
    assert sum(line.startswith("## ") for line in lines) >= 2
    for s in _search_json(run, NEED, "--location", PLACE)["searches"]:
        assert f"]({s['url']})" in r.out


# -- locations and links ------------------------------------------------------------------

@pytest.mark.parametrize("engine", list(ENGINE_HOSTS))
def test_location_fills_every_query_and_urls_are_encoded(run, engine):
    data = _search_json(run, NEED, "--location", PLACE, "--engine", engine)
    assert data["searches"]
    for s in data["searches"] + data["app_searches"]:
        assert "[your city/county]" not in s["query"]
        assert s["placeholders"] == []
    for s in data["searches"]:
        url = s["url"]
        assert url.startswith("https://")
        parts = urlsplit(url)
        assert parts.hostname == ENGINE_HOSTS[engine]
        assert " " not in url and "," not in url
        assert _query_words(url, engine) == s["query"]
    assert any(PLACE in _query_words(s["url"], engine) for s in data["searches"])


@pytest.mark.parametrize("fmt", ["plain", "markdown", "csv", "tsv", "ndjson"])
def test_location_leaves_no_placeholder_in_any_format(run, fmt):
    r = run(*MINI_ARGS, "search", NEED, "--location", PLACE, "--format", fmt)
    assert r.code == 0
    assert "your city/county" not in r.out
    assert PLACE in r.out


def test_without_location_the_placeholder_shows_but_stays_out_of_urls(run):
    r = run(*MINI_ARGS, "search", NEED)
    assert r.code == 0
    assert "[your city/county]" in r.out
    for s in _search_json(run, NEED)["searches"]:
        words = _query_words(s["url"])
        assert "your city" not in words
        assert words == " ".join(s["query"].replace("[your city/county]", " ").split())


def test_engine_default_is_duckduckgo(run):
    data = _search_json(run, NEED)
    assert {urlsplit(s["url"]).hostname for s in data["searches"]} == {"duckduckgo.com"}


def test_text_urls_stay_on_one_line(run):
    place = "Santa Clara County, California"
    r = run(*MINI_ARGS, "search", NEED, "--location", place, "--all", tty=True)
    lines = {line.strip() for line in r.out.splitlines()}
    for s in _search_json(run, NEED, "--location", place)["searches"]:
        assert s["url"] in lines


# -- colour -------------------------------------------------------------------------------

@pytest.mark.parametrize("tty, environ", [
    (False, {}),
    (False, {"NO_COLOR": ""}),
    (True, {"NO_COLOR": "1"}),
    (True, {"NO_COLOR": "", "TERM": "dumb"}),
    (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}),
])
def test_no_escape_codes(run, tty, environ):
    r = run(*MINI_ARGS, "search", NEED, tty=tty, environ=environ)
    assert r.code == 0
    assert "\x1b" not in r.out
    assert "https://" in r.out


def test_piped_auto_is_plain(run):
    auto = run(*MINI_ARGS, "search", NEED, environ={"NO_COLOR": ""})
    plain = run(*MINI_ARGS, "search", NEED, "--format", "plain")
    assert auto.out == plain.out


@pytest.fixture
def colour_terminal(monkeypatch):
    # rich also reads TERM from the process environment: make it a colour terminal everywhere.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)


@pytest.mark.parametrize("tty", [False, True])
def test_force_color_gives_colour(run, colour_terminal, tty):
    r = run(*MINI_ARGS, "search", NEED, tty=tty, environ={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert r.code == 0
    assert "\x1b[" in r.out


def test_terminal_gets_colour_by_default(run, colour_terminal):
    r = run(*MINI_ARGS, "search", NEED, tty=True, environ={"NO_COLOR": "", "TERM": "xterm"})
    assert "\x1b[" in r.out


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "tsv", "markdown", "plain"])
def test_machine_and_plain_formats_never_coloured(run, fmt):
    r = run(*MINI_ARGS, "search", NEED, "--format", fmt, tty=True,
            environ={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b" not in r.out


# -- crisis in every format ---------------------------------------------------------------

def test_crisis_in_json(run, mini_kb):
    data = _search_json(run, CRISIS_NEED)
    assert data["crisis"]["detected"] is True
    ids = [o["id"] for o in data["crisis"]["resources"]]
    assert "lifeline-988" in ids
    assert data["crisis"]["resources"][0]["phone"] == "988"


def test_crisis_in_csv_and_tsv(run):
    for fmt in ("csv", "tsv"):
        r = run(*MINI_ARGS, "search", CRISIS_NEED, "--format", fmt)
        assert r.code == 0
        delimiter = "\t" if fmt == "tsv" else ","
        rows = list(csv.DictReader(io.StringIO(r.out), delimiter=delimiter))
        assert rows[0]["kind"] == "crisis-line"
        assert "988" in rows[0]["why"]


def test_crisis_in_ndjson(run):
    r = run(*MINI_ARGS, "search", CRISIS_NEED, "--format", "ndjson")
    assert all(json.loads(line)["crisis"]["detected"] for line in r.out.splitlines())


@pytest.mark.parametrize("fmt", PEOPLE_FORMATS)
def test_crisis_lines_come_first_for_people(run, fmt):
    r = run(*MINI_ARGS, "search", CRISIS_NEED, "--format", fmt)
    assert r.code == 0
    first = [line for line in r.out.splitlines() if line.strip()][:5]
    assert any("988" in line for line in first), first


@pytest.mark.parametrize("fmt", PEOPLE_FORMATS)
def test_no_crisis_block_without_crisis(run, fmt, mini_kb):
    r = run(*MINI_ARGS, "search", NEED, "--format", fmt)
    assert mini_kb.organizations["lifeline-988"].name not in r.out


# -- batch --------------------------------------------------------------------------------

BATCH_INPUT = "vet drinking\nnew mom\n\nzzzz qqqq\n"
BATCH_NEEDS = [(1, "vet drinking"), (2, "new mom"), (4, "zzzz qqqq")]


def _batch(run, *args: str, stdin=BATCH_INPUT):
    return run(*MINI_ARGS, "batch", *args, stdin=stdin)


def test_batch_ndjson_one_result_per_non_blank_line(run):
    r = _batch(run)
    assert r.code == 0, r.err
    results = [json.loads(line) for line in r.out.splitlines()]
    assert [(x["input"]["line"], x["input"]["text"]) for x in results] == BATCH_NEEDS


def test_batch_json_array(run):
    r = _batch(run, "--format", "json")
    assert r.code == 0
    results = json.loads(r.out)
    assert isinstance(results, list) and len(results) == 3
    assert [x["input"]["text"] for x in results] == [text for _, text in BATCH_NEEDS]


def test_batch_json_empty_input_is_an_empty_array(run):
    r = _batch(run, "--format", "json", stdin="\n\n")
    assert json.loads(r.out) == []


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_batch_table_header_once(run, fmt):
    r = _batch(run, "--format", fmt)
    assert r.code == 0
    lines = r.out.splitlines()
    header = lines[0]
    assert lines.count(header) == 1
    delimiter = "\t" if fmt == "tsv" else ","
    rows = list(csv.DictReader(io.StringIO(r.out), delimiter=delimiter))
    assert sorted({int(row["line"]) for row in rows}) == [n for n, _ in BATCH_NEEDS]
    assert [row["line"] for row in rows] == sorted((row["line"] for row in rows), key=int)


def test_batch_invalid_utf8_still_answered_with_note(run):
    r = _batch(run, stdin=b"vet \xff\xfe drinking\nnew mom\n")
    assert r.code == 0
    results = [json.loads(line) for line in r.out.splitlines()]
    assert len(results) == 2
    assert {m["id"] for m in results[0]["matches"]} >= {"veterans", "alcohol"}
    assert r.err.strip() and "1" in r.err  # a note that names the line
    r.out.encode("utf-8")  # what reached stdout is valid text


def test_batch_line_matching_nothing_still_gets_a_result(run):
    r = _batch(run, stdin="zzzz qqqq\n")
    results = [json.loads(line) for line in r.out.splitlines()]
    assert len(results) == 1
    assert results[0]["matched"] is False and results[0]["searches"]


def test_batch_options_apply_to_every_line(run):
    r = _batch(run, "--population", "veterans", "--location", PLACE)
    assert r.code == 0
    results = [json.loads(line) for line in r.out.splitlines()]
    assert len(results) == 3
    for x in results:
        assert x["input"]["populations"] == ["veterans"]
        assert x["input"]["location"] == PLACE
        assert "veterans" in {m["id"] for m in x["matches"]}
        assert all("[your city/county]" not in s["query"] for s in x["searches"])
        assert any(PLACE in s["query"] for s in x["searches"])


def test_batch_equals_each_need_answered_alone(run):
    r = _batch(run, "--location", PLACE, stdin=BATCH_INPUT + "vet drinking\n")
    results = [json.loads(line) for line in r.out.splitlines()]
    assert len(results) == 4
    for x in results:
        alone = _search_json(run, x["input"]["text"], "--location", PLACE)
        line = x["input"].pop("line")
        assert line >= 1
        assert x == alone


def test_batch_reads_a_file(run, tmp_path):
    needs = tmp_path / "needs.txt"
    needs.write_bytes(b"vet drinking\r\nnew mom\r\n")
    r = run(*MINI_ARGS, "batch", str(needs))
    results = [json.loads(line) for line in r.out.splitlines()]
    assert [x["input"]["text"] for x in results] == ["vet drinking", "new mom"]


def test_batch_crisis_line_carried(run):
    r = _batch(run, "--format", "csv", stdin=f"vet drinking\n{CRISIS_NEED}\n")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    crisis_rows = [row for row in rows if row["kind"] == "crisis-line"]
    assert crisis_rows and {row["line"] for row in crisis_rows} == {"2"}


# -- the registry -------------------------------------------------------------------------

def test_every_registered_format_is_a_choice_of_the_cli():
    from peerfind.cli import BatchFormat, Format
    from peerfind.output import AUTO, BATCH_FORMATS

    assert [f.value for f in Format] == [AUTO, *FORMATS]
    assert [f.value for f in BatchFormat] == list(BATCH_FORMATS)


def test_batch_formats_are_the_streaming_writers():
    from peerfind.output import BATCH_FORMATS, writer_class
    from peerfind.output.base import StreamWriter

    assert set(BATCH_FORMATS) == {f for f in FORMATS if issubclass(writer_class(f), StreamWriter)}


def test_a_new_format_is_one_registry_line(run, monkeypatch):
    # A writer module registered under a new name is a --format choice with no other change.
    import sys
    import types

    import peerfind.output as output
    from peerfind.output.base import Writer

    module = types.ModuleType("peerfind.output.shout")

    class ShoutWriter(Writer):
        def write(self, doc):
            self.out.write(doc.title.upper() + "\n")

    module.ShoutWriter = ShoutWriter
    monkeypatch.setitem(sys.modules, "peerfind.output.shout", module)
    monkeypatch.setitem(output.FORMATS, "shout", "shout:ShoutWriter")
    monkeypatch.delitem(sys.modules, "peerfind.cli", raising=False)
    monkeypatch.delitem(sys.modules, "peerfind.main", raising=False)
    from peerfind.main import main as fresh_main  # the CLI rebuilt from the registry
    import io

    from peerfind.env import Environment

    out = io.StringIO()
    code = fresh_main(["search", "--population", "veterans", "--format", "shout"],
                      env=Environment(stdout=out, stderr=io.StringIO(), stdout_isatty=False))
    assert code == 0
    assert out.getvalue() == "PEER SUPPORT RESOURCES\n"
