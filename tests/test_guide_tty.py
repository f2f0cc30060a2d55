"""The guided conversation through a real pseudo-terminal (pexpect), 80x24, without colour: what
a person sees and types, for themselves, for someone else, with a crisis word, and Ctrl-C."""

from __future__ import annotations

import os
import stat
import sys

import pytest

pexpect = pytest.importorskip("pexpect", reason="pexpect (test extra) drives the terminal")

from peerfind.language.phrases import phrases  # noqa: E402

EN = phrases("en")
TIMEOUT = 60


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def _spawn(home, *args: str):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "NO_COLOR": "1",
           "TERM": "xterm", "LANG": "C.UTF-8", "PEERFIND_CACHE_DIR": str(home / ".cache-pf"),
           "SOURCE_DATE_EPOCH": "1795910400"}  # 2026-11-29
    child = pexpect.spawn(sys.executable, ["-m", "peerfind", *args], cwd=str(home), env=env,
                          dimensions=(24, 80), encoding="utf-8", timeout=TIMEOUT)
    return child


def _answer(child, question: str, typed: str) -> None:
    child.expect_exact(question)
    child.sendline(typed)


def _finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus


def test_for_me_then_save_a_handout(home):
    child = _spawn(home)  # peerfind alone, on a terminal
    _answer(child, EN["guide.need"], "new mom feeling overwhelmed")
    _answer(child, EN["guide.whom"], "1")
    _answer(child, EN["guide.where"], "Austin, TX")
    child.expect_exact("Postpartum Support International")
    _answer(child, EN["guide.next"], "2")
    _answer(child, EN["guide.file"].split(" (")[0], "")
    child.expect_exact("Saved peer-support-2026-11-29.html")
    _answer(child, EN["guide.next"], "4")
    child.expect_exact(EN["guide.bye"])
    assert _finish(child) == 0
    sheet = home / "peer-support-2026-11-29.html"
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    text = sheet.read_text(encoding="utf-8")
    assert "tel:988" in text and "tel:911" in text and "Austin, TX" in text
    # Nothing typed is kept: no history file, nothing but the handout and the cache.
    assert sorted(p.name for p in home.iterdir()) == [".cache-pf", sheet.name]


def test_for_someone_else_then_search_again_and_ctrl_d(home):
    child = _spawn(home, "guide")
    _answer(child, EN["guide.need"], "he drinks every night and I am worried")
    _answer(child, EN["guide.whom"], "2")
    _answer(child, EN["guide.who"], "my husband")
    _answer(child, EN["guide.where"], "")
    child.expect_exact("Al-Anon")
    _answer(child, EN["guide.next"], "3")
    child.expect_exact(EN["guide.need"])
    child.sendeof()
    assert _finish(child) == 0


def test_a_crisis_word_brings_the_crisis_lines_before_the_next_question(home):
    child = _spawn(home, "guide")
    _answer(child, EN["guide.need"], "i just want to kill myself")
    index = child.expect_exact(["988", EN["guide.whom"]])
    assert index == 0, "the crisis lines came after the next question"
    child.expect_exact(EN["guide.crisis.more"])
    child.expect_exact(EN["guide.whom"])
    child.sendintr()
    assert _finish(child) == 130


def test_ctrl_c_leaves_at_once_and_quietly(home):
    child = _spawn(home, "guide")
    child.expect_exact(EN["guide.need"])
    child.sendintr()
    child.expect(pexpect.EOF)
    assert "Traceback" not in child.before and EN["guide.bye"] not in child.before
    child.close()
    assert child.exitstatus == 130


def test_without_a_terminal_peerfind_alone_prints_the_usage(tmp_path):
    import subprocess

    done = subprocess.run([sys.executable, "-m", "peerfind"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT,
                          env=dict(os.environ, PEERFIND_CACHE_DIR=str(tmp_path)))
    assert done.returncode == 2
    assert "Usage" in done.stdout + done.stderr
    guided = subprocess.run([sys.executable, "-m", "peerfind", "guide"], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT,
                            env=dict(os.environ, PEERFIND_CACHE_DIR=str(tmp_path)))
    assert guided.returncode == 2 and "needs a terminal" in guided.stderr
