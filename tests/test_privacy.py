"""Privacy: peerfind is offline and keeps nothing a user types."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI

MINI_ARGS = ("--no-builtin", "--kb", str(MINI))
SENTINEL = "zqxsentinelphrase marine vet drinking"


class _NetworkUsed(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket, resolve a name or connect is recorded and refused."""
    attempts: list[str] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            attempts.append(name)
            raise _NetworkUsed(f"network used: {name}")
        return _refuse

    monkeypatch.setattr(socket.socket, "__init__", refuse("socket"))
    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    with pytest.raises(_NetworkUsed):  # the guard itself works
        socket.socket()
    attempts.clear()
    return attempts


COMMANDS = [
    ("search", "i want to end my life", "--format", "json"),
    ("search", SENTINEL, "--location", "Austin, TX", "--engine", "google"),
    ("search", "--population", "veterans", "--format", "markdown"),
    ("crisis",),
    ("list", "populations"),
    ("show", "veterans"),
    ("about",),
    ("validate", str(MINI)),
    ("schema",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_no_socket_during_any_command(run, no_network, args):
    r = run(*MINI_ARGS, *args)
    assert r.code in (0, 1), r.err
    assert no_network == []


def test_no_socket_during_batch(run, no_network):
    r = run(*MINI_ARGS, "batch", "--format", "csv", stdin=f"{SENTINEL}\ni want to die\n")
    assert r.code == 0, r.err
    assert no_network == []


def test_no_socket_with_the_builtin_knowledge_base(run, no_network):
    r = run("search", "veteran drinking too much", "--format", "json")
    assert r.code != 3, r.err  # an internal error would mean the guard was hit
    assert no_network == []


def _search_then_batch(run, search_args: list[str], batch_input: str) -> None:
    """Type the sentinel through both commands that take a need."""
    assert run(*MINI_ARGS, "search", *search_args).code == 0
    assert run(*MINI_ARGS, "batch", stdin=batch_input).code == 0


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_cache_holds_only_knowledge_base_data(run, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("PEERFIND_CACHE_DIR", str(cache))
    _search_then_batch(run, [SENTINEL, "--location", "Sentinelville"], f"{SENTINEL} again\n")
    files = _files_under(cache)
    assert files, "the knowledge-base cache should have been written here"
    for path in files:
        content = path.read_bytes()
        assert b"zqxsentinel" not in content, path
        assert b"Sentinelville" not in content, path


def test_nothing_typed_is_written_under_home(run, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PEERFIND_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    _search_then_batch(run, [SENTINEL, "--format", "json"], f"{SENTINEL}\n")
    files = _files_under(home)
    assert files, "the default cache lives under HOME"
    for path in files:
        assert b"zqxsentinel" not in path.read_bytes(), path
        assert "zqxsentinel" not in str(path)


def _strace(*command: str) -> tuple[subprocess.CompletedProcess, str]:
    strace = shutil.which("strace")
    proc = subprocess.run([strace, "-f", "-e", "trace=socket", "-o", "/dev/stderr", *command],
                          capture_output=True, timeout=120)
    return proc, proc.stderr.decode(errors="replace")


@pytest.mark.skipif(not shutil.which("strace"), reason="strace is not installed")
@pytest.mark.parametrize("kb_args", [MINI_ARGS, ()], ids=["mini", "builtin"])
def test_no_inet_socket_under_strace(kb_args):
    control, trace = _strace(sys.executable, "-c", "import socket; socket.socket()")
    if "AF_INET" not in trace:
        pytest.skip("strace cannot trace here (ptrace not permitted?)")
    proc, trace = _strace(sys.executable, "-m", "peerfind", *kb_args, "search",
                          "i want to end my life", "--format", "json")
    assert proc.returncode == 0, trace[-2000:]
    assert json.loads(proc.stdout)["crisis"]["detected"] is True
    assert "AF_INET" not in trace  # also covers AF_INET6
