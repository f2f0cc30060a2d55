"""Answer a stream of needs, one per line, writing each answer as soon as its line is read."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .env import Environment
from .finder import Request, answer, make_request
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


def answers(kb: KnowledgeBase, needs: Iterable[tuple[int, str]], base: Request,
            env: Environment, quiet: bool = False) -> Iterator[dict]:
    """The JSON object for each need, in order. Repeated needs are answered once and copied:
    the output is the same as answering each alone."""
    cache: dict[str, dict] = {}
    for number, text in needs:
        text, cut = bound_need(text)
        if cut and not quiet:
            env.note(f"line {number}: cut to its first {len(text)} characters")
        result = cache.get(text)
        if result is None:
            if len(cache) >= 50_000:
                cache.clear()
            result = cache[text] = answer(kb, base.with_text(text)).to_dict()
        out = copy.copy(result)
        out["input"] = dict(result["input"], line=number)
        yield out


def run_batch(kb: KnowledgeBase, stream, env: Environment, fmt: str, *, quiet: bool = False,
              **options) -> int:
    """Answer every line of `stream`; return how many needs were answered."""
    base, _ = make_request(kb, "", **options)
    results = answers(kb, read_needs(stream, env, quiet), base, env, quiet)
    out = env.stdout
    count = 0
    if quiet:
        for count, _ in enumerate(results, start=1):
            pass
    elif fmt == "ndjson":
        for count, result in enumerate(results, start=1):
            out.write(dumps(result) + "\n")
            out.flush()
    elif fmt == "json":
        out.write("[")
        for count, result in enumerate(results, start=1):
            out.write(("," if count > 1 else "") + "\n" + dumps(result))
            out.flush()
        out.write("\n]\n" if count else "]\n")
    else:
        table = TableWriter(out, fmt)
        for count, result in enumerate(results, start=1):
            table.write(search_rows(result))
    return count
