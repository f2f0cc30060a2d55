"""How well peerfind reads needs written in Spanish, measured on an evaluation set written apart
from the vocabulary (tests/eval/es_needs.yaml): everyday Spanish, Spanglish, no accents, typos.
Misses are printed (pytest -s, or on failure)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from peerfind.answer.finder import read
from peerfind.answer.request import make_request

EVAL = Path(__file__).resolve().parent / "eval" / "es_needs.yaml"
POPULATION_TOP1 = 0.90


@pytest.fixture(scope="module")
def cases():
    return yaml.safe_load(EVAL.read_text(encoding="utf-8"))


def _read(kb, text):
    request, _ = make_request(kb, text, environ={})  # the need's own words choose the language
    reading, crisis = read(kb, request)
    return request, reading.matches, crisis


def _report(name, misses, total):
    rate = 1 - len(misses) / total
    print(f"\n{name}: {total - len(misses)}/{total} = {rate:.1%}")
    for line in misses:
        print("  miss:", line)
    return rate


def test_eval_set_is_large_and_valid(cases, kb):
    assert len(cases["needs"]) >= 120 and len(cases["not_crisis"]) >= 30
    for case in cases["needs"]:
        for population in case["populations"]:
            assert population in kb.populations, population


def test_spanish_needs_are_answered_in_spanish(cases, kb):
    misses = [c["need"] for c in cases["needs"] if _read(kb, c["need"])[0].lang != "es"]
    assert _report("answered in Spanish", misses, len(cases["needs"])) == 1.0


def test_population_top1(cases, kb):
    named = [c for c in cases["needs"] if c["populations"]]
    misses = []
    for case in named:
        found = [m.id for m in _read(kb, case["need"])[1] if m.kind == "population"]
        if not found or found[0] != case["populations"][0]:
            misses.append(f"{case['need']!r}: expected {case['populations'][0]}, got {found[:3]}")
    assert _report("population top-1", misses, len(named)) >= POPULATION_TOP1


def test_every_crisis_is_read(cases, kb):
    misses = [c["text"] for c in cases["crisis"] if not _read(kb, c["text"])[2].detected]
    assert _report("crisis read", misses, len(cases["crisis"])) == 1.0


def test_every_emergency_leads_with_911(cases, kb):
    misses = [c["text"] for c in cases["emergency"] if not _read(kb, c["text"])[2].emergencies]
    assert _report("emergency read", misses, len(cases["emergency"])) == 1.0


def test_no_false_alarms(cases, kb):
    alarms = [c["text"] for c in cases["not_crisis"] if _read(kb, c["text"])[2].detected]
    assert _report("no false alarm", alarms, len(cases["not_crisis"])) == 1.0
