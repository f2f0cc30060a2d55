"""The handout and `-o FILE` through the command line: `--format html` for search, batch and
the smaller commands, the format taken from a file's extension, and files never replaced
without --force."""

from __future__ import annotations

import json
import stat

import pytest

from handout_helpers import Page

NEW_MOM = ("search", "new mom feeling overwhelmed", "-l", "Austin, TX")


def test_search_html_to_a_file(run, tmp_path):
    sheet = tmp_path / "sheet.html"
    r = run(*NEW_MOM, "--format", "html", "-o", str(sheet))
    assert r.code == 0 and r.out == "" and r.err == ""
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.count("<article") == 1
    assert "tel:988" in Page(text).hrefs
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600


def test_the_format_follows_the_file_name_when_not_given(run, tmp_path):
    r = run(*NEW_MOM, "-o", str(tmp_path / "answer.json"))
    assert r.code == 0
    assert json.loads((tmp_path / "answer.json").read_text())["input"]["location"] == "Austin, TX"
    run(*NEW_MOM, "-o", str(tmp_path / "sheet.html"))
    assert (tmp_path / "sheet.html").read_text().startswith("<!DOCTYPE html>")
    run(*NEW_MOM, "-o", str(tmp_path / "answer.out"))
    plain = (tmp_path / "answer.out").read_text()
    assert not plain.startswith(("<", "{")) and "Call or text 988" in plain


def test_an_existing_file_is_kept_unless_forced(run, tmp_path):
    sheet = tmp_path / "sheet.html"
    sheet.write_text("mine")
    r = run(*NEW_MOM, "--format", "html", "-o", str(sheet))
    assert r.code == 2 and "already exists; add --force" in r.err
    assert sheet.read_text() == "mine"
    r = run(*NEW_MOM, "--format", "html", "-o", str(sheet), "--force")
    assert r.code == 0 and sheet.read_text().startswith("<!DOCTYPE html>")


def test_no_match_still_writes_its_answer(run, tmp_path):
    r = run("search", "asdfgh", "-o", str(tmp_path / "a.txt"))
    assert r.code == 1 and (tmp_path / "a.txt").read_text()


def test_all_lifts_the_one_page_limits(run):
    short = Page(run(*NEW_MOM, "--format", "html").out)
    full = Page(run(*NEW_MOM, "--format", "html", "--all").out)
    assert len(full.qr_payloads) > len(short.qr_payloads)


def test_the_handout_never_echoes_the_words_typed(run):
    r = run("search", "new mom feeling overwhelmed zzqx", "--format", "html")
    assert "zzqx" not in r.out and "overwhelmed" not in r.out


def test_batch_html_is_one_file_with_a_page_per_need(run, tmp_path):
    needs = "new mom feeling overwhelmed\nmarine vet drinking too much\n\ni want to kill myself\n"
    r = run("batch", "--format", "html", "-o", str(tmp_path / "sheets.html"), stdin=needs)
    assert r.code == 0, r.err
    text = (tmp_path / "sheets.html").read_text(encoding="utf-8")
    assert text.count('<article class="sheet"') == 3 and text.count("<html") == 1
    assert text.rstrip().endswith("</body></html>")
    assert text.count("tel:988") >= 3


@pytest.mark.parametrize("args", [("crisis",), ("about",), ("list", "populations"),
                                  ("show", "veterans")])
def test_every_command_draws_html(run, args):
    r = run(*args, "--format", "html")
    assert r.code == 0, r.err
    assert r.out.startswith("<!DOCTYPE html>") and "<script" not in r.out


@pytest.mark.parametrize("args", [("crisis",), ("list", "populations")])
def test_every_command_writes_to_a_file(run, tmp_path, args):
    target = tmp_path / "out.txt"
    r = run(*args, "-o", str(target))
    assert r.code == 0 and r.out == "" and target.read_text()


def test_guide_needs_a_terminal(run):
    r = run("guide")
    assert r.code == 2 and "needs a terminal" in r.err
