"""Helpers for the hostile-input tests: run the real command in a subprocess, forge a CRC-32,
and re-seal a cache file after tampering with it (whatever its integrity field)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peerfind(*args: str, stdin: bytes | str = b"", env: dict | None = None, timeout: float = 60,
             cwd: str | os.PathLike | None = None, **popen) -> subprocess.CompletedProcess:
    """`python -m peerfind ARGS` with bytes out; stderr decoded."""
    environ = dict(os.environ, **(env or {}))
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "peerfind", *args], input=data,
                          capture_output=True, env=environ, timeout=timeout, cwd=cwd, **popen)


def forge_crc32(data: bytes, marker: bytes, target: int) -> bytes:
    """`data` with the 8 bytes after `marker` chosen (each one of '@'..'_', so a YAML comment
    stays printable ASCII) so that its CRC-32 is `target`. CRC-32 is affine over GF(2): flip
    single bits, see what each does to the CRC, and solve the linear system."""
    at = data.index(marker) + len(marker)
    base = bytearray(data)
    base[at:at + 8] = b"@" * 8
    start = zlib.crc32(bytes(base))
    columns = []  # (effect on the crc, bit mask of the free bit)
    for i in range(8):
        for bit in range(5):
            flipped = bytearray(base)
            flipped[at + i] ^= 1 << bit
            columns.append((zlib.crc32(bytes(flipped)) ^ start, (i, bit)))
    want = start ^ target
    # Gaussian elimination over GF(2): rows are (effect, set of free bits used).
    pivots: dict[int, tuple[int, int]] = {}  # highest bit -> (effect, which columns)
    for n, (effect, _) in enumerate(columns):
        used = 1 << n
        while effect:
            top = effect.bit_length() - 1
            if top not in pivots:
                pivots[top] = (effect, used)
                break
            effect ^= pivots[top][0]
            used ^= pivots[top][1]
    chosen = 0
    while want:
        top = want.bit_length() - 1
        if top not in pivots:
            raise ValueError("no solution with these free bits")
        want ^= pivots[top][0]
        chosen ^= pivots[top][1]
    for n, (_, (i, bit)) in enumerate(columns):
        if chosen >> n & 1:
            base[at + i] ^= 1 << bit
    assert zlib.crc32(bytes(base)) == target
    return bytes(base)


def reseal(path: Path, parts: dict | None = None) -> None:
    """Rewrite a JSON-lines cache file, replacing named parts, with its integrity field made to
    agree again: whoever can write the file can do as much."""
    header, _, body = path.read_bytes().partition(b"\n")
    head = json.loads(header)
    lines = body.split(b"\n")
    names = head["parts"]
    for name, value in (parts or {}).items():
        lines[names.index(name)] = json.dumps(value).encode()
    body = b"\n".join(lines)
    if "crc" in head:
        head["crc"] = zlib.crc32(body)
    for key in ("blake2b", "digest"):
        if key in head:
            from hashlib import blake2b

            head[key] = blake2b(body, digest_size=len(bytes.fromhex(head[key]))).hexdigest()
    path.write_bytes(json.dumps(head).encode() + b"\n" + body)


def cache_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("kb-") and
                  p.name.endswith(".jsonl") and p.name.count(".") == 1)
