"""Reading knowledge-base files: bytes from disk, YAML with duplicate keys refused, and the line
and column of any node (so a problem can be reported as file:line:column)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import KnowledgeBaseError, os_error_message


SQLITE_HEADER = b"SQLite format 3\x00"
STORE_VERSION = 2  # of listing stores (importers/write.py; 2: records apart from the ranks)


def is_listing_store(path: Path) -> bool:
    """Whether a --kb file is a listing store (SQLite) rather than YAML, by its first bytes."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False  # read_source reports it


def read_source(path: Path) -> bytes:
    """Read a knowledge-base file, turning every OS failure into one clear line."""
    try:
        if path.is_dir():
            raise KnowledgeBaseError("is a directory, expected a YAML file", str(path))
        return path.read_bytes()
    except OSError as exc:
        raise KnowledgeBaseError(os_error_message(exc), str(path)) from None


def _yaml_loader() -> Any:
    """PyYAML's C loader when present, refusing duplicate keys (PyYAML keeps the last one
    silently, so a second `populations:` would drop the first)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class UniqueKeyLoader(base):  # type: ignore[valid-type,misc]
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                seen = set()
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        raise yaml.constructor.ConstructorError(
                            None, None, "a key must be a word, not a list or a mapping",
                            key_node.start_mark)
                    key = (key_node.tag, key_node.value)  # 1 and "1" are different keys
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
                    seen.add(key)
                return super().construct_mapping(node, deep)

        _LOADER = UniqueKeyLoader
    return _LOADER


_LOADER: Any = None


def parse_yaml(raw: bytes, name: str) -> Any:
    """Parse YAML text; a syntax error becomes file:line:column: message."""
    import yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(f"not UTF-8 text (byte {exc.start})", name) from None
    try:
        loader = _yaml_loader()(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            problem = _alias_problem(node)
            if problem:
                raise KnowledgeBaseError(problem, name)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError:
        raise KnowledgeBaseError("YAML nested too deeply", name) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise KnowledgeBaseError(
            f"YAML syntax error: {problem}", name,
            mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"YAML error: {type(exc).__name__}", name) from None


# YAML aliases (*name) repeat a node. A few are handy; thousands of a large node build a
# document far bigger than its file (a 68 KB file once took three minutes to load).
MAX_ALIAS_NODES = 10_000


def _alias_problem(root: Any) -> str | None:
    """Why the aliases of a node tree are refused: a node that contains itself, or aliases that
    add more than MAX_ALIAS_NODES nodes to the document. Counted without recursion, each node
    once."""
    import yaml

    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        if done:
            on_path.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if id(node) in sizes:
            continue
        if id(node) in on_path:
            return "a YAML alias refers to a node that contains it"
        on_path.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                return "a YAML alias refers to a node that contains it"
            if id(child) not in sizes:
                stack.append((child, False))
    added = sizes[id(root)] - len(sizes)
    if added > MAX_ALIAS_NODES:
        return (f"YAML aliases repeat {added:,} nodes (at most {MAX_ALIAS_NODES:,}): write the "
                f"lists out, or share fewer")
    return None


def compose(raw: bytes) -> Any:
    """The YAML node tree of a document (for line and column look-ups), or None."""
    import yaml

    try:
        return yaml.compose(raw.decode("utf-8-sig"), Loader=_yaml_loader())
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


def locate(root: Any, path: tuple[Any, ...], at_key: bool = False) -> tuple[int | None, int | None]:
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


