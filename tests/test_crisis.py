"""Crisis detection: every crisis phrasing shows the crisis lines; idioms do not alarm."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from peerfind import search
from peerfind.crisis import crisis_lines, detector_for

CASES = yaml.safe_load((Path(__file__).resolve().parent / "eval" / "crisis.yaml").read_text())


def test_sets_are_large_enough():
    assert len(CASES["crisis"]) >= 40 and len(CASES["not_crisis"]) >= 40


@pytest.mark.parametrize("need", CASES["crisis"])
def test_crisis_detected(kb, need):
    assert detector_for(kb).detect(need), need


@pytest.mark.parametrize("need", CASES["not_crisis"])
def test_not_crisis(kb, need):
    assert not detector_for(kb).detect(need), need


def test_crisis_lines_come_from_checked_facts(kb):
    for org in crisis_lines(kb):
        assert org.source and org.checked, org.id
        assert org.type == "crisis-line", org.id


def test_no_press_3_anywhere():
    text = (Path(__file__).resolve().parents[1] / "data" / "resources.yaml").read_text().lower()
    assert "press 3" not in text


def test_crisis_resources_in_json(kb):
    data = search("i want to end my life", kb=kb).to_dict()
    assert data["crisis"]["detected"] is True
    phones = [r["phone"] for r in data["crisis"]["resources"]]
    assert "988" in phones


def test_veteran_in_crisis_gets_veterans_crisis_line(kb):
    data = search("im a vet and i want to kill myself", kb=kb).to_dict()
    texts = [r["text"] for r in data["crisis"]["resources"]]
    assert "838255" in texts


def test_crisis_opens_text_output(run):
    result = run("search", "i want to end my life")
    assert result.code == 0
    assert "988" in "\n".join(result.out.splitlines()[:6])


def test_every_text_answer_ends_with_988_line(run):
    for args in (["search", "vet"], ["search", "zzzz qqqq"], ["crisis"]):
        last = run(*args).out.rstrip().splitlines()[-1]
        assert "988" in last


def test_crisis_command_lists_the_lines(run):
    out = run("crisis").out
    for number in ("988", "741741", "838255"):
        assert number in out
