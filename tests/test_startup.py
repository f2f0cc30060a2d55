"""Start-up stays light: with a warm cache, an exact-id JSON search, `crisis` and `--version`
import neither rich, PyYAML, RapidFuzz nor pydantic (the benchmark measures the time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("rich", "yaml", "rapidfuzz", "pydantic")
PROBE = """
import io, json, sys
from peerfind.main import main
from peerfind.env import Environment
out = io.StringIO()
code = main(sys.argv[1:], env=Environment(stdout=out, stderr=io.StringIO()))
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(%r))
print(json.dumps({"code": code, "loaded": loaded, "out": out.getvalue()}))
""" % (HEAVY,)


def _probe(tmp_path, *args):
    env = dict(os.environ, PEERFIND_CACHE_DIR=str(tmp_path))
    env.pop("PEERFIND_NO_CACHE", None)
    env.pop("PEERFIND_KB", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("args", [
    ("search", "--population", "veterans", "--format", "json"),
    ("search", "-p", "lgbtq", "-p", "youth", "--condition", "anxiety", "--format", "json"),
    ("crisis", "--format", "json"),
    ("--version",),
])
def test_light_paths_import_nothing_heavy(tmp_path, args):
    _probe(tmp_path, "search", "vet", "--format", "json")  # warm the cache
    result = _probe(tmp_path, *args)
    assert result["code"] == 0
    assert result["loaded"] == []


def test_cold_cache_does_load_yaml(tmp_path):
    # The probe can see imports: a cold run must parse YAML.
    result = _probe(tmp_path, "search", "--population", "veterans", "--format", "json")
    assert "yaml" in result["loaded"]
    assert json.loads(result["out"])["matches"][0]["id"] == "veterans"


@pytest.mark.parametrize("need", [
    "marine vet drinking too much",
    "new mom feeling overwhelmed",
    "struggling to stay sober, looking for support",  # words near "suicide" in length and letter
])
def test_free_text_without_misspellings_skips_rapidfuzz(tmp_path, need):
    _probe(tmp_path, "search", "vet", "--format", "json")
    result = _probe(tmp_path, "search", need, "--format", "json")
    assert result["code"] == 0
    assert result["loaded"] == []


def test_a_misspelt_need_does_load_rapidfuzz(tmp_path):
    _probe(tmp_path, "search", "vet", "--format", "json")
    result = _probe(tmp_path, "search", "vetrans with anxeity", "--format", "json")
    assert result["loaded"] == ["rapidfuzz"]
    assert [m["id"] for m in json.loads(result["out"])["matches"]][:2] == ["veterans", "anxiety"]


HANDOUT_MODULES = ("segno", "pexpect", "zxingcpp", "PIL", "peerfind.output.html",
                   "peerfind.output.handout", "peerfind.output.qr", "peerfind.output.files",
                   "peerfind.guide", "peerfind.language.phrases")
MODULES_PROBE = """
import io, json, sys
from peerfind.main import main
from peerfind.env import Environment
code = main(sys.argv[1:], env=Environment(stdout=io.StringIO(), stderr=io.StringIO()))
print(json.dumps(sorted(set(sys.modules) & set(%r))))
""" % (HANDOUT_MODULES,)


def _modules(tmp_path, *args):
    env = dict(os.environ, PEERFIND_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", MODULES_PROBE, *args], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("fmt", ["plain", "text", "json"])
def test_a_search_loads_no_handout_or_guide_machinery(tmp_path, fmt):
    assert _modules(tmp_path, "search", "new mom feeling overwhelmed", "--format", fmt) == []


def test_the_handout_loads_its_machinery_only_when_asked(tmp_path):
    loaded = _modules(tmp_path, "search", "new mom feeling overwhelmed", "--format", "html")
    assert {"segno", "peerfind.output.html", "peerfind.output.qr"} <= set(loaded)
    assert "pexpect" not in loaded and "peerfind.guide" not in loaded
