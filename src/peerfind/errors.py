"""Errors a user can cause and fix. Each renders as one line on stderr.

The engine raises these and knows nothing of exit statuses: `main.py` maps them.
"""

from __future__ import annotations

from collections.abc import Iterable


class PeerfindError(Exception):
    """An expected failure: bad input, a missing file, a broken knowledge base."""


class StdoutClosed(Exception):
    """The reader of stdout went away (`peerfind ... | head`). Not a failure of peerfind's:
    it stops quietly, like any well-behaved filter."""


class UsageError(PeerfindError):
    """The command line asked for something that cannot be done."""


class KnowledgeBaseError(PeerfindError):
    """A knowledge-base file could not be read or does not fit the schema."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(part) for part in (self.path, self.line, self.column) if part is not None]
        return ":".join(where + [f" {self.message}"]) if where else self.message


def os_error_message(exc: OSError, doing: str = "read") -> str:
    """An OS failure in a few words, never a traceback: "no such file", "permission denied",
    "cannot read (Input/output error)". Writing keeps the system's own words for a missing
    folder ("cannot write (No such file or directory)")."""
    if doing == "read" and isinstance(exc, FileNotFoundError):
        return "no such file"
    if doing == "read" and isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot {doing} ({exc.strerror or type(exc).__name__})"


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6) -> str:
    """"did you mean a or b?" for the choices closest to a mistyped word, or "" for none."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
    return f"did you mean {' or '.join(close)}?" if close else ""
