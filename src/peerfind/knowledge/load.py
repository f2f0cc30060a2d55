"""Load the knowledge base: the built-in YAML, layered with the user's own files, checked, with
its derived index; from the cache when the files have not changed (see cache.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import KnowledgeBaseError
from .base import KnowledgeBase, Languages, build
from .cache import cache_dir, cache_key, language_file, local_lines, read_cache, write_cache
from .files import compose, is_listing_store, locate, parse_yaml, read_source
from .translations import layer_paths

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
    floor: dict[str, Any] = {}
    if floor_source is not None:
        # Under the files: the built-in crisis section. The national lines join after the
        # merge (floor.enforce), where the files do not name them: a file that does keeps its
        # own wording, labels and order, within the floor.
        builtin, _ = check_document(parse_yaml(floor_source[1], floor_source[0]), today)
        floor = floor_layer(builtin)
        layers.append({"crisis": floor["crisis"]})
        named.insert(0, floor_source)
    for name, raw in sources:
        clean, found = check_document(parse_yaml(raw, name), today)
        layers.append(clean)
        problems.extend(_place(found, name, raw))
    floor = floor or (floor_layer(layers[0]) if layers else {})
    for n, layer in enumerate(layers[1:], start=1):
        found = [Problem(message, path, floor=True) for path, message in changes(layer, floor)]
        problems.extend(_place(found, *named[n]))
    merged = merge(layers)
    merged["crisis-floor"] = enforce(merged, floor)
    for n, problem in check_references(layers, merged):
        problems.extend(_place([problem], *named[n]))
    crisis = merged["crisis"]
    for key in ("patterns", "exclusions"):
        joined = joined_problem(crisis.get(key, ()))
        if joined:
            problems.append(Problem(f"crisis {key}: {joined}", file=named[-1][0]))
    return layers, merged, problems


def language_sources(files: Sequence[Path]) -> list[tuple[str, str, bytes]]:
    """(language, name, bytes) of the language layers beside each file, in file order."""
    return [(lang, str(path), read_source(path))
            for file in files for lang, path in layer_paths(file).items()]


def parse_layers(layer_sources: Sequence[tuple[str, str, bytes]]) -> dict[str, dict[str, Any]]:
    """Each language's layers, parsed and merged in file order."""
    from .patterns import expand_words
    from .translations import merge_layers

    by_lang: dict[str, list[dict[str, Any]]] = {}
    for lang, name, raw in layer_sources:
        document = parse_yaml(raw, name)
        if not isinstance(document, dict):
            raise KnowledgeBaseError("a language layer must be a mapping", name)
        document = _plain(document)
        if "crisis" in document:
            document["crisis"], problems = expand_words(document["crisis"])
            if problems:
                raise KnowledgeBaseError(problems[0][1], name)
        by_lang.setdefault(lang, []).append(document)
    return {lang: merge_layers(documents) for lang, documents in by_lang.items()}


def read_layers(merged: dict[str, Any], layer_sources: Sequence[tuple[str, str, bytes]]
                ) -> dict[str, dict[str, Any]]:
    """`parse_layers`; a layer that would break an answer (a template whose placeholders
    differ from the base's, links or contacts in a layer) is an error, as in the base files."""
    from .translations import check_layer

    layers = parse_layers(layer_sources)
    for lang, layer in layers.items():
        errors = check_layer(merged, layer, lang).errors
        if errors:
            more = f" (and {len(errors) - 1} more: run peerfind validate)" if len(errors) > 1 else ""
            raise KnowledgeBaseError(errors[0] + more)
    return layers


def _plain(value: Any) -> Any:
    """YAML's dates as ISO text, like the base files' (the cache is JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


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
    given = [Path(p) for p in paths]
    stores = tuple(path for path in given if is_listing_store(path))
    kb = _load_files([path for path in given if path not in stores], builtin, env, use_cache)
    kb.stores = stores
    return kb


def _load_files(files: list[Path], builtin: bool, env: Mapping[str, str],
                use_cache: bool | None) -> KnowledgeBase:
    if not builtin and not files:
        raise KnowledgeBaseError("no knowledge base: --no-builtin needs at least one --kb FILE")
    floor_source = (str(builtin_path()), read_source(builtin_path()))
    sources = ([floor_source] if builtin else []) + [(str(path), read_source(path))
                                                     for path in files]
    layer_sources = language_sources(([builtin_path()] if builtin else []) + files)
    if use_cache is None:
        use_cache = env.get("PEERFIND_NO_CACHE", "") in ("", "0")
    keyed = (sources if builtin else [("floor", floor_source[1]), *sources]) + [
        (name, raw) for _, name, raw in layer_sources]
    cache_file = cache_dir(env) / f"kb-{cache_key(keyed)}.jsonl" if use_cache else None
    if cache_file is not None:
        cached = read_cache(cache_file)
        if cached is not None and ("languages" not in cached[0]
                                   or language_file(cache_file).is_file()):
            return build(*cached, local_lines(cache_file),
                         Languages(path=language_file(cache_file),
                                   codes=cached[0].get("languages") or ()))
    _, merged, problems = check_files(sources, floor_source=None if builtin else floor_source)
    errors = [p for p in problems if p.severity == "error" and not p.floor]
    if errors:
        more = f" (and {len(errors) - 1} more: run peerfind validate)" if len(errors) > 1 else ""
        first = errors[0]
        raise KnowledgeBaseError(first.message + more, first.file, first.line, first.column)
    from .index import build_index, build_language_crisis, build_language_index

    floor = merged.pop("crisis-floor")
    index = build_index(merged)
    index["crisis"]["floor"] = floor
    # The language layers and their alias indexes go to a cache file of their own, read only
    # for an answer in their language; their crisis words stay with the base (see crisis.py).
    layers = read_layers(merged, layer_sources)
    language_index = {}
    for lang, layer in layers.items():
        language_index[f"lang:{lang}"] = build_language_index(merged, layer, lang)
        index[f"crisis:{lang}"] = build_language_crisis(merged, layer)
    if layers:
        merged["languages"] = sorted(layers)
    if cache_file is not None:
        if layers:
            # One part per key of each layer ("es:populations"): a Spanish search by ids decodes
            # the sections it shows, not the whole layer.
            write_cache(language_file(cache_file),
                        {f"{lang}:{key}": value for lang, layer in layers.items()
                         for key, value in layer.items()}, language_index)
        write_cache(cache_file, merged, index)
    return build(merged, index, languages=Languages(layers, language_index))


