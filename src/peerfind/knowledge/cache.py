"""The cache of loaded knowledge bases, in the user's cache directory, keyed by the files'
contents. It holds only knowledge-base data, never anything a user typed.

The cache is JSON lines: a header, then one line per part (each section, each part of the
index). A part is decoded only when first read: an exact-id search never decodes the
matcher's alias index, which is a third of the file (about 1.2 ms of a 2 ms decode).
Local listings sit in a second JSON-lines file, read one line at a time at their byte offsets.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__

CACHE_FORMAT = 8  # bump when the cached structure changes


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = environ if environ is not None else os.environ
    if env.get("PEERFIND_CACHE_DIR"):
        return Path(env["PEERFIND_CACHE_DIR"])
    if sys.platform == "win32":
        base = env.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "peerfind" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "peerfind"
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peerfind"


class Parts(MutableMapping[str, Any]):
    """Named JSON documents, kept as bytes until first read."""

    def __init__(self, raw: dict[str, bytes]) -> None:
        self._raw = raw
        self._parsed: dict[str, object] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._parsed:
            self._parsed[name] = json.loads(self._raw[name])
        return self._parsed[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._parsed[name] = value

    def __delitem__(self, name: str) -> None:
        if self._raw.pop(name, None) is None and name not in self._parsed:
            raise KeyError(name)
        self._parsed.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._raw or name in self._parsed

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._raw), **dict.fromkeys(self._parsed)})

    def __len__(self) -> int:
        return len(self._raw.keys() | self._parsed.keys())


def local_lines(cache_file: Path) -> Path:
    return cache_file.with_name(f"{cache_file.stem}.local.jsonl")


def _writelocal_lines(path: Path, records: list[dict]) -> list[int]:
    """Local listings, one JSON line each; returns where each line starts, and where the last
    ends. Decoding ten thousand listings costs more than a whole search, and a search shows ten."""
    offsets = [0]
    tmp = _temporary(path)
    with open(tmp, "wb") as handle:
        for record in records:
            line = _dumps(record) + b"\n"
            handle.write(line)
            offsets.append(offsets[-1] + len(line))
    os.replace(tmp, path)  # another peerfind may be reading the same file: never half of it
    return offsets


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _dumps(value: Any) -> bytes:
    # One line: json escapes every newline inside strings.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def cache_key(sources: Sequence[tuple[str, bytes]]) -> str:
    # CRC-32 of each file's content with its size: cheap enough to compute on every run
    # (hashlib's import alone costs more than the rest of an exact-id search).
    parts = [f"{CACHE_FORMAT}", __version__]
    parts += [f"{len(raw):x}-{zlib.crc32(raw):08x}" for _, raw in sources]
    total = sum(len(raw) for _, raw in sources)
    return f"{zlib.crc32('/'.join(parts).encode()):08x}-{total:x}"


def read_cache(path: Path) -> tuple[Parts, Parts] | None:
    """The cache's data and index parts, or None when it is missing, stale or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header, _, body = raw.partition(b"\n")
    try:
        head = json.loads(header)
    except ValueError:
        return None
    lines = body.split(b"\n")
    if (not isinstance(head, dict) or head.get("crc") != zlib.crc32(body)
            or not isinstance(head.get("parts"), list) or len(head["parts"]) != len(lines)):
        return None
    data, index = {}, {}
    for name, line in zip(head["parts"], lines):
        if name.startswith("index:"):
            index[name[6:]] = line
        else:
            data[name] = line
    return Parts(data), Parts(index)


def write_cache(path: Path, merged: dict[str, Any], index: Mapping[str, Any]) -> None:
    # Best effort: a read-only home or a full disk only costs speed next time. The main file
    # is written last, so its presence means the cache is whole.
    organizations = merged.get("organizations", ())
    local = [r for r in organizations if r.get("local")]
    data = dict(merged, organizations=[r for r in organizations if not r.get("local")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if local:
            data["local-offsets"] = _writelocal_lines(local_lines(path), local)
            data["local-ids"] = [record["id"] for record in local]
        parts = {**data, **{f"index:{name}": value for name, value in index.items()}}
        body = b"\n".join(_dumps(value) for value in parts.values())
        header = _dumps({"format": CACHE_FORMAT, "parts": list(parts), "crc": zlib.crc32(body)})
        tmp = _temporary(path)
        tmp.write_bytes(header + b"\n" + body)
        os.replace(tmp, path)
        for old in path.parent.glob("kb-*"):
            if not old.name.startswith(path.stem) and old.stat().st_mtime < path.stat().st_mtime - 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass
