"""CSV and TSV: a header, then rows as they come. A document without a table prints as plain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from ..language.normalize import clean_line, clean_terminal
from ..safety import cell
from .base import Answer, Document, StreamWriter
from .plain import write_plain
from .rows import SEARCH_COLUMNS, search_rows


class TableWriter:
    """CSV or TSV with a header first; rows stream as they come."""

    def __init__(self, out: TextIO, fmt: str = "csv",
                 columns: Sequence[str] = SEARCH_COLUMNS) -> None:
        import csv

        self.out = out
        self.tsv = fmt == "tsv"
        if self.tsv:
            self.writer = csv.DictWriter(out, columns, delimiter="\t", quoting=csv.QUOTE_NONE,
                                         escapechar="\\", lineterminator="\n")
        else:
            self.writer = csv.DictWriter(out, columns, lineterminator="\n")
        self.writer.writeheader()

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            # No escape sequences in a cell; TSV has no quoting, so every value on one line;
            # and no cell that a spreadsheet would run as a formula (safety.cell).
            row = {k: cell(clean_line(str(v)) if self.tsv else clean_terminal(str(v)))
                   for k, v in row.items()}
            self.writer.writerow(row)
        self.out.flush()




class CsvWriter(StreamWriter):
    delimited = "csv"

    def write(self, doc: Document) -> None:
        if not doc.has_table:
            write_plain(doc.blocks, doc.footer, self.out)
            return
        columns, rows = doc.table()
        TableWriter(self.out, self.delimited, columns).write(rows)

    def begin(self) -> None:
        self._table = TableWriter(self.out, self.delimited)

    def add(self, answer: Answer) -> None:
        self._table.write(search_rows(answer.data()))


class TsvWriter(CsvWriter):
    delimited = "tsv"
