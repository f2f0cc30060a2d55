"""Hostile data and broken environments (issue 16): knowledge-base files that try to remove or
change the crisis lines, crisis patterns that crash or hang, needs typed where a command was
expected, terminals and streams that cannot take the output, a cache that someone else can
write, and inputs far larger than any real one.

Each test names the fault it reproduces. Everything runs through the public surfaces: the `run`
fixture (peerfind.main.main), `python -m peerfind`, and peerfind.load_knowledge_base.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peerfind import load_knowledge_base

from conftest import MINI
from hostile_tools import cache_files, forge_crc32, peerfind, reseal

CRISIS_NEED = "I want to kill myself"
SECRET = "zebrasecret"
ESCAPES = "\x1b]52;c;QUFBQQ==\x07\x1b[2J\u202e\x85"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _kb_with_crisis(tmp_path: Path, patterns: list[str]) -> Path:
    quoted = "\n".join(f"    - {json.dumps(p)}" for p in patterns)
    return _write(tmp_path, "patterns.yaml", f"crisis:\n  patterns:\n{quoted}\n")


HOSTILE_988 = """\
organizations:
  - id: lifeline-988
    replace: true
    name: 988 Suicide & Crisis Lifeline
    type: crisis-line
    contacts:
      - {type: phone, value: "555-0100"}
    source: nowhere
    checked: 2026-11-01
"""

EXTEND_988 = """\
organizations:
  - id: lifeline-988
    contacts:
      - {type: phone, value: "555-0100"}
    source: nowhere
    checked: 2026-11-01
"""

HIDE_988 = """\
organizations:
  - id: lifeline-988
    confirmed: false
    type: warmline
crisis:
  footer: "Good luck."
"""

CRISIS_LESS = """\
populations:
  - id: farmworkers
    name: Farmworkers
    aliases: [farmworker, migrant worker]
"""


# -- the crisis floor -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [HOSTILE_988, EXTEND_988, HIDE_988], ids=["replace", "extend", "hide"])
def test_a_file_cannot_change_the_national_crisis_line(run, tmp_path, text):
    hostile = _write(tmp_path, "hostile.yaml", text)
    r = run("--kb", str(hostile), "search", CRISIS_NEED, "-f", "plain")
    assert r.code == 0
    assert "call 988" in r.out
    assert "555-0100" not in r.out
    assert "Call or text 988" in r.out.splitlines()[-1]


@pytest.mark.parametrize("text", [HOSTILE_988, EXTEND_988, HIDE_988], ids=["replace", "extend", "hide"])
def test_validate_calls_a_changed_crisis_line_an_error(run, tmp_path, text):
    hostile = _write(tmp_path, "hostile.yaml", text)
    r = run("validate", str(hostile))
    assert r.code == 2
    assert "lifeline-988" in r.out


@pytest.mark.parametrize("args", [("crisis", "-f", "plain"),
                                  ("search", CRISIS_NEED, "-f", "plain"),
                                  ("search", CRISIS_NEED, "-f", "csv")])
def test_no_builtin_keeps_the_crisis_floor(run, tmp_path, args):
    farm = _write(tmp_path, "farm.yaml", CRISIS_LESS)
    r = run("--no-builtin", "--kb", str(farm), *args)
    assert r.code == 0, r.err
    assert "call 988" in r.out or "call 988" in r.out.replace('"', "")


def test_crisis_block_carries_emergency_guidance(run):
    r = run("search", CRISIS_NEED, "-f", "plain")
    block = r.out.split("\n\n")[0]
    assert "911" in block


def test_a_file_may_still_add_its_own_crisis_line(run, tmp_path):
    local = _write(tmp_path, "local.yaml", """\
organizations:
  - id: county-crisis
    name: County Mobile Crisis
    type: crisis-line
    contacts: [{type: phone, value: "555-0199"}]
    source: county
    checked: 2026-11-01
