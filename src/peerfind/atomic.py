"""Writing files safely: every file peerfind writes goes to a private temporary file beside its
destination (created with O_EXCL, mode 0600, in a folder of mode 0700 when peerfind made it) and
is renamed into place. A reader never sees half a file, a full disk never leaves a truncated
one, a planted symlink is never followed, and a failed write leaves nothing behind.

Reading back what peerfind wrote (the cache) trusts only files the user owns that nobody else
may write: see `trusted`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import PeerfindError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class TargetExists(PeerfindError):
    """The destination exists (or is a link) and the caller did not ask to replace it."""


def private_dir(path: Path) -> Path:
    """Make `path` (and its parents) if missing; the folders made are 0700 whatever the umask."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def write_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes], *,
                 force: bool = True, mode: int = PRIVATE_FILE, durable: bool = False) -> None:
    """Write `data` (bytes, or chunks of bytes) to `path` through a private temporary file.

    With `force=False` an existing destination, or a symlink there, is refused (TargetExists):
    the `-o FILE` rule. With `force=True` the destination is replaced, never written through:
    a symlink at `path` is replaced by the file, its target left alone. OSError propagates; the
    temporary file is removed first. `durable` waits for the disk before the rename (for files
    a person asked for; a cache can be rebuilt).
    """
    target = Path(path)
    if not force and (target.exists() or target.is_symlink()):
        raise TargetExists(f"{target}: exists; add --force to replace it")
    handle, tmp = _create_temporary(target, mode)
    try:
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, (bytes, bytearray, memoryview)):
                out.write(data)
            else:
                for chunk in data:
                    out.write(chunk)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        if not force:
            # Never replace what appeared in the meantime: link fails if the name is taken.
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise TargetExists(f"{target}: exists; add --force to replace it") from None
            except OSError:  # a file system without hard links: fall back to a rename
                if target.exists() or target.is_symlink():
                    raise TargetExists(f"{target}: exists; add --force to replace it") from None
                os.replace(tmp, target)
                return
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _create_temporary(target: Path, mode: int) -> tuple[int, str]:
    """A new file beside `target`, open for writing, with an unpredictable name; O_EXCL and
    O_NOFOLLOW so that nothing planted there is ever opened."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
    for _ in range(100):
        name = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            handle = os.open(name, flags, mode)
        except FileExistsError:
            continue
        if hasattr(os, "fchmod"):
            os.fchmod(handle, mode)  # os.open's mode is filtered by the umask
        return handle, str(name)
    raise FileExistsError(f"no free temporary name beside {target}")


def trusted(info: os.stat_result) -> bool:
    """Whether a file peerfind wrote may be believed: a regular file that the user owns and that
    no one else may write. Where there are no owners (Windows), every regular file is."""
    if not stat.S_ISREG(info.st_mode):
        return False
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_trusted(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of `path` when it is `trusted` (checked on the open file, so it cannot be
    swapped between the check and the read), else None. Never follows a symlink."""
    try:
        handle = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not trusted(info) or (limit is not None and info.st_size > limit):
            return None
        chunks: list[bytes] = []
        while True:
            chunk = os.read(handle, max(info.st_size, 1 << 16))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(handle)
