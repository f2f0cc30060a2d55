"""Write an answer to a file (`-o FILE`) so that no one ever sees half of it.

The text goes to a private temporary file in the same folder (created with O_EXCL, mode 0600,
never through a symbolic link), then takes the file's name in one step. Without `force` it never
replaces anything: the final step is a hard link, which fails if the name was taken meanwhile.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .errors import UsageError


def write_atomic(path: str | os.PathLike, text: str, *, force: bool = False) -> None:
    """Write `text` (UTF-8) to `path` whole or not at all. Raises UsageError when `path` is a
    symbolic link or a folder, or exists and `force` is false, or cannot be written."""
    target = Path(path)
    name = str(path)
    if target.is_symlink():
        raise UsageError(f"{name}: is a symbolic link; peerfind does not write through links")
    if target.is_dir():
        raise UsageError(f"{name}: is a directory")
    if target.exists() and not force:
        raise UsageError(f"{name}: already exists; add --force to replace it")
    temp = _private_temp(target, name)
    try:
        with os.fdopen(temp[1], "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            # rename() replaces a link or file at the name itself, never what a link points to.
            os.replace(temp[0], target)
        else:
            _link_new(temp[0], target, name)
    except OSError as exc:
        raise UsageError(f"{name}: cannot write ({exc.strerror or type(exc).__name__})") from None
    finally:
        if os.path.lexists(temp[0]):
            os.unlink(temp[0])


def _private_temp(target: Path, name: str) -> tuple[str, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    folder = target.parent
    for _ in range(20):
        temp = str(folder / f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise UsageError(f"{name}: cannot write ({exc.strerror or type(exc).__name__})") \
                from None
    raise UsageError(f"{name}: cannot make a temporary file beside it")


def _link_new(temp: str, target: Path, name: str) -> None:
    try:
        os.link(temp, target)
    except FileExistsError:
        raise UsageError(f"{name}: already exists; add --force to replace it") from None
    except OSError:
        # Some file systems have no hard links: check once more, then rename.
        if os.path.lexists(target):
            raise UsageError(f"{name}: already exists; add --force to replace it") from None
        os.replace(temp, target)
