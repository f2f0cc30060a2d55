"""Load the knowledge base: the built-in YAML, layered with the user's own files, checked, with
its derived index; from the cache when the files have not changed (see cache.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import KnowledgeBaseError
from .base import KnowledgeBase, build
from .cache import cache_dir, cache_key, local_lines, read_cache, write_cache
from .files import compose, locate, parse_yaml, read_source

BUILTIN_NAME = "resources.yaml"


def builtin_path() -> Path:
    """The shipped knowledge base: inside the installed package, else the source checkout."""
    here = Path(__file__).resolve().parents[1]  # the peerfind package
    packaged = here / "data" / BUILTIN_NAME
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / BUILTIN_NAME


def kb_paths_from_env(environ: Mapping[str, str] | None = None) -> list[Path]:
    value = (environ if environ is not None else os.environ).get("PEERFIND_KB", "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def check_files(sources: Sequence[tuple[str, bytes]], today: Any = None) -> tuple[list[dict[str, Any]], dict[str, Any], list[Any]]:
    """Parse and check every file. Returns (layers, merged, problems) with located problems.

    YAML syntax errors raise KnowledgeBaseError: nothing else in that file can be trusted.
    """
    from .layers import merge
    from .schema import check_document, check_references

    layers: list[dict[str, Any]] = []
    problems: list[Any] = []
    for name, raw in sources:
        clean, found = check_document(parse_yaml(raw, name), today)
        layers.append(clean)
        problems.extend(_place(found, name, raw))
    merged = merge(layers)
    for n, problem in check_references(layers, merged):
        problems.extend(_place([problem], *sources[n]))
    return layers, merged, problems


def _place(problems: list[Any], name: str, raw: bytes) -> list[Any]:
    root = compose(raw) if problems else None
    for problem in problems:
        problem.file = name
        problem.line, problem.column = locate(root, problem.path, problem.at_key)
    return problems


def load_knowledge_base(
    paths: Sequence[str | os.PathLike] = (),
    *,
    builtin: bool = True,
    use_cache: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> KnowledgeBase:
    """Load the built-in knowledge base layered with `paths`, from the cache when it is fresh."""
    env = environ if environ is not None else os.environ
    files = ([builtin_path()] if builtin else []) + [Path(p) for p in paths]
    if not files:
        raise KnowledgeBaseError("no knowledge base: --no-builtin needs at least one --kb FILE")
    sources = [(str(path), read_source(path)) for path in files]
    if use_cache is None:
        use_cache = env.get("PEERFIND_NO_CACHE", "") in ("", "0")
    cache_file = cache_dir(env) / f"kb-{cache_key(sources)}.jsonl"
    if use_cache:
        cached = read_cache(cache_file)
        if cached is not None and ("local-offsets" not in cached[0]
                                   or local_lines(cache_file).is_file()):
            return build(*cached, local_lines(cache_file))
    _, merged, problems = check_files(sources)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: run peerfind validate)" if len(errors) > 1 else ""
        first = errors[0]
        raise KnowledgeBaseError(first.message + more, first.file, first.line, first.column)
    from .index import build_index

    index = build_index(merged)
    if use_cache:
        write_cache(cache_file, merged, index)
    return build(merged, index)


