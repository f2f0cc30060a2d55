"""The building blocks of issue 16, tested directly: atomic private writes, the crisis-pattern
safety check, text safety (stderr, JSON, spreadsheets, ASCII streams) and bounded line reads."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import time

import pytest
from hypothesis import given, settings, strategies as st

from peerfind.atomic import TargetExists, private_dir, read_trusted, trusted, write_atomic
from peerfind.knowledge.patterns import MAX_PATTERN_CHARS, joined_problem, pattern_problem
from peerfind.safety import bounded_lines, cell, fit_stream, json_safe, shown


# -- atomic writes ------------------------------------------------------------------------

def test_write_atomic_is_private_and_whole(tmp_path):
    old = os.umask(0)
    try:
        folder = private_dir(tmp_path / "a" / "b")
        write_atomic(folder / "f", [b"one", b"two"])
    finally:
        os.umask(old)
    assert (folder / "f").read_bytes() == b"onetwo"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "f").stat().st_mode) == 0o600
    assert sorted(os.listdir(folder)) == ["f"]


def test_write_atomic_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("keep")
    with pytest.raises(TargetExists):
        write_atomic(target, b"new", force=False)
    assert target.read_text() == "keep"
    write_atomic(target, b"new", force=True)
    assert target.read_text() == "new"


def test_write_atomic_never_writes_through_a_symlink(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "link"
    link.symlink_to(victim)
    with pytest.raises(TargetExists):
        write_atomic(link, b"x", force=False)
    write_atomic(link, b"x", force=True)
    assert victim.read_text() == "keep"
    assert not link.is_symlink() and link.read_bytes() == b"x"


def test_failed_write_leaves_nothing(tmp_path):
    def chunks():
        yield b"part"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomic(tmp_path / "f", chunks())
    assert os.listdir(tmp_path) == []


def test_trusted_files_are_the_users_own_and_private(tmp_path):
    path = tmp_path / "f"
    write_atomic(path, b"data")
    assert trusted(path.stat()) and read_trusted(path) == b"data"
    path.chmod(0o622)
    assert not trusted(path.stat()) and read_trusted(path) is None
    path.chmod(0o600)
    link = tmp_path / "link"
    link.symlink_to(path)
    assert read_trusted(link) is None


# -- crisis patterns ----------------------------------------------------------------------

@pytest.mark.parametrize("pattern", [
    r"(a+)+b", r"(a*)*b", r"(a|aa)*b", r"(\w+\s?)*x", r"(a{1,3})*", r"(a?){20}a{20}",
    r"(a+){2,5}", r".*.*.*x", r"\w+\w+x", r".{0,60}a.{0,60}b.*c", r"(?i)word", r"(?P<who>me)",
    r"(a)\1", r"(", "x" * (MAX_PATTERN_CHARS + 1),
])
def test_unsafe_patterns_are_named(pattern):
    assert pattern_problem(pattern)


@pytest.mark.parametrize("pattern", [
    r"\bkill (my ?self|him ?self)\b", r"[ab]*c", r"(ab)*c", r"(?i:x)y", r"(\w+ )?x",
    r"\b(end|ending)? it\b(?! back)", r".*\bon purpose\b",
])
def test_safe_patterns_pass(pattern):
    assert pattern_problem(pattern) is None


def test_patterns_that_only_break_when_joined():
    assert joined_problem([r"a", r"b"]) is None
    assert joined_problem([r"(?P<x>a)", r"(?P<x>b)"])


@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[a-c()|*+?]{1,12}", fullmatch=True))
def test_accepted_patterns_run_fast_on_a_hostile_need(pattern):
    if pattern_problem(pattern) is not None:
        return
    regex = re.compile(pattern)
    started = time.perf_counter()
    for need in ("a" * 1000, "ab" * 500, "abc" * 333 + "d"):
        regex.search(need)
    assert time.perf_counter() - started < 1.0, pattern


# -- text safety --------------------------------------------------------------------------

def test_shown_escapes_controls_and_keeps_the_rest():
    assert shown("evil\x1b]52;c;QQ==\x07\u202e.yaml") == "evil\\x1b]52;c;QQ==\\x07\\u202e.yaml"
    assert shown("Caf\u00e9 ok.yaml") == "Caf\u00e9 ok.yaml"


def test_json_safe_is_the_same_data():
    data = {"t": "a\u202eb\x85c\u2028d\u00e9"}
    text = json_safe(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not {"\u202e", "\x85", "\u2028"} & set(text)


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("veterans", "veterans"), ("", ""), ("1-800", "1-800"),
])
def test_cells_never_start_a_formula(value, expected):
    assert cell(value) == expected


def test_ascii_stream_writes_a_close_form():
    raw = io.BytesIO()
    out = fit_stream(io.TextIOWrapper(raw, encoding="ascii"))
    out.write("call 988 \u00b7 text 988 \u2022 caf\u00e9 \u201cok\u201d \u4e2d\n")
    out.flush()
    assert raw.getvalue() == b'call 988 - text 988 * cafe "ok" ?\n'


# -- bounded lines ------------------------------------------------------------------------

@pytest.mark.parametrize("make", [io.BytesIO, lambda b: io.StringIO(b.decode())])
def test_bounded_lines(make):
    stream = make(b"short\n" + b"x" * 100 + b"\n" + b"y" * 10 + b"\nlast")
    lines = list(bounded_lines(stream, 10))
    assert [(bytes(l, "ascii") if isinstance(l, str) else l)[:5] for l, _ in lines] == \
        [b"short", b"xxxxx", b"yyyyy", b"last"]
    assert [cut for _, cut in lines] == [False, True, False, False]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab()|*+?{}[]^$\\.:=!<>P1,0-sw")), max_size=20))
def test_pattern_check_never_raises(pattern):
    assert pattern_problem(pattern) is None or isinstance(pattern_problem(pattern), str)
