"""The command line as a user meets it: exit codes, streams, help, every command, errors,
real pipes and shell completion."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import peerfind
from peerfind.exitcodes import ExitStatus
from peerfind.knowledge.model import SECTIONS

from conftest import MINI

ROOT = Path(__file__).resolve().parents[1]
MINI_ARGS = ("--no-builtin", "--kb", str(MINI))
SECRET = "secret words of the user"


def _json(out: str):
    return json.loads(out)


def _command_names() -> list[str]:
    from typer.main import get_command

    from peerfind.cli import app

    return sorted(get_command(app).commands)


def _py(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run the real program in a new interpreter (the environment comes from the autouse
    fixture: temp cache, NO_COLOR, fixed width)."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "peerfind", *args], **kwargs)


# -- exit codes ---------------------------------------------------------------------------

def test_results_exit_0(run):
    r = run(*MINI_ARGS, "search", "vet drinking", "--format", "json")
    assert r.code == ExitStatus.OK == 0
    data = _json(r.out)
    assert data["matched"] is True
    assert {m["id"] for m in data["matches"]} >= {"veterans", "alcohol"}


def test_nothing_specific_exits_1_with_general_pathways_and_note(run, mini_kb):
    r = run(*MINI_ARGS, "search", "zzzz qqqq", "--format", "json")
    assert r.code == ExitStatus.NO_MATCH == 1
    data = _json(r.out)
    assert data["matched"] is False and data["matches"] == []
    general = {p.id for p in mini_kb.pathways.values() if p.general}
    assert data["searches"] and {s["pathway"] for s in data["searches"]} <= general
    assert r.err.strip(), "a note should say that nothing specific matched"
    assert all(line.startswith("peerfind: ") for line in r.err.splitlines())


def test_crisis_need_counts_as_matched(run):
    r = run(*MINI_ARGS, "search", "i want to die", "--format", "json")
    assert r.code == 0
    data = _json(r.out)
    assert data["crisis"]["detected"] is True
    assert data["matches"] == []  # nothing else matched, yet it is an answer
    assert data["matched"] is True


def test_unknown_population_is_usage_error_with_suggestion(run):
    r = run(*MINI_ARGS, "search", "--population", "veteran")
    assert r.code == ExitStatus.ERROR == 2
    assert r.out == ""
    assert r.err.startswith("peerfind: ")
    assert "veterans" in r.err  # the id it probably meant
    assert len(r.err.splitlines()) == 1


def test_unknown_condition_suggests_the_close_id(run):
    r = run(*MINI_ARGS, "search", "--condition", "alcohl")
    assert r.code == 2 and r.out == ""
    assert "alcohol" in r.err


@pytest.mark.parametrize("need", ["", "   ", "\t \n"])
def test_empty_need_is_usage_error(run, need):
    r = run(*MINI_ARGS, "search", need)
    assert r.code == 2
    assert r.out == ""
    assert r.err.startswith("peerfind: ")


def test_no_need_and_no_options_is_usage_error(run):
    r = run(*MINI_ARGS, "search")
    assert r.code == 2 and r.out == ""


def test_bad_format_is_usage_error(run):
    r = run(*MINI_ARGS, "search", "vet", "--format", "yaml")
    assert r.code == 2 and r.out == ""
    assert "Traceback" not in r.err


def test_a_first_word_that_is_no_command_is_a_need(run):
    # Issue 16: `peerfind "I want to ..."` without `search` is answered, never quoted back.
    r = run(*MINI_ARGS, "serch", "vet")
    assert r.code == 0 and "Veterans" in r.out
    assert "serch" not in r.err


def test_unknown_engine_is_usage_error(run):
    r = run(*MINI_ARGS, "search", "vet", "--engine", "altavista")
    assert r.code == 2 and r.out == ""


# -- version and help ---------------------------------------------------------------------

def test_version_subprocess():
    p = _py("--version")
    assert p.returncode == 0
    assert peerfind.__version__ in p.stdout.decode()
    assert p.stderr == b""


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("search", "--help")])
def test_version_and_help_go_to_the_environment_stdout(run, args):
    r = run(*args)
    assert r.code == 0
    assert r.out.strip(), "the answer belongs on the Environment's stdout"


def test_python_m_help_lists_every_command():
    p = _py("--help")
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode()
    for name in _command_names():
        assert re.search(rf"^\s+{re.escape(name)}\s", out, re.M), name
    assert p.stderr == b""


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_help_text(name):
    from typer.main import get_command
    from typer.testing import CliRunner

    from peerfind.cli import app

    command = get_command(app).commands[name]
    assert command.help and command.help.strip(), f"{name} has no help text"
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    first_words = " ".join(command.help.split()[:3])
    assert first_words in " ".join(result.output.split())


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_named_in_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"(peerfind\s+|`){re.escape(name)}\b", readme), \
        f"README.md does not document `peerfind {name}`"


# -- list, show, about, crisis ------------------------------------------------------------

@pytest.mark.parametrize("section", list(SECTIONS))
def test_list_every_section_json(run, mini_kb, section):
    r = run(*MINI_ARGS, "list", section, "--format", "json")
    assert r.code == 0, r.err
    rows = _json(r.out)
    assert [row["id"] for row in rows] == list(mini_kb.sections[section])
    assert [row["name"] for row in rows] == [e.name for e in mini_kb.sections[section].values()]


def test_list_plain_one_line_per_entry(run, mini_kb):
    r = run(*MINI_ARGS, "list", "populations")
    assert r.code == 0 and r.err == ""
    lines = r.out.splitlines()
    assert [line.split()[0] for line in lines] == list(mini_kb.populations)


def test_list_unknown_section(run):
    r = run(*MINI_ARGS, "list", "people")
    assert r.code == 2 and r.out == ""


def test_show_veterans_text(run, mini_kb):
    entry = mini_kb.populations["veterans"]
    r = run(*MINI_ARGS, "show", "veterans")
    assert r.code == 0 and r.err == ""
    assert entry.name in r.out
    for alias in entry.aliases:
        assert alias in r.out
    for setting in entry.settings:
        assert mini_kb.settings[setting].name in r.out


def test_show_veterans_json(run, mini_kb):
    entry = mini_kb.populations["veterans"]
    r = run(*MINI_ARGS, "show", "veterans", "--format", "json")
    assert r.code == 0
    data = _json(r.out)
    assert data["id"] == "veterans" and data["name"] == entry.name
    assert data["kind"] == "population"
    assert data["links"]["settings"] == list(entry.settings)
    assert data["links"]["pathways"] == list(entry.pathways)


def test_show_veterans_builtin(run):
    r = run("show", "veterans", "--format", "json")
    assert r.code == 0, r.err
    assert _json(r.out)["id"] == "veterans"


def test_show_unknown_id_suggests(run):
    r = run(*MINI_ARGS, "show", "veteran")
    assert r.code == 2 and r.out == ""
    assert "veterans" in r.err
    assert len(r.err.splitlines()) == 1


def test_about_names_the_five_principles(run, kb):
    assert len(kb.principles) == 5
    r = run("about")
    assert r.code == 0, r.err
    for principle in kb.principles.values():
        assert principle.name in r.out


def test_about_json_principles(run, kb):
    r = run("about", "--format", "json")
    assert r.code == 0, r.err
    names = [p["name"] for p in _json(r.out)["principles"]]
    assert names == [p.name for p in kb.principles.values()]


def test_crisis_lists_the_national_lines(run):
    r = run("crisis")
    assert r.code == 0, r.err
    for number in ("988", "741741", "838255"):
        assert number in r.out


def test_crisis_json(run, mini_kb):
    r = run(*MINI_ARGS, "crisis", "--format", "json")
    assert r.code == 0
    data = _json(r.out)
    assert data["crisis"]["detected"] is True
    ids = [o["id"] for o in data["crisis"]["resources"]]
    assert ids == [res.organization for res in mini_kb.crisis.resources]


def test_search_population_veterans_json_contract(run, kb):
    r = run("search", "--population", "veterans", "--format", "json")
    assert r.code == 0, r.err
    data = _json(r.out)
    assert data["matches"][0]["id"] == "veterans"
    assert data["matches"][0]["kind"] == "population"
    mentioning = [s for s in data["searches"] if "veteran" in s["query"].lower()]
    assert len(mentioning) >= 3
    assert data["organization_types"]
    for setting in data["organization_types"]:
        assert setting["name"] and setting["id"] in kb.settings


@pytest.mark.parametrize("population", [
    "veterans", "youth", "college-students", "family", "new-parents", "lgbtq", "tribal",
    "older-adults", "chronic-illness", "substance-use", "justice-involved", "housing",
])
def test_builtin_populations_answer(run, population):
    r = run("search", "--population", population, "--format", "json")
    assert r.code == 0, r.err
    data = _json(r.out)
    assert data["matches"][0]["id"] == population
    assert data["searches"]


# -- streams ------------------------------------------------------------------------------

@pytest.mark.parametrize("need, code", [("vet drinking", 0), ("zzzz qqqq", 1),
                                        ("i want to die", 0)])
def test_quiet_prints_nothing_but_keeps_the_code(run, need, code):
    r = run(*MINI_ARGS, "search", need, "--quiet")
    assert (r.code, r.out, r.err) == (code, "", "")


def test_quiet_batch_prints_nothing(run):
    r = run(*MINI_ARGS, "batch", "--quiet", stdin="vet\nzzzz\n")
    assert (r.code, r.out, r.err) == (0, "", "")


@pytest.mark.parametrize("fmt", ["plain", "json", "csv", "markdown"])
def test_stderr_empty_on_a_clean_run(run, fmt):
    r = run(*MINI_ARGS, "search", "vet drinking", "--format", fmt)
    assert r.code == 0 and r.out
    assert r.err == ""


def test_notes_go_to_stderr_not_stdout(run):
    r = run(*MINI_ARGS, "search", "zzzz qqqq", "--format", "json")
    assert r.err
    data = _json(r.out)  # stdout is exactly the format: the note did not get in
    for line in r.err.splitlines():
        assert line not in r.out
    assert data["notes"], "the note is also part of the answer's data"


# -- internal errors ----------------------------------------------------------------------

def _boom(*args, **kwargs):
    raise RuntimeError(SECRET)


def test_internal_error_is_one_line_without_the_message(run, monkeypatch):
    import peerfind.answer.finder

    monkeypatch.setattr(peerfind.answer.finder, "answer", _boom)
    r = run(*MINI_ARGS, "search", "vet")
    assert r.code == ExitStatus.INTERNAL_ERROR
    assert r.err == "peerfind: internal error: RuntimeError, rerun with --debug\n"
    assert SECRET not in r.err and SECRET not in r.out
    assert "Traceback" not in r.err


def test_internal_error_with_debug_raises(run, monkeypatch):
    import peerfind.answer.finder

    monkeypatch.setattr(peerfind.answer.finder, "answer", _boom)
    with pytest.raises(RuntimeError, match=SECRET):
        run(*MINI_ARGS, "--debug", "search", "vet")


def test_internal_error_with_debug_env_raises(run, monkeypatch):
    import peerfind.answer.finder

    monkeypatch.setattr(peerfind.answer.finder, "answer", _boom)
    with pytest.raises(RuntimeError):
        run(*MINI_ARGS, "search", "vet", environ={"PEERFIND_DEBUG": "1"})


_FAULTY = (
    "import sys, peerfind.answer.finder\n"
    "def boom(*a, **k): raise RuntimeError(%r)\n"
    "peerfind.answer.finder.answer = boom\n"
    "from peerfind.main import main\n"
    "raise SystemExit(main(sys.argv[1:]))\n" % SECRET
)


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_traceback_only_with_debug_subprocess(debug):
    args = [*MINI_ARGS, *(["--debug"] if debug else []), "search", "vet"]
    p = subprocess.run([sys.executable, "-c", _FAULTY, *args], capture_output=True, timeout=60)
    err = p.stderr.decode()
    assert p.stdout == b""
    if debug:
        assert "Traceback" in err and "RuntimeError" in err
    else:
        assert p.returncode == ExitStatus.INTERNAL_ERROR
        assert err == "peerfind: internal error: RuntimeError, rerun with --debug\n"


def test_interrupt_exits_130_quietly(run, monkeypatch):
    import peerfind.answer.finder

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(peerfind.answer.finder, "answer", interrupt)
    r = run(*MINI_ARGS, "search", "vet")
    assert r.code == ExitStatus.INTERRUPTED == 130
    assert "Traceback" not in r.err


# -- real processes and pipes -------------------------------------------------------------

def test_json_stdout_parses_in_a_real_process():
    p = _py(*MINI_ARGS, "search", "vet drinking", "--format", "json")
    assert p.returncode == 0
    data = json.loads(p.stdout.decode("utf-8"))
    assert data["schema_version"] >= 1
    assert p.stderr == b""


def test_piped_output_is_plain_in_a_real_process():
    p = _py(*MINI_ARGS, "search", "vet drinking", env=dict(os.environ, NO_COLOR=""))
    assert p.returncode == 0
    assert b"\x1b" not in p.stdout
    assert b"https://" in p.stdout


def _shell(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], capture_output=True, timeout=120,
                          env=dict(os.environ))


def _peerfind_cmd() -> str:
    return " ".join([sys.executable, "-m", "peerfind", *MINI_ARGS])


def test_search_into_head(tmp_path):
    p = _shell(f"set -o pipefail; {_peerfind_cmd()} search 'vet drinking' | head -n 1")
    assert p.stderr == b"", p.stderr.decode()
    assert len(p.stdout.decode().splitlines()) == 1
    assert p.returncode in (0, ExitStatus.BROKEN_PIPE)


@pytest.mark.parametrize("fmt", ["ndjson", "json", "csv", "tsv"])
def test_batch_of_2000_lines_into_head(tmp_path, fmt):
    needs = tmp_path / "needs.txt"
    needs.write_text("".join(f"vet drinking {n}\n" for n in range(2000)), encoding="utf-8")
    p = _shell(f"set -o pipefail; {_peerfind_cmd()} batch --format {fmt} < {needs} | head -n 1")
    assert p.stderr == b"", p.stderr.decode()
    assert b"Exception ignored" not in p.stderr and b"Traceback" not in p.stderr
    assert len(p.stdout.splitlines()) == 1
    # head leaves after one line: the writer sees a closed pipe and stops like a filter.
    assert p.returncode == ExitStatus.BROKEN_PIPE


def _into_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    read, write = os.pipe()
    os.close(read)  # every write to stdout now fails: deterministic, unlike racing `head`
    try:
        return subprocess.run([sys.executable, "-m", "peerfind", *args], stdout=write,
                              stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write)


@pytest.mark.parametrize("fmt", [
    "plain", "json", "ndjson", "csv", "tsv", "markdown", "text",
])
def test_closed_pipe_exits_141_silently(fmt):
    p = _into_closed_pipe(*MINI_ARGS, "search", "vet drinking", "--format", fmt)
    assert p.stderr == b""
    assert p.returncode == ExitStatus.BROKEN_PIPE


# -- shell completion ---------------------------------------------------------------------

def _complete(shell: str, words: str, cword: int | None = None) -> str:
    env = dict(os.environ, _PEERFIND_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(cword))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words)
        if shell == "fish":
            env.update(_TYPER_COMPLETE_FISH_ACTION="get-args")
    p = subprocess.run([sys.executable, "-m", "peerfind"], env=env, capture_output=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode()


@pytest.mark.parametrize("shell, words, cword", [
    ("bash", "peerfind search --population vet", 3),
    ("bash", "peerfind search -p vet", 3),
    ("zsh", "peerfind search --population vet", None),
    ("fish", "peerfind search --population vet", None),
])
def test_completion_offers_population_ids(shell, words, cword):
    out = _complete(shell, words, cword)
    assert "veterans" in out
    assert "youth" not in out  # only ids that start with what was typed


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_offers_condition_ids(shell):
    words = "peerfind search --condition alc"
    out = _complete(shell, words, 3 if shell == "bash" else None)
    assert "alcohol" in out


def test_completion_offers_commands():
    out = _complete("bash", "peerfind se", 1)
    assert "search" in out.split()


def test_completion_sees_peerfind_kb(tmp_path, monkeypatch):
    local = tmp_path / "local.yaml"
    local.write_text("populations:\n  - id: zzfarmworkers\n    name: Farmworkers\n",
                     encoding="utf-8")
    monkeypatch.setenv("PEERFIND_KB", str(local))
    out = _complete("bash", "peerfind search --population zzf", 3)
    assert out.split() == ["zzfarmworkers"]


def test_global_options_that_take_a_value_come_from_the_cli():
    from peerfind.cli import app
    from peerfind.main import _global_options_with_values

    assert _global_options_with_values(app) == {"--kb"}
