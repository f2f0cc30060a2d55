"""The files of an import, read within limits: a folder, a zip archive, or one JSON file.

Only regular files are read (a FIFO or /dev/zero named as a table would hang or fill memory),
zip members are checked against the total-size and compression-ratio limits before anything
is unpacked, and JSON nesting is bounded. Names from the data are escaped in every message.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import PeerfindError
from .clean import shown
from .listing import LIMITS, Limits


def fail(path: Any, message: str) -> PeerfindError:
    return PeerfindError(f"{shown(path)}: {message}")


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def open_regular(path: Path) -> IO[bytes]:
    """A regular file, opened without waiting on a FIFO or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise fail(path, f"cannot read ({_why(exc)})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise fail(path, "not a regular file (a FIFO, device or socket is never read)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class FolderSource:
    """Files of a package folder, by path relative to it."""

    MAX_DEPTH = 3  # a package's tables sit at most a few folders down (data/, export/data/)

    def __init__(self, root: Path, limits: Limits = LIMITS) -> None:
        self.root = root
        self.limits = limits
        self.files: dict[str, Path] = {}
        for folder, subfolders, names in os.walk(root):
            depth = len(Path(folder).relative_to(root).parts)
            if depth >= self.MAX_DEPTH:
                subfolders.clear()
            for name in names:
                file = Path(folder) / name
                self.files[file.relative_to(root).as_posix()] = file
        self._total = 0

    def open(self, name: str) -> IO[bytes]:
        handle = open_regular(self.files[name])
        size = os.fstat(handle.fileno()).st_size
        self._total += size
        if self._total > self.limits.max_total_bytes:
            handle.close()
            raise fail(self.root, f"tables larger than {self.limits.max_total_bytes:,} bytes "
                                  f"in all: not read (the limit on an import)")
        return handle

    def read(self, name: str) -> bytes:
        with self.open(name) as handle:
            return handle.read()


class ZipSource:
    """Files of a zipped package, by path inside the archive, checked before unpacking."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: Limits = LIMITS) -> None:
        self.root = path
        self.archive = archive
        self.limits = limits
        self.files = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        total = sum(info.file_size for info in self.files.values())
        if total > limits.max_total_bytes:
            raise fail(path, f"unpacks to {total:,} bytes, over the limit of "
                             f"{limits.max_total_bytes:,}: not read")
        for info in self.files.values():
            # Small members compress well for honest reasons (a column of blanks); a large one
            # that is a thousand times smaller packed is a zip bomb.
            if info.file_size > 1_000_000 and \
                    info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise fail(f"{path}:{info.filename}",
                           f"unpacks to {info.file_size:,} bytes from {info.compress_size:,} "
                           f"(over {limits.max_ratio} times): not read, it looks like a zip bomb")

    def open(self, name: str) -> IO[bytes]:
        try:
            return self.archive.open(self.files[name])
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            raise fail(f"{self.root}:{name}", f"cannot be unpacked ({shown(exc)})") from None

    def read(self, name: str) -> bytes:
        try:
            with self.open(name) as handle:
                return handle.read()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise fail(f"{self.root}:{name}", f"cannot be unpacked ({shown(exc)})") from None


def text_lines(handle: IO[bytes], line_cap: int) -> Iterator[str]:
    """Lines of a CSV file, decoded (UTF-8, else Windows-1252), NULs dropped, and none longer
    than `line_cap` characters: a gigabyte on one line is read in pieces, never at once."""
    head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        encoding = "utf-8-sig" if exc.start >= len(head) - 3 else "cp1252"
    stream = io.TextIOWrapper(io.BufferedReader(_Rejoined(head, handle)), encoding=encoding,
                              errors="replace", newline="")
    while True:
        line = stream.readline(line_cap)
        if not line:
            return
        yield line.replace("\x00", "") if "\x00" in line else line


class _Rejoined(io.RawIOBase):
    """A stream that gives back the bytes already read from its start, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def load_json(data: bytes, where: Any, limits: Limits = LIMITS) -> Any:
    """Parse JSON after checking its nesting depth: Python's parser recurses, and a file of a
    hundred thousand "[" would end the import with a RecursionError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(where, f"not UTF-8 text (byte {exc.start})") from None
    depth = _max_depth(text, limits.max_json_depth)
    if depth > limits.max_json_depth:
        raise fail(where, f"JSON nested more than {limits.max_json_depth} levels deep: not read")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PeerfindError(f"{shown(where)}:{exc.lineno}:{exc.colno}: not valid JSON: "
                            f"{exc.msg}") from None
    except RecursionError:  # noqa: PERF203 - only on input that hides depth from the scan
        raise fail(where, "JSON nested too deeply: not read") from None


_TOKENS = None


def _max_depth(text: str, stop: int) -> int:
    """The deepest nesting of brackets outside strings, or more than `stop` (then it stops)."""
    global _TOKENS
    if _TOKENS is None:
        import re

        _TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
    depth = deepest = 0
    for found in _TOKENS.finditer(text):
        ch = found.group(0)
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def read_file(path: Path, limits: Limits = LIMITS) -> bytes:
    """A whole JSON file, if it is regular and within the size limit."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_json_bytes:
            raise fail(path, f"larger than {limits.max_json_bytes:,} bytes: not read "
                             f"(the limit on a JSON import)")
        return handle.read()
