"""What every format's writer offers. A writer for people draws a Document's blocks; a writer for
programs writes its data or rows, and may stream answers one at a time (batch)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from .outline import Block


class Document:
    """What a command shows, in every shape a format may want.

    - blocks and footer: the outline, for people (plain, text, markdown), and the brief
      blocks a screen shows first (plain, text);
    - data: one JSON value (json), and records, the values written one a line (ndjson);
    - table: its columns and rows (csv, tsv); a document without a table prints as plain text;
    - aligned: (id, name) pairs that plain and text print as two aligned columns (lists).
    Blocks and the table are made by a function, only when a writer asks for them.
    """

    def __init__(self, title: str, data: Any, blocks: Callable[[], list[Block]],
                 footer: str = "",
                 table: Callable[[], tuple[Sequence[str], Iterable[dict[str, Any]]]] | None = None,
                 aligned: list[tuple[str, str]] | None = None,
                 brief: Callable[[], list[Block]] | None = None) -> None:
        self.title, self.data, self.footer = title, data, footer
        self._blocks, self._table, self._brief = blocks, table, brief
        self.aligned = aligned

    @property
    def blocks(self) -> list[Block]:
        """Everything, for a sheet (markdown) or the whole answer (`--all`)."""
        return self._blocks()

    @property
    def screen_blocks(self) -> list[Block]:
        """What a screen shows first: the brief answer when there is one (see brief.py)."""
        return self._brief() if self._brief is not None else self._blocks()

    @property
    def has_table(self) -> bool:
        return self._table is not None

    def table(self) -> tuple[Sequence[str], Iterable[dict[str, Any]]]:
        """The columns and the rows."""
        return self._table() if self._table is not None else ((), ())

    def records(self) -> list[Any]:
        return self.data if isinstance(self.data, list) else [self.data]


class Answer(Protocol):
    """One answer of a batch, as data or as JSON text: each made only when asked for."""

    def data(self) -> dict[str, Any]: ...

    def text(self) -> str: ...


class Writer:
    """Writes documents in one format to one stream."""

    def __init__(self, out: TextIO, *, colour: bool = False, width: int | None = None,
                 options: Mapping[str, Any] | None = None) -> None:
        self.out = out
        self.colour = colour
        self.width = width
        # What one format may use beyond the document (html: the handout's date, --all and
        # the crisis lines for everyone); writers ignore the options they do not know.
        self.options: Mapping[str, Any] = options or {}

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
