"""Measure local listings at scale (issue 14): import 100,000 services, the first search after
it, and later searches with them layered in, against the same searches without.

    python benchmarks/bench_local.py [--services 100000] [--runs 9] [--work DIR]

Each command runs as its own process (the installed `peerfind` script); time is wall clock,
memory the process's peak resident size. Later searches are interleaved with the same search
without listings, and the fastest third of each compared, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEED = "veteran support group"
FILTERS = {"plain": [], "near": ["--near", "33137"], "open-now": ["--open-now"],
           "near + open-now": ["--near", "33137", "--open-now"]}


CPU: dict[str, float] = {}


def measure(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak MB of one command, run through a fresh measuring process (its
    CPU seconds, user and system, are kept in CPU under the command's first argument)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.PIPE); w = time.perf_counter() - t; "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(w, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime, r.returncode); "
             "sys.stderr.write(r.stderr.decode()[-400:])")
    out = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True,
                         text=True, check=True)
    wall, peak, cpu, code = out.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"{' '.join(args)} failed ({code}): {out.stderr}")
    CPU[args[1]] = float(cpu)
    return float(wall), float(peak)


def fastest(values: list[float]) -> float:
    values = sorted(values)
    third = values[: max(1, len(values) // 3)]
    return sum(third) / len(third)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-import", action="store_true",
                        help="Reuse WORK/local.db from an earlier run.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="peerfind-bench-"))
    package, store, cache = work / "hsds", work / "local.db", work / "cache"
    env = dict(os.environ, PEERFIND_CACHE_DIR=str(cache), NO_COLOR="1")
    peerfind = shutil.which("peerfind") or "peerfind"
    if not (package / "services.csv").exists():
        subprocess.run([sys.executable, str(HERE / "make_hsds.py"), str(package),
                        "--services", str(args.services)], check=True)
    results = {}
    if not args.no_import:
        store.unlink(missing_ok=True)
        wall, peak = measure([peerfind, "import-hsds", str(package), "--all", "-o", str(store)],
                             env)
        results["import"] = {"seconds": round(wall, 1),
                             "cpu_seconds": round(CPU["import-hsds"], 1), "peak_mb": round(peak)}
    shutil.rmtree(cache, ignore_errors=True)
    search = [peerfind, "search", NEED, "--format", "json"]
    wall, peak = measure([peerfind, "--kb", str(store), *search[1:]], env)
    results["first search, cold cache"] = {"seconds": round(wall, 2), "peak_mb": round(peak)}
    for name, extra in FILTERS.items():
        base, layered = [], []
        for _ in range(args.runs):
            base.append(measure([*search, *extra], env)[0])
            layered.append(measure([peerfind, "--kb", str(store), *search[1:], *extra], env)[0])
        b, l = fastest(base), fastest(layered)
        results[f"search {name}"] = {"without_ms": round(b * 1000, 1),
                                     "with_ms": round(l * 1000, 1),
                                     "extra": f"{(l / b - 1) * 100:+.0f}%"}
    print(json.dumps({"services": args.services, "python": sys.version.split()[0],
                      "cores": os.cpu_count(), "load": os.getloadavg()[0],
                      "results": results}, indent=1))


if __name__ == "__main__":
    main()
