"""Write output to a file (`-o FILE`, any format) so that no one ever sees half of it.

The text goes to a private temporary file in the same folder (created with O_EXCL, mode 0600,
never through a symbolic link), then takes the file's name in one step. Without `force` it never
replaces anything: the final step is a hard link, which fails if the name was taken meanwhile.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from ..env import Environment
from ..errors import UsageError, os_error_message

# `--format auto` with `-o FILE` follows the file's extension.
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
              ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson", ".csv": "csv",
              ".tsv": "tsv", ".txt": "plain"}


def format_for(path: str) -> str | None:
    """The format a file name asks for by its extension, if any."""
    return EXTENSIONS.get(Path(path).suffix.lower())


@contextlib.contextmanager
def output_to(env: Environment, path: str, *, force: bool = False) -> Iterator[Environment]:
    """An Environment whose stdout is kept and written to `path` (atomically) when the block
    ends without an error; `env` itself when there is no path or it is "-"."""
    if not path or path == "-":
        yield env
        return
    kept = io.StringIO()
    yield Environment(stdout=kept, stderr=env.stderr, stdin=env.stdin, stdout_isatty=False,
                      environ=env.environ)
    write_atomic(path, kept.getvalue(), force=force)


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
        raise UsageError(f"{name}: {os_error_message(exc, 'write')}") from None
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
            raise UsageError(f"{name}: {os_error_message(exc, 'write')}") from None
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