crisis:
  resources:
    - organization: county-crisis
""")
    r = run("--kb", str(local), "search", CRISIS_NEED, "-f", "plain")
    assert "555-0199" in r.out and "call 988" in r.out


# -- crisis patterns: validated as run, bounded cost -------------------------------------

@pytest.mark.parametrize("patterns", [
    [r"\bpaper\b", r"(?i)scissors"],  # a global flag in the middle of the alternation
    [r"(?P<who>me) gone", r"(?P<who>you) gone"],  # one group name twice
], ids=["inline-flag", "group-name"])
def test_patterns_are_checked_joined(run, tmp_path, patterns):
    bad = _kb_with_crisis(tmp_path, patterns)
    assert run("validate", str(bad)).code == 2
    r = run("--kb", str(bad), "search", "lonely veteran")
    assert r.code == 2, r.err
    assert "internal error" not in r.err


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(a|aa)*b", r"(\w+\s?)*x", r"(a*)*b", r"(a|a)+b"])
def test_catastrophic_patterns_are_refused(tmp_path, pattern):
    bad = _kb_with_crisis(tmp_path, [pattern])
    r = peerfind("validate", str(bad), timeout=20)
    assert r.returncode == 2
    r = peerfind("--kb", str(bad), "search", "a" * 60 + " lonely", timeout=20)
    assert r.returncode == 2
    assert b"internal error" not in r.stderr


def test_builtin_patterns_run_fast_on_the_worst_needs(kb):
    from peerfind.answer.crisis import detector_for

    detector = detector_for(kb)
    for need in ("a" * 1000, "my self " * 125, "kill " * 200, "x " * 500,
                 "i want to " * 100, "car into " * 110):
        started = time.perf_counter()
        detector.detect(need[:1000])
        assert time.perf_counter() - started < 0.5, need[:20]


# -- a stray first word is a need; no error quotes what was typed -------------------------

def test_a_need_without_search_is_answered(run):
    r = run(CRISIS_NEED)
    assert CRISIS_NEED not in r.err and "kill myself" not in r.err
    assert "988" in r.out + r.err


@pytest.mark.parametrize("args", [
    ("search", "-p", SECRET), ("search", "-c", SECRET), ("search", "-s", SECRET),
    ("batch", "-p", SECRET), ("list", SECRET), ("list", "populations", SECRET),
    ("search", "-f", SECRET, "lonely"), ("batch", "-f", SECRET), ("crisis", "-f", SECRET),
    ("search", "lonely", "--engine", SECRET), ("search", f"--{SECRET}", "lonely"),
    ("show", SECRET), ("about", SECRET), ("search", "lonely", "-l", SECRET, "-f", SECRET),
], ids=lambda a: " ".join(a).replace(SECRET, "X"))
def test_no_error_quotes_what_was_typed(run, args):
    r = run(*args)
    assert r.code == 2
    assert SECRET not in r.err and SECRET not in r.out


@pytest.mark.parametrize("args", [
    ("--kb", "{p}", "crisis"), ("--no-builtin", "--kb", "{p}", "search", "vet"),
    ("validate", "{p}"), ("batch", "{p}"),
])
def test_paths_are_shown_with_controls_escaped(run, tmp_path, args):
    path = str(tmp_path / f"evil{ESCAPES}.yaml")
    r = run(*(path if a == "{p}" else a for a in args))
    assert r.code == 2
    for ch in ESCAPES:
        if ch in "\x1b\x07\u202e\x85":
            assert ch not in r.err, repr(ch)
    assert "evil" in r.err  # still shown, escaped


# -- streams and terminals that cannot take the output ------------------------------------

ENCODINGS = [pytest.param({"PYTHONIOENCODING": "ascii"}, id="ascii"),
             pytest.param({"PYTHONIOENCODING": "latin-1"}, id="latin-1"),
             pytest.param({"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
                           "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}, id="lc-all-c")]


@pytest.mark.parametrize("environ", ENCODINGS)
@pytest.mark.parametrize("fmt", ["plain", "text", "markdown", "csv", "tsv"])
def test_output_that_cannot_be_encoded_is_never_cut(environ, fmt):
    r = peerfind("search", CRISIS_NEED, "-f", fmt, env=environ)
    assert r.returncode == 0, r.stderr
    assert b"internal error" not in r.stderr
    out = r.stdout.decode("latin-1")
    assert "988" in out
    assert "Crisis Text Line" in out  # the lines after the first one are there too
    if fmt in ("plain", "text", "markdown"):
        assert "988" in out.strip().splitlines()[-1]  # the footer, the very last line


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_json_on_an_ascii_stream_is_still_json(fmt):
    need = CRISIS_NEED + " \u00bfqu\u00e9 hago?"
    r = peerfind("search", need, "-f", fmt, env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["input"]["text"] == need  # escaped, not lost
    assert data["crisis"]["resources"][0]["phone"] == "988"


@pytest.mark.parametrize("columns", ["0", "1", "-3", "abc"])
@pytest.mark.parametrize("args", [("crisis",), ("search", CRISIS_NEED)])
def test_a_terminal_too_narrow_still_prints(run, monkeypatch, columns, args):
    monkeypatch.setenv("COLUMNS", columns)
    r = run(*args, tty=True, environ={"COLUMNS": columns})
    assert "988" in r.out
    assert "Crisis Text Line" in r.out


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("crisis",), ("search", "lonely veteran", "-f", "json"),
                                  ("batch", "-f", "csv")])
def test_full_disk_is_one_line_and_exit_2(args):
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-m", "peerfind", *args], input=b"lonely\n" * 50,
                           stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0], lines


@pytest.mark.parametrize("args", ["crisis", "search vet", "list populations"])
def test_closed_stdout_is_one_line_and_exit_2(args):
    r = subprocess.run(["sh", "-c", f'"{sys.executable}" -m peerfind {args} >&-'],
                       capture_output=True, timeout=60)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0], lines


# -- spreadsheets, addresses, controls --------------------------------------------------------

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def _cells(text: str, fmt: str):
    reader = csv.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ",",
                        quoting=csv.QUOTE_NONE if fmt == "tsv" else csv.QUOTE_MINIMAL,
                        escapechar="\\" if fmt == "tsv" else None)
    return [cell for row in reader for cell in row]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_cells_never_start_a_formula(run, tmp_path, fmt):
    r = run("search", '=HYPERLINK("http://evil.example","vet")', "-l", "@SUM(1)", "-f", fmt)
    cells = _cells(r.out, fmt)
    assert cells and not [c for c in cells if c.startswith(DANGEROUS_FIRST)]
    r = run("batch", "-f", fmt, "-l", "+cmd", stdin="-2+3 lonely vet\n=1+1\n@x\n")
    cells = _cells(r.out, fmt)
    assert cells and not [c for c in cells if c.startswith(DANGEROUS_FIRST)]
    named = _write(tmp_path, "named.yaml", "populations:\n  - {id: formula, name: '=1+2', aliases: [zz]}\n")
    r = run("--kb", str(named), "list", "populations", "-f", fmt)
    assert not [c for c in _cells(r.out, fmt) if c.startswith(DANGEROUS_FIRST)]


@pytest.mark.parametrize("kind, value", [
    ("url", "javascript:alert(1)"), ("chat", "data:text/html,<script>x</script>"),
    ("url", "JavaScript:alert(1)"), ("url", "vbscript:x"), ("email", "javascript:x@y"),
    ("url", "file:///etc/passwd"), ("url", " javascript:alert(1)"),
])
def test_only_safe_address_schemes(run, tmp_path, kind, value):
    bad = _write(tmp_path, "bad.yaml", f"""\
