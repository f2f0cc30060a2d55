"""Shared fixtures: every test gets its own cache folder, no user knowledge bases, no colour
and a fixed width, so runs are deterministic and never touch the user's files."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from peerfind.main import main
from peerfind.env import Environment
from peerfind.knowledge import load_knowledge_base

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini.yaml"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("PEERFIND_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name in ("PEERFIND_KB", "PEERFIND_DEBUG", "PEERFIND_NO_CACHE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    # The answer's language follows the locale when a need says nothing of its own: English
    # unless a test asks for another.
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run():
    """Run the real entry point with its own streams: run("search", "vet", stdin="...")."""

    def _run(*args: str, stdin: str | bytes = "", tty: bool = False, environ=None) -> Run:
        import os

        out, err = io.StringIO(), io.StringIO()
        raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        inp = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
        env = Environment(stdout=out, stderr=err, stdin=inp, stdout_isatty=tty,
                          environ=dict(os.environ, **(environ or {})))
        code = main(list(args), env=env)
        return Run(int(code), out.getvalue(), err.getvalue())

    return _run


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base(use_cache=False)


@pytest.fixture(scope="session")
def mini_kb():
    return load_knowledge_base([MINI], builtin=False, use_cache=False)
