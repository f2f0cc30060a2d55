"""What every format's writer offers. A writer for people draws a Document's blocks; a writer for
programs writes its data or rows, and may stream answers one at a time (batch)."""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from .outline import Document


class Answer(Protocol):
    """One answer of a batch, as data or as JSON text: each made only when asked for."""

    def data(self) -> dict[str, Any]: ...

    def text(self) -> str: ...


class Writer:
    """Writes documents in one format to one stream."""

    def __init__(self, out: TextIO, *, colour: bool = False, width: int | None = None) -> None:
        self.out = out
        self.colour = colour
        self.width = width

    def write(self, doc: Document) -> None:
        raise NotImplementedError


class StreamWriter(Writer):
    """A format that can stream answers one by one (`peerfind batch`)."""

    def begin(self) -> None:
        """Before the first answer."""

    def add(self, answer: Answer) -> None:
        raise NotImplementedError

    def end(self) -> None:
        """After the last answer."""
