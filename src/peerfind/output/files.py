"""Write output to a file (`-o FILE`, any format) so that no one ever sees half of it.

The text goes to a private temporary file in the same folder (created with O_EXCL, mode 0600,
never through a symbolic link), then takes the file's name in one step. Without `force` it never
replaces anything: the final step is a hard link, which fails if the name was taken meanwhile.
"""

from __future__ import annotations

import contextlib
import io
import os
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
    """Write `text` (UTF-8) to `path` whole or not at all (see peerfind.atomic, which the cache
    uses too). Raises UsageError when `path` is a symbolic link or a folder, or exists and
    `force` is false, or cannot be written."""
    from ..atomic import TargetExists, write_atomic as write_bytes

    target = Path(path)
    name = str(path)
    if target.is_symlink():
        raise UsageError(f"{name}: is a symbolic link; peerfind does not write through links")
    if target.is_dir():
        raise UsageError(f"{name}: is a directory")
    try:
        write_bytes(target, text.encode("utf-8"), force=force, durable=True)
    except TargetExists:
        raise UsageError(f"{name}: already exists; add --force to replace it") from None
    except OSError as exc:
        raise UsageError(f"{name}: {os_error_message(exc, 'write')}") from None
