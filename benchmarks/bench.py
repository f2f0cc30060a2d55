"""Measure peerfind's speed targets as ratios, side by side in one run (standard library only).

    python benchmarks/bench.py [--rounds 15]

The floor is `python -c "import typer"` in the same environment: no Typer CLI starts faster.
Commands run as users run them, through the installed `peerfind` script, interleaved with the
floor, and the fastest quarter of each side is compared: noise on a shared machine only ever
adds time, and it slows both sides alike. The batch target is a rate, so it takes the
fastest of three runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
# The installed console script, as users run it (python -m peerfind when it is not there).
_SCRIPT = Path(PY).parent / ("peerfind.exe" if os.name == "nt" else "peerfind")
PEERFIND = [str(_SCRIPT)] if _SCRIPT.is_file() else [PY, "-m", "peerfind"]
POPULATIONS = ["veterans", "youth", "college-students", "family", "new-parents", "lgbtq", "tribal",
               "older-adults", "chronic-illness", "substance-use", "justice-involved", "housing"]
SETTINGS_HINT = ["peer-support-groups", "warmlines", "online-communities"]
NEED_WORDS = [
    "marine vet drinking too much", "new mom feeling overwhelmed", "my son is addicted to pills",
    "gay teen being bullied", "lost my husband last year", "just got out of prison need work",
    "living in my car and using again", "college student with panic attacks",
    "native elder with diabetes", "my sister has bipolar", "trans and lonely", "hearing voices",
    "retired and isolated", "ptsd from deployment", "sober 2 years looking for a group",
    "caregiver for my mom with dementia", "eating disorder recovery", "meth and homeless",
]


def _env(cache: str) -> dict:
    env = dict(os.environ, PEERFIND_CACHE_DIR=cache, COLUMNS="100")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PEERFIND_NO_CACHE", None)
    env.pop("PEERFIND_KB", None)
    return env


def _run(cmd, env, tty=False, stdin=None) -> float:
    start = time.perf_counter()
    if tty:
        main, follower = pty.openpty()
        proc = subprocess.Popen(cmd, env=env, stdout=follower, stderr=subprocess.DEVNULL)
        os.close(follower)
        while True:  # drain the terminal so the child never blocks on a full buffer
            try:
                if not os.read(main, 65536):
                    break
            except OSError:
                break
        proc.wait()
        os.close(main)
    else:
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=stdin, check=False)
    return time.perf_counter() - start


def _quick(samples: list[float]) -> float:
    # Noise on a shared machine only ever adds time: compare the fastest quarter of each side.
    ordered = sorted(samples)
    return statistics.mean(ordered[: max(1, len(ordered) // 4)])


def bench_start_up(env, rounds: int) -> list[bool]:
    """Start-up targets, every command interleaved with the floor in each round."""
    targets = [
        ("search --population veterans --format json",
         [*PEERFIND, "search", "--population", "veterans", "--format", "json"], 1.25, False),
        ('search "marine vet drinking too much" --format json',
         [*PEERFIND, "search", "marine vet drinking too much", "--format", "json"], 1.5, False),
        ('search "new mom feeling overwhelmed" (rich, terminal)',
         [*PEERFIND, "search", "new mom feeling overwhelmed"], 2.0, True),
    ]
    # Spanish (issue 13): each within 10% of its English twin, the target that counts; the
    # ratio to the floor is shown for the record.
    spanish = [
        ("search --population veterans --lang es --format json",
         [*PEERFIND, "search", "--population", "veterans", "--lang", "es", "--format", "json"],
         None, False, 0),
        ('search "mi esposo es veterano y toma todas las noches" --format json',
         [*PEERFIND, "search", "mi esposo es veterano y toma todas las noches", "--format",
          "json"], None, False, 1),
        ('search "mamá primeriza y me siento abrumada" (rich, terminal)',
         [*PEERFIND, "search", "mamá primeriza y me siento abrumada"], None, True, 2),
    ]
    twins = [None] * len(targets) + [twin for *_, twin in spanish]
    targets += [(label, cmd, target, tty) for label, cmd, target, tty, _ in spanish]
    floor: list[float] = []
    times: list[list[float]] = [[] for _ in targets]
    for _ in range(rounds):
        floor.append(_run([PY, "-c", "import typer"], env))
        for samples, (_, cmd, _, tty) in zip(times, targets):
            samples.append(_run(cmd, env, tty=tty))
    f = _quick(floor)
    met = []
    quick = [_quick(samples) for samples in times]
    for c, twin, (label, _, target, _) in zip(quick, twins, targets):
        ratio = c / f
        if target is None:
            print(f"{label:58} {c * 1000:7.1f} ms  floor {f * 1000:6.1f} ms  ratio {ratio:4.2f}")
        else:
            met.append(ratio <= target)
            print(f"{label:58} {c * 1000:7.1f} ms  floor {f * 1000:6.1f} ms  "
                  f"ratio {ratio:4.2f} (target <= {target})  {'met' if met[-1] else 'MISSED'}")
        if twin is not None:
            added = c / quick[twin] - 1
            met.append(added <= 0.10)
            print(f"{'  in Spanish, against the English one':58} {added:+7.1%}"
                  f"{'':28}(target <= +10%)  {'met' if met[-1] else 'MISSED'}")
    return met


def _needs(count: int) -> list[str]:
    rng = random.Random(7)
    extras = ["", " please", " in miami", " near me", " any groups?", " for my family"]
    return [rng.choice(NEED_WORDS) + rng.choice(extras) + (f" #{rng.randrange(400)}"
            if rng.random() < 0.5 else "") for _ in range(count)]


def bench_batch(env, count: int = 10_000, runs: int = 3) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        needs = Path(tmp) / "needs.txt"
        needs.write_text("\n".join(_needs(count)) + "\n")
        out = Path(tmp) / "out.ndjson"
        seconds = float("inf")
        for _ in range(runs):  # the fastest run: noise only ever adds time
            with open(needs, "rb") as stdin, open(out, "wb") as sink:
                start = time.perf_counter()
                subprocess.run([*PEERFIND, "batch"], env=env, stdin=stdin, stdout=sink, check=True)
                seconds = min(seconds, time.perf_counter() - start)
        rate = count / seconds
        lines = out.read_text().splitlines()
        # Identical to answering each need alone: compare a sample with single searches.
        rng = random.Random(3)
        same = True
        for index in rng.sample(range(count), 12):
            batch = json.loads(lines[index])
            text = batch["input"]["text"]
            single = json.loads(subprocess.run([*PEERFIND, "search", text, "--format", "json"],
                                               env=env, capture_output=True, text=True).stdout)
            batch["input"].pop("line")
            same &= batch == single
    verdict = "met" if rate >= 5000 and same and len(lines) == count else "MISSED"
    print(f"{'batch of 10,000 needs (fastest of 3 runs)':58} {seconds:7.2f} s   {rate:8.0f} needs/s (target >= 5000), "
          f"same as single: {same}  {verdict}")
    return verdict == "met"


def bench_big_kb(env, rounds: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "local.yaml"
        rng = random.Random(11)
        lines = ["organizations:"]
        for i in range(10_000):
            lines += [
                f"  - id: local-{i}",
                f"    name: Local peer group {i}",
                "    type: local-service",
                "    local: true",
                f"    description: A peer-led group that meets weekly, number {i}.",
                f"    populations: [{rng.choice(POPULATIONS)}]",
                f"    address: {rng.randrange(1, 9999)} Main St, Springfield, {rng.randrange(10000, 99999)}",
                "    contacts:",
                f"      - {{type: phone, value: \"555-{i % 1000:03d}-{i % 10000:04d}\"}}",
                "    source: generated for the benchmark",
                "    checked: 2026-11-01",
            ]
        big.write_text("\n".join(lines) + "\n")
        cmd = ["search", "marine vet drinking too much", "--format", "json"]
        subprocess.run([*PEERFIND, "--kb", str(big), *cmd], env=env, capture_output=True)
        plain, layered = [], []
        for _ in range(rounds):
            plain.append(_run([*PEERFIND, *cmd], env))
            layered.append(_run([*PEERFIND, "--kb", str(big), *cmd], env))
    p, l = _quick(plain), _quick(layered)
    added = l / p - 1
    verdict = "met" if added <= 0.20 else "MISSED"
    print(f"{'10,000 local organizations, free-text search':58} {l * 1000:7.1f} ms  "
          f"without {p * 1000:6.1f} ms  adds {added:+.0%} (target <= +20%)  {verdict}")
    return verdict == "met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory() as cache:
        env = _env(cache)
        subprocess.run([*PEERFIND, "search", "vet", "--format", "json"], env=env,
                       capture_output=True)  # warm the knowledge-base cache
        results = [*bench_start_up(env, args.rounds), bench_batch(env),
                   bench_big_kb(env, args.rounds)]
    print("all targets met" if all(results) else "some targets missed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
