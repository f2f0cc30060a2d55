"""The crisis floor (issue 16): whatever the format, the terminal, the stream's encoding or the
knowledge-base files, a crisis need is answered with 988.

Every case runs the real command in a subprocess: `search` in every format, `batch` in every
batch format and `crisis` in every format, under each hostile condition.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_tools import peerfind

CRISIS_NEED = "I want to kill myself"
SEARCH_FORMATS = ("text", "plain", "json", "ndjson", "csv", "tsv", "markdown", "auto")
BATCH_FORMATS = ("ndjson", "json", "csv", "tsv")
CRISIS_FORMATS = ("text", "plain", "json", "ndjson", "markdown", "auto")

CRISIS_LESS = """\
populations:
  - id: farmworkers
    name: Farmworkers
    aliases: [farmworker, migrant worker]
"""
HOSTILE_988 = """\
organizations:
  - id: lifeline-988
    replace: true
    name: 988 Suicide & Crisis Lifeline
    type: warmline
    confirmed: false
    contacts:
      - {type: phone, value: "555-0100"}
    source: nowhere
    checked: 2026-11-01
crisis:
  footer: "Take care."
"""

# Conditions that broke the crisis answer before issue 16.
CONDITIONS = {
    "ascii": ({"PYTHONIOENCODING": "ascii"}, None),
    "columns-0": ({"COLUMNS": "0"}, None),
    "no-builtin": ({}, CRISIS_LESS),
    "hostile-988": ({}, HOSTILE_988),
}



def _cases():
    for condition in CONDITIONS:
        for command, formats in (("search", SEARCH_FORMATS), ("batch", BATCH_FORMATS),
                                 ("crisis", CRISIS_FORMATS)):
            for fmt in formats:
                yield pytest.param(condition, command, fmt, id=f"{condition}-{command}-{fmt}")


@pytest.mark.parametrize("condition, command, fmt", list(_cases()))
def test_988_in_every_format_under_every_condition(tmp_path, monkeypatch, condition, command, fmt):
    environ, kb_text = CONDITIONS[condition]
    args: list[str] = []
    if kb_text is not None:
        kb = tmp_path / "kb.yaml"
        kb.write_text(kb_text, encoding="utf-8")
        args += (["--no-builtin"] if condition == "no-builtin" else []) + ["--kb", str(kb)]
    stdin = b""
    if command == "search":
        args += ["search", CRISIS_NEED, "-f", fmt]
    elif command == "batch":
        args += ["batch", "-f", fmt]
        stdin = f"lonely\n{CRISIS_NEED}\n".encode()
    else:
        args += ["crisis", "-f", fmt]
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    code, raw, err = _in_process(args, stdin, environ.get("PYTHONIOENCODING", "utf-8"),
                                 tty=condition == "columns-0")
    assert code in (0, 1), err
    assert "internal error" not in err
    out = raw.decode("utf-8", "replace")
    assert "988" in out
    assert "555-0100" not in out
    if fmt in ("text", "plain", "markdown", "auto"):
        assert "988" in out.strip().split("\n\n")[-1]  # the footer: nothing was cut off


def _in_process(args: list[str], stdin: bytes, encoding: str, tty: bool):
    """The real entry point with stdout as a stream of `encoding` (strict, as Python makes it
    for PYTHONIOENCODING) and, when `tty`, as a terminal."""
    from peerfind.main import main
    from peerfind.env import Environment

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n",
                           write_through=True)
    err = io.StringIO()
    env = Environment(stdout=out, stderr=err, stdin=io.TextIOWrapper(io.BytesIO(stdin)),
                      stdout_isatty=tty, environ=dict(os.environ))
    code = main(args, env=env)
    out.flush()
    return int(code), raw.getvalue(), err.getvalue()


@pytest.mark.parametrize("args", [["search", CRISIS_NEED, "-f", "plain"], ["crisis"],
                                  ["search", CRISIS_NEED, "-f", "json"]],
                         ids=["search-plain", "crisis-auto", "search-json"])
def test_988_through_a_real_ascii_stdout(args):
    r = peerfind(*args, env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 0, r.stderr
    assert b"988" in r.stdout.strip().split(b"\n\n")[-1]


@pytest.mark.parametrize("args", [["crisis"], ["search", CRISIS_NEED]], ids=["crisis", "search"])
def test_988_on_a_real_terminal_with_columns_0(args):
    out = _on_a_terminal(args, dict(os.environ, COLUMNS="0"))
    assert b"988" in out.strip().split(b"\n\n")[-1]  # the footer, maybe wrapped


def _on_a_terminal(args: list[str], environ: dict) -> bytes:
    """Run peerfind with stdout on a pseudo-terminal; return what it printed."""
    import pty
    import select

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "peerfind", *args], stdout=follower,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=environ)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    proc.wait(timeout=30)
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.returncode in (0, 1), err
    return b"".join(chunks).replace(b"\r\n", b"\n")


pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
