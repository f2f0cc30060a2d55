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


def check_files(sources: Sequence[tuple[str, bytes]], today: Any = None,
                floor_source: tuple[str, bytes] | None = None,
                ) -> tuple[list[dict[str, Any]], dict[str, Any], list[Any]]:
    """Parse and check every file. Returns (layers, merged, problems) with located problems.

    The first source is the built-in file, unless `floor_source` is given (`--no-builtin`):
    then the crisis floor is read from it and layered under the sources (see floor.py).
    Whatever the layers do, the merged data carries the floor, and its `crisis-floor` says
    how many crisis patterns and exclusions are the floor's. A file's attempt to change the
    floor is a problem with `floor` set: `validate` reports it as an error, a load ignores
    the change. YAML syntax errors raise KnowledgeBaseError: nothing else in that file can
    be trusted.
    """
    from .floor import changes, enforce, floor_layer
    from .layers import merge
    from .patterns import joined_problem
    from .schema import Problem, check_document, check_references

    layers: list[dict[str, Any]] = []
    problems: list[Any] = []
    named = list(sources)
    if floor_source is not None:
        builtin, _ = check_document(parse_yaml(floor_source[1], floor_source[0]), today)
        layers.append(floor_layer(builtin))
        named.insert(0, floor_source)
    for name, raw in sources:
        clean, found = check_document(parse_yaml(raw, name), today)
        layers.append(clean)
        problems.extend(_place(found, name, raw))
    floor = floor_layer(layers[0]) if layers else {}
    for n, layer in enumerate(layers[1:], start=1):
        found = [Problem(message, path, floor=True) for path, message in changes(layer, floor)]
        problems.extend(_place(found, *named[n]))
    merged = merge(layers)
    for n, problem in check_references(layers, merged):
        problems.extend(_place([problem], *named[n]))
    merged["crisis-floor"] = enforce(merged, floor)
    crisis = merged["crisis"]
    for key in ("patterns", "exclusions"):
        joined = joined_problem(crisis.get(key, ()))
        if joined:
            problems.append(Problem(f"crisis {key}: {joined}", file=named[-1][0]))
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
    """Load the built-in knowledge base layered with `paths`, from the cache when it is fresh.

    With `builtin=False` the built-in file still gives the crisis floor (see floor.py)."""
    env = environ if environ is not None else os.environ
    if not builtin and not paths:
        raise KnowledgeBaseError("no knowledge base: --no-builtin needs at least one --kb FILE")
    floor_source = (str(builtin_path()), read_source(builtin_path()))
    sources = ([floor_source] if builtin else []) + [(str(Path(p)), read_source(Path(p)))
                                                     for p in paths]
    if use_cache is None:
        use_cache = env.get("PEERFIND_NO_CACHE", "") in ("", "0")
    key_sources = sources if builtin else [("floor", floor_source[1]), *sources]
    folder = cache_dir(env) if use_cache else None
    cache_file = folder / f"kb-{cache_key(key_sources)}.jsonl" if folder else None
    if cache_file is not None:
        cached = read_cache(cache_file)
        if cached is not None:
            return build(*cached, local_lines(cache_file))
    _, merged, problems = check_files(sources, floor_source=None if builtin else floor_source)
    errors = [p for p in problems if p.severity == "error" and not p.floor]
    if errors:
        more = f" (and {len(errors) - 1} more: run peerfind validate)" if len(errors) > 1 else ""
        first = errors[0]
        raise KnowledgeBaseError(first.message + more, first.file, first.line, first.column)
    from .index import build_index

    floor = merged.pop("crisis-floor")
    index = build_index(merged)
    index["crisis"]["floor"] = floor
    if cache_file is not None:
        write_cache(cache_file, merged, index)
    return build(merged, index)
