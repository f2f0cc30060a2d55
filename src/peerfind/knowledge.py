"""Load the knowledge base: the built-in YAML, layered with the user's own files.

Parsing YAML and building the matcher's index cost tens of milliseconds, so the result is kept
in a JSON cache in the user's cache directory, keyed by the files' contents. The cache holds only
knowledge-base data, never anything a user typed.

The cache is JSON lines: a header, then one line per part (each section, each part of the
index). A part is decoded only when first read: an exact-id search never decodes the
matcher's alias index, which is a third of the file.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from functools import cached_property
from pathlib import Path

from . import __version__
from .errors import KnowledgeBaseError
from .model import (
    PLACEHOLDERS_DEFAULT, SECTIONS, Crisis, Entry, KnowledgeBase, Meta, Organization, Vocabulary,
    build_kwargs,
)

CACHE_FORMAT = 8  # bump when the cached structure changes
BUILTIN_NAME = "resources.yaml"


def builtin_path() -> Path:
    """The shipped knowledge base: inside the installed package, else the source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / BUILTIN_NAME
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / BUILTIN_NAME


def kb_paths_from_env(environ: Mapping[str, str] | None = None) -> list[Path]:
    value = (environ if environ is not None else os.environ).get("PEERFIND_KB", "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = environ if environ is not None else os.environ
    if env.get("PEERFIND_CACHE_DIR"):
        return Path(env["PEERFIND_CACHE_DIR"])
    if sys.platform == "win32":
        base = env.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "peerfind" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "peerfind"
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peerfind"


def read_source(path: Path) -> bytes:
    """Read a knowledge-base file, turning every OS failure into one clear line."""
    try:
        if path.is_dir():
            raise KnowledgeBaseError("is a directory, expected a YAML file", str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeBaseError("no such file", str(path)) from None
    except PermissionError:
        raise KnowledgeBaseError("permission denied", str(path)) from None
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read ({exc.strerror or type(exc).__name__})",
                                 str(path)) from None


def _yaml_loader():
    """PyYAML's C loader when present, refusing duplicate keys (PyYAML keeps the last one
    silently, so a second `populations:` would drop the first)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class UniqueKeyLoader(base):
            def construct_mapping(self, node, deep=False):
                seen = set()
                for key_node, _ in node.value:
                    key = key_node.value
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key!r}", key_node.start_mark)
                    seen.add(key)
                return super().construct_mapping(node, deep)

        _LOADER = UniqueKeyLoader
    return _LOADER


_LOADER = None


def parse_yaml(raw: bytes, name: str):
    """Parse YAML text; a syntax error becomes file:line:column: message."""
    import yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(f"not UTF-8 text (byte {exc.start})", name) from None
    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise KnowledgeBaseError(
            f"YAML syntax error: {problem}", name,
            mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"YAML error: {type(exc).__name__}", name) from None


def compose(raw: bytes):
    """The YAML node tree of a document (for line and column look-ups), or None."""
    import yaml

    try:
        return yaml.compose(raw.decode("utf-8-sig"), Loader=_yaml_loader())
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


def locate(root, path: tuple, at_key: bool = False) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the node at `path`; of its key when `at_key`."""
    import yaml

    node, mark = root, getattr(root, "start_mark", None)
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if pair is None:
                break
            node, mark = pair[1], (pair[0] if last and at_key else pair[1]).start_mark
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


class Section(Mapping):
    """A section's entries by id, built into objects only when first read.

    The organizations section also answers for local listings (see LocalListings), which it
    looks up only when an id is not among its own records.
    """

    def __init__(self, cls: type[Entry], load: Callable[[], dict],
                 local: LocalListings | None = None) -> None:
        self._cls = cls
        self._load = load  # -> the raw records by id, called on first use
        self._local = local
        self._built: dict[str, Entry] = {}

    def __getattr__(self, name: str):
        # Runs once: after it, _records is a plain attribute.
        if name != "_records":
            raise AttributeError(name)
        self._records = self._load()
        return self._records

    def __getitem__(self, entry_id: str) -> Entry:
        entry = self._built.get(entry_id)
        if entry is None:
            record = self._records.get(entry_id)
            if record is None:
                if self._local is None or entry_id not in self._local.numbers:
                    raise KeyError(entry_id)
                return self._local[self._local.numbers[entry_id]]
            entry = self._built[entry_id] = self._cls(**build_kwargs(record))
        return entry

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._records or bool(self._local) and entry_id in self._local.numbers

    def __iter__(self) -> Iterator[str]:
        yield from self._records
        if self._local:
            yield from self._local.numbers

    def __len__(self) -> int:
        return len(self._records) + len(self._local or ())


class LocalListings:
    """Local listings (own knowledge bases, HSDS imports) by number, in file order.

    There may be tens of thousands, and a search shows ten. From the cache each listing is a
    line of a JSON-lines file, read when asked for; their ids are decoded only to look one up
    by id (`peerfind show`).
    """

    def __init__(self, records: list[dict] | None = None, parts: Mapping | None = None,
                 lines: Path | None = None) -> None:
        self._records = records  # from YAML
        self._parts = parts  # from the cache: local-offsets, local-ids
        self._lines = lines
        self._built: dict[int, Organization] = {}

    def __len__(self) -> int:
        if self._records is not None:
            return len(self._records)
        return max(0, len(self._parts.get("local-offsets", ())) - 1) if self._parts else 0

    def __getitem__(self, number: int) -> Organization:
        entry = self._built.get(number)
        if entry is None:
            record = self._records[number] if self._records is not None else self._read(number)
            entry = self._built[number] = Organization(**build_kwargs(record))
        return entry

    def _read(self, number: int) -> dict:
        offsets = self._parts["local-offsets"]
        with open(self._lines, "rb") as handle:
            handle.seek(offsets[number])
            return json.loads(handle.read(offsets[number + 1] - offsets[number]))

    @cached_property
    def numbers(self) -> dict[str, int]:
        """Each listing's number by its id."""
        if self._records is not None:
            ids = [record["id"] for record in self._records]
        else:
            ids = self._parts.get("local-ids", []) if self._parts else []
        return {entry_id: number for number, entry_id in enumerate(ids)}


class Parts(MutableMapping):
    """Named JSON documents, kept as bytes until first read."""

    def __init__(self, raw: dict[str, bytes]) -> None:
        self._raw = raw
        self._parsed: dict[str, object] = {}

    def __getitem__(self, name: str):
        if name not in self._parsed:
            self._parsed[name] = json.loads(self._raw[name])
        return self._parsed[name]

    def __setitem__(self, name: str, value) -> None:
        self._parsed[name] = value

    def __delitem__(self, name: str) -> None:
        if self._raw.pop(name, None) is None and name not in self._parsed:
            raise KeyError(name)
        self._parsed.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._raw or name in self._parsed

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._raw), **dict.fromkeys(self._parsed)})

    def __len__(self) -> int:
        return len(self._raw.keys() | self._parsed.keys())


