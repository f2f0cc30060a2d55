"""Output: one registry from format name to writer.

Every format is a module here with a Writer (see base.py). Formats for people (text, plain,
markdown) draw the same outline of titled blocks (outline.py); formats for programs (json,
ndjson, csv, tsv) write a document's data or rows (rows.py), and stream answers in a batch.

Adding a format is one module and one line in FORMATS. Writers are imported only when used:
`--format json` never loads rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the CLI reads FORMATS at start-up: nothing else is imported until used
    from .base import Document, Writer
    from .outline import Block

# Format name -> "module:Writer class" (modules of this package), in the order `--help` lists them.
FORMATS: dict[str, str] = {
    "text": "terminal:TerminalWriter",
    "plain": "plain:PlainWriter",
    "json": "records:JsonWriter",
    "ndjson": "records:NdjsonWriter",
    "csv": "table:CsvWriter",
    "tsv": "table:TsvWriter",
    "markdown": "markdown:MarkdownWriter",
    "html": "html:HtmlWriter",
}
# The formats `peerfind batch` writes, answer by answer (their writers are StreamWriters; a test
# checks), ndjson first as the default. Kept apart so that start-up imports no writer.
BATCH_FORMATS = ("ndjson", "json", "csv", "tsv", "html")
# `auto` is not a writer: the CLI resolves it to text on a terminal, plain otherwise.
AUTO = "auto"


def writer_class(fmt: str) -> type[Writer]:
    module, name = FORMATS[fmt].split(":")
    cls: type[Writer] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return cls


def writer_for(fmt: str, out: TextIO, *, colour: bool = False, width: int | None = None,
               options: Mapping[str, Any] | None = None) -> Writer:
    return writer_class(fmt)(out, colour=colour, width=width, options=options)


def write_document(doc: Document, fmt: str, out: TextIO, *, colour: bool = False,
                   width: int | None = None, options: Mapping[str, Any] | None = None) -> None:
    writer_for(fmt, out, colour=colour, width=width, options=options).write(doc)


def result_document(result: dict[str, Any], title: str = "", full: bool = False) -> Document:
    """One answer (Result.to_dict()) as a document. A screen shows its first screen
    (brief.py) unless `full`; sheets and machine formats always hold everything."""
    from ..language.catalog import translations
    from .base import Document

    lang = (result.get("input") or {}).get("lang") or "en"
    title = title or translations(lang).gettext("Peer support resources")

    def blocks() -> list[Block]:
        from .outline import outline

        return outline(result)

    def brief() -> list[Block]:
        from .brief import brief

        return brief(result)

    def table() -> tuple[Sequence[str], Iterable[dict[str, Any]]]:
        from .rows import SEARCH_COLUMNS, search_rows

        return SEARCH_COLUMNS, search_rows(result)

    return Document(title, result, blocks, result["footer"], table,
                    brief=None if full else brief)


def write_result(result: dict[str, Any], fmt: str, out: TextIO, *, colour: bool = False,
                 width: int | None = None, title: str = "",
                 full: bool = False, options: Mapping[str, Any] | None = None) -> None:
    """Write one answer (Result.to_dict()) in one format (`auto` is resolved by the caller).
    `full` (--all) is the whole answer on a screen; writers also find it in their options."""
    write_document(result_document(result, title, full), fmt, out, colour=colour, width=width,
                   options={**(options or {}), "full": full})


__all__ = ["AUTO", "BATCH_FORMATS", "FORMATS", "result_document", "writer_class",
           "write_document", "write_result", "writer_for"]