organizations:
  - id: bad-link
    name: Bad link
    contacts: [{{type: {kind}, value: {json.dumps(value)}}}]
    source: test
    checked: 2026-11-01
""")
    assert run("validate", str(bad)).code == 2
    r = run("--kb", str(bad), "show", "bad-link", "-f", "json")
    assert r.code == 2 and value.strip() not in r.out


def test_safe_address_schemes_are_kept(run, tmp_path):
    good = _write(tmp_path, "good.yaml", """\
organizations:
  - id: good-links
    name: Good links
    contacts:
      - {type: url, value: "https://example.org"}
      - {type: chat, value: "http://example.org/chat"}
      - {type: email, value: "mailto:help@example.org"}
      - {type: email, value: "help@example.org"}
      - {type: phone, value: "tel:+15550100"}
      - {type: text, value: "sms:741741"}
    source: test
    checked: 2026-11-01
""")
    assert run("validate", "--no-builtin", str(good)).code in (0, 1) or \
        run("validate", str(good)).code in (0, 1)


@pytest.mark.parametrize("fmt", ["plain", "json", "ndjson", "markdown", "csv"])
def test_bidi_and_c1_controls_never_reach_output(run, tmp_path, fmt):
    named = _write(tmp_path, "named.yaml",
                   'populations:\n  - {id: zz, name: "Zeta\\u202eateZ\\x85", aliases: [zeta]}\n')
    r = run("--kb", str(named), "search", "zeta \u202eevil\x85 \u2066x", "-f", fmt)
    for ch in ("\u202e", "\x85", "\u2066"):
        assert ch not in r.out


def test_location_is_capped(run):
    r = run("search", "vet", "-l", "Austin " * 20_000, "-f", "json")
    data = json.loads(r.out)
    assert len(data["input"]["location"]) <= 1000
    assert max(len(s["query"]) for s in data["searches"]) < 2000
    assert "location" in r.err  # a note says it was cut, without repeating it


# -- YAML ------------------------------------------------------------------------------------

def test_complex_yaml_keys_are_an_error_not_a_crash(run, tmp_path):
    bad = _write(tmp_path, "complex.yaml", "? [a, b]\n: 1\n? {c: d}\n: 2\n")
    r = run("validate", str(bad))
    assert r.code == 2 and "internal error" not in r.err


def test_int_and_string_keys_are_not_duplicates(run, tmp_path):
    bad = _write(tmp_path, "keys.yaml", 'placeholders:\n  1: one\n  "2": two\n  2: dos\n')
    r = run("validate", str(bad))
    assert "duplicate key" not in r.out + r.err


def test_yaml_aliases_are_bounded(tmp_path):
    words = ", ".join(f"word{i}" for i in range(2000))
    lines = ["meta:", f"  sources: &w [{words}]", "populations:"]
    lines += [f"  - {{id: p{i}, name: P{i}, aliases: *w}}" for i in range(1000)]
    bomb = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    assert bomb.stat().st_size < 70_000
    started = time.monotonic()
    r = peerfind("--kb", str(bomb), "search", "lonely", timeout=12,
                 env={"PEERFIND_CACHE_DIR": str(tmp_path / "cache")})
    assert r.returncode == 2
    assert b"alias" in r.stderr
    assert time.monotonic() - started < 15


def test_a_few_yaml_aliases_still_work(run, tmp_path):
    shared = _write(tmp_path, "shared.yaml", """\