def build(data: Mapping, index: Mapping, lines: Path | None = None) -> KnowledgeBase:
    """Knowledge base objects from merged, checked data (a dict, or the cache's parts). Local
    listings come from the data's organizations, or from the cache's file of JSON lines."""

    def records(name: str) -> Callable[[], dict]:
        def load() -> dict:
            return {record["id"]: record for record in data.get(name, ()) if not record.get("local")}

        return load

    if lines is None:
        local = LocalListings([r for r in data.get("organizations", ()) if r.get("local")])
    else:
        local = LocalListings(parts=data, lines=lines)
    sections = {name: Section(cls, records(name), local if name == "organizations" else None)
                for name, cls in SECTIONS.items()}
    return KnowledgeBase(
        sections=sections,  # type: ignore[arg-type]
        crisis=Crisis(**build_kwargs(data.get("crisis") or {})),
        vocabulary=Vocabulary(**build_kwargs(data.get("vocabulary") or {})),
        placeholders={**PLACEHOLDERS_DEFAULT, **(data.get("placeholders") or {})},
        meta=Meta(**build_kwargs(data.get("meta") or {})),
        index=index,
        local=local,
    )


def check_files(sources: Sequence[tuple[str, bytes]], today=None):
    """Parse and check every file. Returns (layers, merged, problems) with located problems.

    YAML syntax errors raise KnowledgeBaseError: nothing else in that file can be trusted.
    """
    from .schema import check_document, check_references, merge

    layers, problems = [], []
    for name, raw in sources:
        clean, found = check_document(parse_yaml(raw, name), today)
        layers.append(clean)
        problems.extend(_place(found, name, raw))
    merged = merge(layers)
    for n, problem in check_references(layers, merged):
        problems.extend(_place([problem], *sources[n]))
    return layers, merged, problems


