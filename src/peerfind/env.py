"""The streams and terminal facts a command runs with, built once and handed down.

Tests build their own Environment (see tests/conftest.py) instead of patching sys.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from .safety import fit_stream, shown


class Environment:
    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 stdin: TextIO | None = None, stdout_isatty: bool | None = None,
                 environ: Mapping[str, str] | None = None,
                 stdin_isatty: bool | None = None) -> None:
        # A stream that cannot encode every character writes a close ASCII form instead of
        # stopping at the first it cannot (safety.fit_stream). Under `>&-` there is no stdout:
        # sys.stdout is None, and main.py says so in one line.
        self.stdout = fit_stream(stdout if stdout is not None else sys.stdout)
        self.stderr = fit_stream(stderr if stderr is not None else sys.stderr)
        self.stdin = stdin if stdin is not None else sys.stdin
        self.environ = os.environ if environ is None else environ
        self.stdout_isatty = _isatty(self.stdout) if stdout_isatty is None else stdout_isatty
        # The guided conversation needs a person at both ends: typing, and reading.
        self.stdin_isatty = _isatty(self.stdin) if stdin_isatty is None else stdin_isatty

    @property
    def colour(self) -> bool:
        """Colour only for a terminal, never under NO_COLOR or TERM=dumb; FORCE_COLOR forces it."""
        if self.environ.get("NO_COLOR") or self.environ.get("TERM") == "dumb":
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        return bool(self.stdout_isatty)

    @property
    def rich_output(self) -> bool:
        """`--format auto` means rich text on a terminal (or when colour is forced)."""
        return bool(self.stdout_isatty) or bool(self.environ.get("FORCE_COLOR"))

    def note(self, message: str) -> None:
        self.say(f"peerfind: note: {message}")

    def error(self, message: str) -> None:
        self.say(f"peerfind: error: {message}")

    def say(self, line: str) -> None:
        """One line on stderr, with control characters escaped (a path may hold any)."""
        if self.stderr is not None:
            try:
                print(shown(line), file=self.stderr)
            except (OSError, ValueError):  # stderr itself is gone: nowhere left to say it
                pass


def _isatty(stream: TextIO | None) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return False