populations:
  - id: farmworkers
    name: Farmworkers
    aliases: &farm [farmworker, migrant worker]
  - id: field-hands
    name: Field hands
    aliases: *farm
""")
    assert run("--kb", str(shared), "search", "migrant worker").code == 0


# -- the cache -------------------------------------------------------------------------------

KB_A = """\
# padding: @@@@@@@@
organizations:
  - id: forged-line
    name: Forged line
    aliases: [forgedline]
    contacts: [{type: phone, value: "555-0111"}]
    source: test
    checked: 2026-11-01
"""


def test_cache_is_keyed_by_a_cryptographic_hash(tmp_path, monkeypatch):
    import zlib

    monkeypatch.setenv("PEERFIND_CACHE_DIR", str(tmp_path / "cache"))
    good = KB_A.encode()
    evil = forge_crc32(good.replace(b"555-0111", b"555-0999"), b"padding: ", zlib.crc32(good))
    assert len(evil) == len(good) and zlib.crc32(evil) == zlib.crc32(good) and evil != good
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(good)
    second.write_bytes(evil)
    load_knowledge_base([first], use_cache=True)  # writes the cache
    kb = load_knowledge_base([second], use_cache=True)
    assert kb.organizations["forged-line"].contacts[0].value == "555-0999"


def _build_cache(run, tmp_path, monkeypatch, text=KB_A) -> tuple[Path, Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PEERFIND_CACHE_DIR", str(folder))
    kb = _write(tmp_path, "kb.yaml", text)
    assert run("--kb", str(kb), "show", "forged-line", "-f", "json").code == 0
    (cache,) = cache_files(folder)
    return kb, cache


def test_cache_writable_by_others_is_not_trusted(run, tmp_path, monkeypatch):
    kb, cache = _build_cache(run, tmp_path, monkeypatch)
    cache.chmod(0o666)
    before = cache.stat().st_ino
    assert run("--kb", str(kb), "show", "forged-line", "-f", "json").code == 0
    (again,) = cache_files(cache.parent)
    assert again.stat().st_ino != before  # rebuilt, not read
    assert again.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="chown needs root")
def test_cache_owned_by_someone_else_is_not_trusted(run, tmp_path, monkeypatch):
    kb, cache = _build_cache(run, tmp_path, monkeypatch)
    os.chown(cache, 65534, 65534)
    assert run("--kb", str(kb), "show", "forged-line", "-f", "json").code == 0
    (again,) = cache_files(cache.parent)
    assert again.stat().st_uid == os.geteuid()


@pytest.mark.parametrize("damage", ["wrong-types", "nested-header", "not-a-list"])
def test_damaged_cache_heals(run, tmp_path, monkeypatch, damage):
    kb, cache = _build_cache(run, tmp_path, monkeypatch)
    if damage == "wrong-types":
        reseal(cache, {"organizations": {"oops": 1}, "index:crisis": "x", "crisis": [1, 2]})
    elif damage == "nested-header":
        cache.write_bytes(b"[" * 200_000 + b"]" * 200_000 + b"\n{}")
    else:
        reseal(cache, {"organizations": [1, "two", None]})
    for _ in range(2):
        r = run("--kb", str(kb), "search", CRISIS_NEED, "-f", "json")
        assert r.code == 0, r.err
        assert json.loads(r.out)["crisis"]["resources"][0]["phone"] == "988"
    assert run("--kb", str(kb), "show", "forged-line", "-f", "json").code == 0


LISTINGS = "organizations:\n" + "".join(f"""\
  - id: listing-{n}
    name: Listing {n}
    local: true
    type: support-groups
    populations: [veterans]
    contacts: [{{type: phone, value: "555-01{n:02d}"}}]
    source: test
    checked: 2026-11-01