def _place(problems, name: str, raw: bytes):
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
    cache_file = cache_dir(env) / f"kb-{_cache_key(sources)}.jsonl"
    if use_cache:
        cached = _read_cache(cache_file)
        if cached is not None and ("local-offsets" not in cached[0]
                                   or _local_lines(cache_file).is_file()):
            return build(*cached, _local_lines(cache_file))
    _, merged, problems = check_files(sources)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: run peerfind validate)" if len(errors) > 1 else ""
        first = errors[0]
        raise KnowledgeBaseError(first.message + more, first.file, first.line, first.column)
    from .crisis import gates
    from .finder import build_links
    from .match import build_index

    kb = build(merged, {})
    kb.index = {**build_index(kb), **build_links(merged), "crisis": gates(kb.crisis)}
    if use_cache:
        _write_cache(cache_file, merged, kb.index)
    return kb


def _local_lines(cache_file: Path) -> Path:
    return cache_file.with_name(f"{cache_file.stem}.local.jsonl")


def _write_local_lines(path: Path, records: list[dict]) -> list[int]:
    """Local listings, one JSON line each; returns where each line starts, and where the last
    ends. Decoding ten thousand listings costs more than a whole search, and a search shows ten."""
    offsets = [0]
    tmp = _temporary(path)
    with open(tmp, "wb") as handle:
        for record in records:
            line = _dumps(record) + b"\n"
            handle.write(line)
            offsets.append(offsets[-1] + len(line))
    os.replace(tmp, path)  # another peerfind may be reading the same file: never half of it
    return offsets


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _dumps(value) -> bytes:
    # One line: json escapes every newline inside strings.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _cache_key(sources: Sequence[tuple[str, bytes]]) -> str:
    # CRC-32 of each file's content with its size: cheap enough to compute on every run
    # (hashlib's import alone costs more than the rest of an exact-id search).
    parts = [f"{CACHE_FORMAT}", __version__]
    parts += [f"{len(raw):x}-{zlib.crc32(raw):08x}" for _, raw in sources]
    total = sum(len(raw) for _, raw in sources)
    return f"{zlib.crc32('/'.join(parts).encode()):08x}-{total:x}"


def _read_cache(path: Path) -> tuple[Parts, Parts] | None:
    """The cache's data and index parts, or None when it is missing, stale or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header, _, body = raw.partition(b"\n")
    try:
        head = json.loads(header)
    except ValueError:
        return None
    lines = body.split(b"\n")
    if (not isinstance(head, dict) or head.get("crc") != zlib.crc32(body)
            or not isinstance(head.get("parts"), list) or len(head["parts"]) != len(lines)):
        return None
    data, index = {}, {}
    for name, line in zip(head["parts"], lines):
        if name.startswith("index:"):
            index[name[6:]] = line
        else:
            data[name] = line
    return Parts(data), Parts(index)


def _write_cache(path: Path, merged: dict, index: dict) -> None:
    # Best effort: a read-only home or a full disk only costs speed next time. The main file
    # is written last, so its presence means the cache is whole.
    organizations = merged.get("organizations", ())
    local = [r for r in organizations if r.get("local")]
    data = dict(merged, organizations=[r for r in organizations if not r.get("local")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if local:
            data["local-offsets"] = _write_local_lines(_local_lines(path), local)
            data["local-ids"] = [record["id"] for record in local]
        parts = {**data, **{f"index:{name}": value for name, value in index.items()}}
        body = b"\n".join(_dumps(value) for value in parts.values())
        header = _dumps({"format": CACHE_FORMAT, "parts": list(parts), "crc": zlib.crc32(body)})
        tmp = _temporary(path)
        tmp.write_bytes(header + b"\n" + body)
        os.replace(tmp, path)
        for old in path.parent.glob("kb-*"):
            if not old.name.startswith(path.stem) and old.stat().st_mtime < path.stat().st_mtime - 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass
