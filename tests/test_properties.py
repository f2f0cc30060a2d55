"""Property tests for everything that takes user text: it never raises, scores stay in range,
machine formats always parse and nothing a user types reaches a terminal as a control code."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerfind.answer.finder import search
from peerfind.answer.match import match
from peerfind.output import FORMATS, write_result
from peerfind.language.normalize import may_be_within, one_edit_apart

from conftest import MINI

MINI_ARGS = ("--no-builtin", "--kb", str(MINI))
OUTPUT_FORMATS = [f for f in FORMATS if f != "auto"]  # auto is resolved by the CLI
PEOPLE_FORMATS = ("text", "plain", "markdown")

# Pieces that have broken terminals and parsers, and words the mini knowledge base knows, so
# that generated needs also match, trigger the crisis check and fill templates.
NASTY = [
    "\x1b", "\x1b[31m", "\x1b]8;;http://evil\x07", "\x1b]0;title\x1b\\", "\x07", "\r", "\r\n",
    "\n", "\t", "\x00", "\x7f", "\x9b31m", "\u2028", "\u202e", "\ufeff", "\ud800", "\udcff",
    "[bold]", "[/]", "[link=http://e]", "{location}", "{0}", "%s", "\\", '"', ",", "é", "ß",
    "İ", "ﬁ", "🙂", " ", "  ",
]
WORDS = ["vet", "veterans", "drinking", "alcohol", "new mom", "postpartum", "suicidal",
         "want to die", "end my life", "killed it", "support group", "online", "my son",
         "depressed", "recovery", "vetrans", "alcohl"]

any_char = st.characters(exclude_categories=())
needs = st.one_of(
    st.text(any_char, max_size=80),
    st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(WORDS),
                       st.text(any_char, max_size=5)), max_size=12).map(" ".join),
    st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(WORDS)), max_size=12).map("".join),
)
# Locations go into URLs, which must be encodable: surrogates are covered by their own test.
locations = needs.map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text=needs)
def test_match_never_raises_and_scores_stay_in_range(mini_kb, text):
    matches = match(mini_kb, text)
    for m in matches:
        assert 0 <= m.score <= 100
        assert mini_kb.get(m.id) is not None
        assert m.kind in ("population", "condition", "setting", "topic", "term", "organization")
    assert len({(m.kind, m.id) for m in matches}) == len(matches)


@SETTINGS
@given(text=needs)
def test_match_never_raises_on_the_builtin_knowledge_base(kb, text):
    for m in match(kb, text):
        assert 0 <= m.score <= 100


@SETTINGS
@given(text=needs, location=locations)
def test_search_never_raises_and_is_json(mini_kb, text, location):
    result = search(text, kb=mini_kb, location=location)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["matched"] == (bool(data["matches"]) or data["crisis"]["detected"])
    for s in data["searches"]:
        assert s["url"].startswith("https://")
        assert not any(ch in s["url"] for ch in " \x1b\x07\r\n")


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
@SETTINGS
@given(text=needs, location=locations)
def test_every_format_renders_safely(mini_kb, fmt, text, location):
    data = search(text, kb=mini_kb, location=location).to_dict()
    out = io.StringIO()
    write_result(data, fmt, out, colour=False, width=100)
    rendered = out.getvalue()
    if fmt == "json":
        assert json.loads(rendered) == data
    elif fmt == "ndjson":
        # NDJSON lines end at "\n" only: U+2028 and friends may sit raw inside strings.
        lines = rendered.split("\n")
        assert lines.pop() == ""
        assert [json.loads(line) for line in lines] == [data]
    elif fmt in PEOPLE_FORMATS:
        for bad in ("\x1b", "\x07", "\r", "\x9b", "\x00"):
            assert bad not in rendered, (fmt, bad)


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
@SETTINGS
@given(text=needs.map(lambda s: s.encode("utf-8", "replace").decode("utf-8")),
       location=locations)
def test_every_format_encodes_as_utf8(mini_kb, fmt, text, location):
    # stdout is a UTF-8 stream, not a StringIO: whatever is rendered must encode.
    data = search(text, kb=mini_kb, location=location).to_dict()
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
    write_result(data, fmt, out, colour=False, width=100)
    out.flush()
    raw.getvalue().decode("utf-8")


@SETTINGS
@given(text=needs.filter(lambda s: s.strip()))
def test_cli_search_exit_code_and_plain_output(run, text):
    r = run(*MINI_ARGS, "search", "--format", "plain", "--", text)
    assert r.code in (0, 1), r.err
    for bad in ("\x1b", "\x07", "\r"):
        assert bad not in r.out
    assert "Traceback" not in r.err


@SETTINGS
@given(lines=st.lists(needs, max_size=6))
def test_batch_ndjson_every_line_parses(run, lines):
    stdin = "".join(line.replace("\n", " ").replace("\r", " ") + "\n" for line in lines)
    stdin = stdin.encode("utf-8", "replace")  # a file of needs holds bytes, not surrogates
    r = run(*MINI_ARGS, "batch", stdin=stdin)
    assert r.code == 0, r.err
    results = [json.loads(line) for line in r.out.split("\n")[:-1]]
    expected = [n for n, line in enumerate(lines, start=1)
                if line.replace("\n", " ").replace("\r", " ").strip()]
    assert [x["input"]["line"] for x in results] == expected


# -- edit distances without rapidfuzz, checked against it ---------------------------------

@given(st.text("abcsu", max_size=7), st.text("abcsu", max_size=7))
def test_one_edit_apart_is_osa_distance_one(a, b):
    from rapidfuzz.distance import OSA

    assert one_edit_apart(a, b) == (OSA.distance(a, b) <= 1)


@given(st.text("abcdeu", max_size=9), st.text("abcdeu", max_size=9), st.integers(0, 2))
def test_may_be_within_never_rules_out_a_near_word(a, b, edits):
    from rapidfuzz.distance import OSA

    if OSA.distance(a, b) <= edits:
        assert may_be_within(a, b, edits)
