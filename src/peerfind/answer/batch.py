"""Answer a stream of needs, one per line, writing each answer as soon as its line is read."""

from __future__ import annotations

import contextlib
import copy
import signal
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ..env import Environment
from ..knowledge import KnowledgeBase
from ..language.normalize import scrub_surrogates
from ..safety import MAX_LINE_BYTES, bounded_lines
from .finder import assemble, read
from .request import Request, bound_need, make_request
from .result import Result, dumps, result_head


def read_needs(stream: Any, env: Environment, quiet: bool = False
               ) -> Iterator[tuple[int, str]]:
    """(line number, need) for every non-blank line. Undecodable bytes are replaced, with a
    note; nothing is dropped. A line is read MAX_LINE_BYTES at a time: one of any length costs
    no more memory, its first part is answered (cut, as any long need), and the lines after it
    are read as usual."""
    for number, (raw, cut) in enumerate(_lines(stream), start=1):
        if isinstance(raw, bytes):
            if cut:  # the cut may fall inside a character
                raw = raw.decode("utf-8", "ignore").encode("utf-8")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", "replace")
                if not quiet:
                    env.note(f"line {number}: not valid UTF-8, undecodable bytes replaced")
        else:
            line = scrub_surrogates(raw)
        line = line.rstrip("\r\n")
        if line.strip():
            yield number, line


def _lines(stream: Any) -> Iterator[tuple[bytes | str, bool]]:
    if hasattr(stream, "readline"):
        yield from bounded_lines(stream, MAX_LINE_BYTES)
    else:  # a list of lines (the library's callers)
        for line in stream:
            yield line, False


class _Answers:
    """Answers needs one by one, sharing the work between needs that match alike.

    Everything in an answer but its input and matches depends only on the kinds and ids
    matched (Result.signature), so that part is built once per signature and, for NDJSON,
    kept as JSON text. The output is the same as answering each need alone."""

    def __init__(self, kb: KnowledgeBase, base: Request) -> None:
        self.kb = kb
        self.base = base
        self.shared: dict[tuple[Any, ...], tuple[dict[str, Any], str]] = {}

    def _read(self, number: int, text: str) -> tuple[dict[str, Any], tuple[dict[str, Any], str]]:
        request = self.base.with_text(text, number)
        reading, crisis = read(self.kb, request)
        key = Result.signature(request, reading, crisis)
        shared = self.shared.get(key)
        if shared is None:
            if len(self.shared) >= 20_000:
                self.shared.clear()
            full = assemble(self.kb, request, reading, crisis).to_dict()
            part = {k: full[k] for k in Result.SHARED_KEYS}
            shared = self.shared[key] = (part, dumps(part)[1:-1])
        return result_head(request, reading, crisis), shared

    def as_dict(self, number: int, text: str) -> dict[str, Any]:
        head, (part, _) = self._read(number, text)
        return {**head, **copy.deepcopy(part)}

    def as_json(self, number: int, text: str) -> str:
        head, (_, fragment) = self._read(number, text)
        return dumps(head)[:-1] + ", " + fragment + "}"


def _bounded(needs: Iterable[tuple[int, str]], env: Environment, quiet: bool
             ) -> Iterator[tuple[int, str]]:
    for number, text in needs:
        text, cut = bound_need(text)
        if cut and not quiet:
            env.note(f"line {number}: cut to its first {len(text)} characters")
        yield number, text


class _Answer:
    """One need's answer, as data or as JSON text, each made only when a writer asks."""

    __slots__ = ("_answers", "_number", "_text")

    def __init__(self, answers: _Answers, number: int, text: str) -> None:
        self._answers, self._number, self._text = answers, number, text

    def data(self) -> dict[str, Any]:
        return self._answers.as_dict(self._number, self._text)

    def text(self) -> str:
        return self._answers.as_json(self._number, self._text)


class Sink(Protocol):
    """Where a batch's answers go: a streaming writer (output.base.StreamWriter)."""

    def begin(self) -> None: ...

    def add(self, answer: _Answer) -> None: ...

    def end(self) -> None: ...


def run_batch(kb: KnowledgeBase, stream: Iterable[bytes | str], env: Environment,
              sink: Sink | None, **options: Any) -> int:
    """Answer every line of `stream`, giving each answer to `sink` as soon as its line is read
    (None: answer only, for the exit status); return how many needs were answered."""
    quiet = sink is None
    base, _ = make_request(kb, "", **options)
    needs = _bounded(read_needs(stream, env, quiet), env, quiet)
    answerer = _Answers(kb, base)
    count = 0
    if sink is None:
        for count, (number, text) in enumerate(needs, start=1):
            answerer.as_dict(number, text)
        return count
    with _interruptible() as stop:
        sink.begin()
        try:
            for count, (number, text) in enumerate(needs, start=1):
                stop.writing = True
                sink.add(_Answer(answerer, number, text))
                stop.writing = False
                if stop.requested:
                    raise KeyboardInterrupt
        finally:
            # Ctrl-C between answers: the output still ends well formed (a JSON array is
            # closed). Any other failure, such as a closed pipe, leaves it as it is.
            if stop.requested or sys.exc_info()[0] in (None, KeyboardInterrupt):
                stop.writing = True
                sink.end()
    return count


class _Stop:
    __slots__ = ("writing", "requested")

    def __init__(self) -> None:
        self.writing = False
        self.requested = False


@contextlib.contextmanager
def _interruptible() -> Iterator[_Stop]:
    """Ctrl-C while an answer is being written waits for its end (a JSON object is never cut
    in half); at any other time it stops at once, as usual."""
    stop = _Stop()

    def handler(signum: int, frame: Any) -> None:
        if stop.writing:
            stop.requested = True
        else:
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: signals stay as they are
        yield stop
        return
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
