"""The cache of loaded knowledge bases, in the user's cache directory, keyed by the files'
contents. It holds only knowledge-base data, never anything a user typed.

The cache is JSON lines: a header, then one line per part (each section, each part of the
index). A part is decoded only when first read: an exact-id search never decodes the
matcher's alias index, which is a third of the file (about 1.2 ms of a 2 ms decode).
Local listings sit in a second JSON-lines file, read one line at a time at their byte offsets.

What is read back is checked before it is believed (issue 16):
- the file name is a BLAKE2b hash of the format, the version and every file's content, so no
  crafted file can share another's cache (CRC-32, used before, can be forged in a moment);
- a cache file is read only if it is a regular file that the user owns and nobody else may
  write (atomic.read_trusted), and its body must match a BLAKE2b digest keyed with a random
  key kept in the cache folder (`key`, mode 0600): damage of any kind, and a file made by
  anyone who cannot read the key, fail the check. The header's shape is checked too, and a
  header that cannot be decoded (even one nested a million deep) counts as damage;
- the local-listings file must be the size the header says, with the same owner rules;
- anything that fails is rebuilt: the cache heals itself;
- files are written through private temporary files renamed into place (atomic.py), in a
  folder of mode 0700.
BLAKE2b comes from `_blake2`, the C module under hashlib: importing hashlib costs 3.4 ms (it
loads OpenSSL), `_blake2` 0.2 ms, and hashing the built-in knowledge base 0.1 ms.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import TargetExists, private_dir, read_trusted, trusted, write_atomic

CACHE_FORMAT = 22  # bump when the cached structure changes
MAX_CACHE_BYTES = 256 << 20  # a bigger file is not read
_KEY_BYTES = 32


def _blake2b(data: bytes = b"", *, key: bytes = b"", digest_size: int = 20) -> Any:
    try:
        from _blake2 import blake2b
    except ImportError:  # a Python without the C module: hashlib's copy
        from hashlib import blake2b
    return blake2b(data, key=key, digest_size=digest_size)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = environ if environ is not None else os.environ
    if env.get("PEERFIND_CACHE_DIR"):
        return Path(env["PEERFIND_CACHE_DIR"])
    if sys.platform == "win32":
        base = env.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "peerfind" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "peerfind"
    xdg = env.get("XDG_CACHE_HOME", "")
    # The XDG specification: a relative path is invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "peerfind"


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


def language_file(cache_file: Path) -> Path:
    """The cache of the language layers beside a cache file (see load.py)."""
    return cache_file.with_name(f"{cache_file.stem}.languages.jsonl")


def local_lines(cache_file: Path) -> Path:
    return cache_file.with_name(f"{cache_file.stem}.local.jsonl")


def _dumps(value: Any) -> bytes:
    # One line: json escapes every newline inside strings.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def cache_key(sources: Sequence[tuple[str, bytes]]) -> str:
    """A BLAKE2b hash of the format, the version and each file's content, in order."""
    digest = _blake2b(f"{CACHE_FORMAT}/{__version__}".encode())
    for _, raw in sources:
        digest.update(b"\0%d\0" % len(raw))
        digest.update(raw)
    return str(digest.hexdigest())


def _user_key(folder: Path, create: bool = False) -> bytes | None:
    """The random key that signs this user's cache files, made on first use."""
    path = folder / "key"
    key = read_trusted(path, limit=_KEY_BYTES)
    if key is not None and len(key) == _KEY_BYTES:
        return key
    if not create or key is not None or path.is_symlink() or path.exists():
        return None  # someone else's, or damaged: no cache rather than a forged one
    try:
        write_atomic(path, os.urandom(_KEY_BYTES), force=False)
    except (TargetExists, OSError):
        pass  # another peerfind made it first
    key = read_trusted(path, limit=_KEY_BYTES)
    return key if key is not None and len(key) == _KEY_BYTES else None


def _sign(key: bytes, body: bytes) -> str:
    return str(_blake2b(body, key=key, digest_size=16).hexdigest())


def read_cache(path: Path) -> tuple[Parts, Parts] | None:
    """The cache's data and index parts, or None when it is missing, stale, damaged, not the
    user's own, or writable by others."""
    key = _user_key(path.parent)
    if key is None:
        return None
    raw = read_trusted(path, MAX_CACHE_BYTES)
    if raw is None:
        return None
    header, _, body = raw.partition(b"\n")
    try:
        head = json.loads(header)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(head, dict) and head.get("format") == CACHE_FORMAT
            and head.get("digest") == _sign(key, body)):
        return None
    names, local = head.get("parts"), head.get("local")
    lines = body.split(b"\n")
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)
            and len(names) == len(lines)):
        return None
    if local is not None and not _local_lines_whole(local_lines(path), local):
        return None
    data, index = {}, {}
    for name, line in zip(names, lines):
        if name.startswith("index:"):
            index[name[6:]] = line
        else:
            data[name] = line
    return Parts(data), Parts(index)


def _local_lines_whole(path: Path, size: Any) -> bool:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return trusted(info) and isinstance(size, int) and info.st_size == size


def write_cache(path: Path, merged: dict[str, Any], index: Mapping[str, Any]) -> None:
    """Best effort: a read-only home or a full disk only costs speed next time. The main file
    is written last, so its presence means the cache is whole."""
    organizations = merged.get("organizations", ())
    local = [r for r in organizations if r.get("local")]
    data = dict(merged, organizations=[r for r in organizations if not r.get("local")])
    try:
        private_dir(path.parent)
        key = _user_key(path.parent, create=True)
        if key is None:
            return
        head: dict[str, Any] = {"format": CACHE_FORMAT}
        if local:
            # Local listings, one JSON line each, and where each starts: decoding ten thousand
            # listings costs more than a whole search, and a search shows ten.
            lines = [_dumps(record) + b"\n" for record in local]
            offsets = [0]
            for line in lines:
                offsets.append(offsets[-1] + len(line))
            write_atomic(local_lines(path), lines)
            data["local-offsets"] = offsets
            data["local-ids"] = [record["id"] for record in local]
            head["local"] = offsets[-1]
        parts = {**data, **{f"index:{name}": value for name, value in index.items()}}
        body = b"\n".join(_dumps(value) for value in parts.values())
        head.update(parts=list(parts), digest=_sign(key, body))
        write_atomic(path, [_dumps(head), b"\n", body])
        _remove_old(path)
    except OSError:
        pass


def _remove_old(path: Path) -> None:
    """Cache files of a day before, of other files' contents: the user's own only."""
    newest = path.stat().st_mtime
    for old in path.parent.glob("kb-*"):
        try:
            info = os.stat(old, follow_symlinks=False)
        except OSError:
            continue
        if (not old.name.startswith(path.stem) and trusted(info)
                and info.st_mtime < newest - 86400):
            old.unlink(missing_ok=True)
