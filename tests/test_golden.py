"""Golden files: the exact output of every format people and programs read, for a handful of
needs. A change in wording or layout shows up as a reviewed diff of tests/golden/.

Regenerate them (after a change you mean) with:

    PEERFIND_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("PEERFIND_UPDATE_GOLDEN", "") not in ("", "0")

NEEDS = {
    "marine-vet": ("marine vet drinking too much", "--location", "Austin, TX"),
    "new-mom": ("new mom feeling overwhelmed",),
    "crisis-words": ("i want to kill myself",),
    "veterans-option": ("--population", "veterans"),
    "no-match": ("asdfgh",),
    "someone-else": ("I'm not a veteran but my husband is, and he drinks every night",),
    "worried": ("my daughter texted me she wants to kill herself",),
    "emergency": ("my friend took a bottle of pills and isnt breathing",),
    "place-in-words": ("I live outside Spokane and can't stop drinking",),
    # Spanish (issue 13): in Spanish by the need's own words, or by --lang.
    "es-family": ("mi esposo es veterano y toma todas las noches",),
    "es-crisis": ("ya no aguanto más",),
    "es-emergency": ("mi hermano no respira y tiene los labios morados",),
    "es-option": ("--population", "new-parents", "--lang", "es"),
    "es-mixed": ("my mom only speaks Spanish and is depressed",),
}
FORMATS = {"text": "txt", "plain": "txt", "markdown": "md", "json": "json", "csv": "csv"}
CASES = {f"search-{need}.{fmt}.{ext}": ("search", *args, "--format", fmt)
         for need, args in NEEDS.items() for fmt, ext in FORMATS.items()}
CASES.update({
    # The whole answer, past its first screen.
    **{f"search-{need}.all.plain.txt": ("search", *NEEDS[need], "--format", "plain", "--all")
       for need in ("marine-vet", "someone-else", "emergency", "es-family", "es-mixed")},
    "crisis.plain.txt": ("crisis", "--format", "plain"),
    "about.plain.txt": ("about", "--format", "plain"),
    "list-populations.plain.txt": ("list", "populations", "--format", "plain"),
    "show-veterans.plain.txt": ("show", "veterans", "--format", "plain"),
    "crisis-es.plain.txt": ("crisis", "--format", "plain", "--lang", "es"),
    "about-es.plain.txt": ("about", "--format", "plain", "--lang", "es"),
    "list-populations-es.plain.txt": ("list", "populations", "--format", "plain", "--lang", "es"),
    "show-lifeline-988-es.plain.txt": ("show", "lifeline-988", "--format", "plain", "--lang",
                                       "es"),
})
# The printable handout, for two needs; its date is fixed by SOURCE_DATE_EPOCH (2026-11-29).
CASES.update({f"search-{need}.html.html": ("search", *NEEDS[need], "--format", "html")
              for need in ("new-mom", "crisis-words")})
FIXED_DATE = {"SOURCE_DATE_EPOCH": "1795910400"}
BATCH_NEEDS = "".join(args[0] + "\n" for args in NEEDS.values() if not args[0].startswith("-"))
BATCH = {f"batch.{fmt}": ("batch", "--format", fmt) for fmt in ("ndjson", "json", "csv", "tsv")}


def _check(name: str, output: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(output.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(f"no golden file {name}: run PEERFIND_UPDATE_GOLDEN=1 python -m pytest "
                    f"tests/test_golden.py")
    assert output == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(run, name):
    result = run(*CASES[name], environ=FIXED_DATE)
    assert result.code in (0, 1), result.err
    _check(name, result.out)


@pytest.mark.parametrize("name", sorted(BATCH))
def test_golden_batch(run, name):
    result = run(*BATCH[name], stdin=BATCH_NEEDS)
    assert result.code == 0, result.err
    _check(name, result.out)


def test_readme_transcript_is_true():
    # The README's first transcript: every line it shows, in order, is in the real output
    # ("..." stands for lines left out).
    readme = (GOLDEN.parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Use", 1)[1].split("```", 2)[1]
    shown = [line for line in block.strip("\n").splitlines()[1:] if line.strip() != "..."]
    real = (GOLDEN / "search-marine-vet.plain.txt").read_text(encoding="utf-8").splitlines()
    at = 0
    for line in shown:
        assert line in real[at:], f"README transcript line not in the output: {line!r}"
        at = real.index(line, at) + 1
