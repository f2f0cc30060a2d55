"""JSON for programs: one indented document (json), or one compact value a line (ndjson).

In a batch, each answer arrives as JSON text already (answer/batch.py splices the part shared
between needs that match alike), so both formats stream it as it comes.
"""

from __future__ import annotations

from typing import Any, TextIO

from ..answer.result import dumps
from ..safety import fits_unicode, json_safe
from .base import Answer, Document, StreamWriter


class _JsonOut:
    """Writes JSON text (made safe by answer.result.dumps) as it is, or with every character
    beyond ASCII escaped on a stream that cannot encode them: the same data either way."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.ascii = not fits_unicode(out)

    def write(self, text: str) -> None:
        self.out.write(json_safe(text, ascii=True) if self.ascii else text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.out, name)


class JsonWriter(StreamWriter):
    def __init__(self, out: TextIO, **options: Any) -> None:
        super().__init__(_JsonOut(out), **options)  # type: ignore[arg-type]

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
    def __init__(self, out: TextIO, **options: Any) -> None:
        super().__init__(_JsonOut(out), **options)  # type: ignore[arg-type]

    def write(self, doc: Document) -> None:
        for record in doc.records():
            self._line(dumps(record))

    def add(self, answer: Answer) -> None:
        self._line(answer.text())

    def _line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
