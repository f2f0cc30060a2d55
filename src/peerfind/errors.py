"""Errors a user can cause and fix. Each renders as one line on stderr."""

from __future__ import annotations

from .exitcodes import ExitStatus


class PeerfindError(Exception):
    """An expected failure: bad input, a missing file, a broken knowledge base."""

    exit_status = ExitStatus.ERROR


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
