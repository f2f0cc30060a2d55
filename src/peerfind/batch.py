"""Answer a stream of needs, one per line, writing each answer as soon as its line is read."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .env import Environment
from .finder import Request, Result, assemble, make_request, read, result_head
from .model import KnowledgeBase
from .render import TableWriter, dumps, search_rows
from .text import bound_need, scrub_surrogates


def read_needs(stream: BinaryIO | Iterable, env: Environment, quiet: bool = False
               ) -> Iterator[tuple[int, str]]:
    """(line number, need) for every non-blank line. Undecodable bytes are replaced, with a
    note; nothing is dropped."""
    for number, raw in enumerate(stream, start=1):
        if isinstance(raw, bytes):
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


class _Answers:
    """Answers needs one by one, sharing the work between needs that match alike.

    Everything in an answer but its input and matches depends only on the kinds and ids
    matched (Result.signature), so that part is built once per signature and, for NDJSON,
    kept as JSON text. The output is the same as answering each need alone."""

    def __init__(self, kb: KnowledgeBase, base: Request) -> None:
        self.kb = kb
        self.base = base
        self.shared: dict[tuple, tuple[dict, str]] = {}

    def _read(self, number: int, text: str):
        request = self.base.with_text(text, number)
        matches, crisis = read(self.kb, request)
        key = Result.signature(request, matches, crisis)
        shared = self.shared.get(key)
        if shared is None:
            if len(self.shared) >= 20_000:
                self.shared.clear()
            full = assemble(self.kb, request, matches, crisis).to_dict()
            part = {k: full[k] for k in Result.SHARED_KEYS}
            shared = self.shared[key] = (part, dumps(part)[1:-1])
        return result_head(request, matches, crisis), shared

    def as_dict(self, number: int, text: str) -> dict:
        head, (part, _) = self._read(number, text)
        return {**head, **copy.deepcopy(part)}

    def as_json(self, number: int, text: str) -> str:
        head, (_, fragment) = self._read(number, text)
        return dumps(head)[:-1] + ", " + fragment + "}"


def _bounded(needs: Iterable[tuple[int, str]], env: Environment, quiet: bool):
    for number, text in needs:
        text, cut = bound_need(text)
        if cut and not quiet:
            env.note(f"line {number}: cut to its first {len(text)} characters")
        yield number, text


def run_batch(kb: KnowledgeBase, stream, env: Environment, fmt: str, *, quiet: bool = False,
              **options) -> int:
    """Answer every line of `stream`; return how many needs were answered."""
    base, _ = make_request(kb, "", **options)
    needs = _bounded(read_needs(stream, env, quiet), env, quiet)
    answerer = _Answers(kb, base)
    out = env.stdout
    count = 0
    if quiet:
        for count, (number, text) in enumerate(needs, start=1):
            answerer.as_dict(number, text)
    elif fmt == "ndjson":
        for count, (number, text) in enumerate(needs, start=1):
            out.write(answerer.as_json(number, text) + "\n")
            out.flush()
    elif fmt == "json":
        out.write("[")
        for count, (number, text) in enumerate(needs, start=1):
            out.write(("," if count > 1 else "") + "\n" + answerer.as_json(number, text))
            out.flush()
        out.write("\n]\n" if count else "]\n")
    else:
        table = TableWriter(out, fmt)
        for count, (number, text) in enumerate(needs, start=1):
            table.write(search_rows(answerer.as_dict(number, text)))
    return count
