"""The second readers (answer/reader.py): their tables are what the training script makes from
the evaluation sets, every weight is found where a table says, they only add, and a search by
ids never reads them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peerfind import search
from peerfind.answer import reader as reader_module
from peerfind.answer.crisis import CrisisDetector, detector_for
from peerfind.answer.reader import DATA, TABLES, features, parse, reader

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "train_crisis_reader.py"


def test_the_table_is_what_the_script_makes_from_the_sets():
    """Change a set or the crisis words, and this says to run the script again."""
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True)
    assert done.returncode == 0, "run: python scripts/train_crisis_reader.py"


def test_the_script_never_reads_the_held_out_sets():
    source = SCRIPT.read_text(encoding="utf-8")
    sets = source[source.index("CRISIS_SETS ="):source.index("# People-set needs")]
    named = set(re.findall(r'"([a-z_0-9]+)"', sets))
    assert named and not named & {"people4", "crisis_people4", "crisis_people20"}


@pytest.mark.parametrize("name", TABLES)
def test_every_weight_is_found_where_the_header_says(name):
    weighed = reader(name)
    assert weighed is not None
    lines = [line for line in (DATA / f"{name}-reader.tsv").read_text(
        encoding="utf-8").split("\n")[3:] if line]
    assert len(lines) > 200
    for line in lines:
        feature, weight = line.split("\t")
        assert weighed.weight(feature) == float(weight), feature
    assert weighed.weight("zzzz_not_a_feature") == 0.0 and weighed.weight("") == 0.0
    assert 0.0 < weighed.threshold < 1.0


@pytest.mark.parametrize("name", TABLES)
def test_a_batch_reads_as_a_single_search_does(name, monkeypatch):
    """After PARSE_AFTER needs the table is a dictionary: the same weights, the same sums."""
    monkeypatch.setattr(reader_module, "PARSE_AFTER", 2)
    needs = ["i cant do this anymore", "he isnt breathing and his lips are blue",
             "looking for a peer group for veterans", "took all my pills", "hello"]
    text = (DATA / f"{name}-reader.tsv").read_text(encoding="utf-8")
    single = [parse(text).probability(need) for need in needs]
    batch = parse(text)
    read = [batch.probability(need) for need in needs]
    assert batch.weights is not None and read == single


def test_features_are_words_and_pairs():
    assert features("i cant do this anymore") == sorted(
        {"i", "cant", "do", "this", "anymore", "i_cant", "cant_do", "do_this", "this_anymore"})


def test_a_small_table_reads_as_written():
    text = "# bias\t-1.0\n# threshold\t0.5\n# blocks\ta:XX\n"
    head = "# bias\t-1.0\n# threshold\t0.5\n# blocks\t"
    body = "alone\t0.5\nalone_now\t2.0\n"
    start = len(head) + len("a:00000:00000\n")
    text = head + f"a:{start:05d}:{start + len(body):05d}\n" + body
    small = parse(text)
    assert small.weight("alone_now") == 2.0 and small.weight("alone") == 0.5
    assert small.reads("alone now") and not small.reads("together now")


def test_it_reads_a_crisis_in_words_no_pattern_holds(kb):
    need = ("i keep thinking everyone would cope fine without me. ive started giving my stuff "
            "to my friends and i feel weirdly calm")
    words_only = CrisisDetector(kb.crisis, kb.index.get("crisis"), correct=True)
    assert not words_only.read(need).crisis
    weighed = reader()
    assert weighed is not None and weighed.reads(detector_for(kb).clean(need))
    data = search(need, kb=kb).to_dict()
    assert data["crisis"]["detected"] and not data["emergency"]["detected"]


@pytest.mark.parametrize("need, kind", [
    ("my roommate took a handful of something an hour ago and now she is cold and clammy and "
     "wont respond to me", "overdose"),
    ("my husband is on top of me choking me right now", "danger"),
])
def test_it_reads_an_emergency_no_pattern_holds_and_leads_with_911(kb, need, kind):
    words_only = CrisisDetector(kb.crisis, kb.index.get("crisis"), correct=True)
    assert not words_only.read(need).emergencies
    data = search(need, kb=kb).to_dict()
    assert [k["id"] for k in data["emergency"]["kinds"]] == [kind]
    assert data["emergency"]["resources"][0]["id"] == "emergency-911"


@pytest.mark.parametrize("need", [
    "marine vet drinking too much",
    "new mom feeling overwhelmed and cant sleep",
    "looking for a grief group after my dad died last spring",
])
def test_everyday_needs_stay_calm(kb, need):
    assert not search(need, kb=kb).to_dict()["crisis"]["detected"]


def test_a_missing_table_leaves_the_words_alone(monkeypatch, tmp_path):
    monkeypatch.setattr(reader_module, "DATA", tmp_path)
    reader_module.reader.cache_clear()
    try:
        assert reader_module.reader() is None
    finally:
        reader_module.reader.cache_clear()


PROBE = """
import io, json, sys
from peerfind.main import main
from peerfind.env import Environment
main(sys.argv[1:], env=Environment(stdout=io.StringIO(), stderr=io.StringIO()))
print(json.dumps("peerfind.answer.reader" in sys.modules))
"""


def test_a_search_by_ids_never_reads_it(tmp_path):
    env = dict(os.environ, PEERFIND_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", PROBE, "search", "-p", "veterans", "--format",
                           "json"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) is False
