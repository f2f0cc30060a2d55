"""Errors a user can cause and fix. Each renders as one line on stderr.

The engine raises these and knows nothing of exit statuses: `main.py` maps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .language.catalog import Translations


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


_UNSHOWABLE = None


def shown(name: object) -> str:
    """A path or a name from data as a message may show it: control characters escaped (a
    table named with an OSC 52 sequence must not write to the clipboard)."""
    global _UNSHOWABLE
    if _UNSHOWABLE is None:
        import re

        _UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    return _UNSHOWABLE.sub(lambda found: f"\\x{ord(found.group(0)):02x}"
                           if ord(found.group(0)) < 0x100 else f"\\u{ord(found.group(0)):04x}",
                           str(name))


def os_error_message(exc: OSError, doing: str = "read") -> str:
    """An OS failure in a few words, never a traceback: "no such file", "permission denied",
    "cannot read (Input/output error)". Writing keeps the system's own words for a missing
    folder ("cannot write (No such file or directory)")."""
    if doing == "read" and isinstance(exc, FileNotFoundError):
        return "no such file"
    if doing == "read" and isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot {doing} ({exc.strerror or type(exc).__name__})"


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6,
                 tr: Translations | None = None) -> str:
    """"did you mean a or b?" for the choices closest to a mistyped word, or "" for none; in
    the language of `tr` (a message catalog, English by default)."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
    if not close:
        return ""
    if tr is None:
        return f"did you mean {' or '.join(close)}?"
    joiner = tr.gettext("or")
    return tr.gettext("did you mean {choices}?").format(choices=f" {joiner} ".join(close))
