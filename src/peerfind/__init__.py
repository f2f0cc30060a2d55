"""peerfind: find mental-health and substance-use peer support, offline.

The library under the command line::

    from peerfind import search
    result = search("marine vet drinking too much", location="Austin, TX")
    result.to_dict()          # the same object `peerfind search --format json` prints

Heavy modules load on first use, so ``import peerfind`` stays cheap.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "load_knowledge_base", "search"]


def __getattr__(name: str):
    # Lazy exports keep `peerfind --version` and `import peerfind` free of the engine.
    if name == "search":
        from .answer.finder import search

        return search
    if name == "load_knowledge_base":
        from .knowledge import load_knowledge_base

        return load_knowledge_base
    raise AttributeError(f"module 'peerfind' has no attribute {name!r}")
