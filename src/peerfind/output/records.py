"""JSON for programs: one indented document (json), or one compact value a line (ndjson).

In a batch, each answer arrives as JSON text already (answer/batch.py splices the part shared
between needs that match alike), so both formats stream it as it comes.
"""

from __future__ import annotations

from ..answer.result import dumps
from .base import Answer, Document, StreamWriter


class JsonWriter(StreamWriter):
    def write(self, doc: Document) -> None:
        self.out.write(dumps(doc.data, indent=2) + "\n")

    # A batch is one array, an answer a line.
    def begin(self) -> None:
        self._count = 0
        self.out.write("[")

    def add(self, answer: Answer) -> None:
        self.out.write(("," if self._count else "") + "\n" + answer.text())
        self._count += 1
        self.out.flush()

    def end(self) -> None:
        self.out.write("\n]\n" if self._count else "]\n")


class NdjsonWriter(StreamWriter):
    def write(self, doc: Document) -> None:
        for record in doc.records():
            self._line(dumps(record))

    def add(self, answer: Answer) -> None:
        self._line(answer.text())

    def _line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