""" for n in range(30))


def test_truncated_local_listings_heal(run, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PEERFIND_CACHE_DIR", str(folder))
    kb = _write(tmp_path, "listings.yaml", LISTINGS)
    assert run("--kb", str(kb), "search", "-p", "veterans").code == 0
    (sidecar,) = folder.glob("*.local.jsonl")
    sidecar.write_bytes(sidecar.read_bytes()[:100])
    for _ in range(2):
        r = run("--kb", str(kb), "search", "-p", "veterans", "-f", "json")
        assert r.code == 0, r.err
        assert len(json.loads(r.out)["local_services"]) == 10


def test_cache_write_never_follows_a_planted_symlink(run, tmp_path, monkeypatch):
    kb, cache = _build_cache(run, tmp_path, monkeypatch)
    name = cache.name
    cache.unlink()
    victim = _write(tmp_path, "victim.txt", "keep me")
    for pid in range(max(1, os.getpid() - 5), os.getpid() + 5):
        (cache.parent / f".{name}.{pid}.tmp").symlink_to(victim)
    assert run("--kb", str(kb), "show", "forged-line").code == 0
    assert victim.read_text() == "keep me"


def test_failed_cache_write_leaves_no_temp_file(run, tmp_path, monkeypatch):
    kb, cache = _build_cache(run, tmp_path, monkeypatch)
    folder = cache.parent
    for path in list(folder.iterdir()):
        path.unlink()
        path.mkdir()
        (path / "occupied").write_text("x")
    assert run("--kb", str(kb), "show", "forged-line").code == 0
    assert sorted(p.name for p in folder.iterdir() if not p.is_dir()) == []


def test_cache_is_private_whatever_the_umask(tmp_path):
    folder = tmp_path / "made" / "cache"
    r = peerfind("search", "lonely veteran", env={"PEERFIND_CACHE_DIR": str(folder)},
                 preexec_fn=lambda: os.umask(0))
    assert r.returncode == 0
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_relative_xdg_cache_home_is_ignored(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"XDG_CACHE_HOME": "relative-cache", "HOME": str(home)}
    env_without = {k: v for k, v in os.environ.items() if k != "PEERFIND_CACHE_DIR"}
    r = subprocess.run([sys.executable, "-m", "peerfind", "search", "vet"], cwd=tmp_path,
                       env=dict(env_without, **env), capture_output=True, timeout=60)
    assert r.returncode == 0
    assert not (tmp_path / "relative-cache").exists()


# -- batch -----------------------------------------------------------------------------------

def _max_rss_kb(args: list[str], stdin_path: Path) -> tuple[int, bytes]:
    """Peak resident memory of `python -m peerfind ARGS < stdin_path`, measured by a parent
    process of its own (RUSAGE_CHILDREN is the largest child it waited for)."""
    probe = (
        "import resource, subprocess, sys\n"
        f"with open({str(stdin_path)!r}, 'rb') as f:\n"
        f"    out = subprocess.run([sys.executable, '-m', 'peerfind', *{args!r}], stdin=f,"
        " capture_output=True).stdout\n"
        "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + '\\n')\n"
        "sys.stdout.flush(); sys.stdout.buffer.write(out)\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=300)
    head, _, out = r.stdout.partition(b"\n")
    return int(head), out


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in kilobytes on Linux")
def test_a_huge_batch_line_is_read_in_bounded_memory(tmp_path):
    small = _write(tmp_path, "small.txt", "lonely veteran\n" + CRISIS_NEED + "\n")
    baseline, _ = _max_rss_kb(["batch"], small)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.write(b"lonely veteran\n")
        f.write(b"x" * (96 << 20) + b"\n")
        f.write(CRISIS_NEED.encode() + b"\n")
    peak, out = _max_rss_kb(["batch"], huge)
    huge.unlink()
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["input"]["line"] for a in answers] == [1, 2, 3]
    assert answers[2]["crisis"]["detected"]
    assert peak - baseline < 32 * 1024, (peak, baseline)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_interrupted_json_batch_is_still_json():
    proc = subprocess.Popen([sys.executable, "-m", "peerfind", "batch", "-f", "json"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        proc.stdin.write(b"lonely veteran\n" * 2000)  # far more than a pipe's worth of answers
        proc.stdin.close()
        first = proc.stdout.read1(65536)  # answers flow; the writer now waits on a full pipe
        while first.count(b"schema_version") < 3:
            first += proc.stdout.read1(65536)
        proc.send_signal(signal.SIGINT)
        rest = proc.stdout.read()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 130
    answers = json.loads(first + rest)
    assert 3 <= len(answers) < 2000
