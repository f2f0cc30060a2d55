"""Pathway templates ("{location} peer support groups {focus}"): the parser that both checks
them (schema.py) and fills them (answer/searches.py), so the two never disagree."""

from __future__ import annotations

try:  # what string.Formatter().parse runs; importing `string` costs a millisecond more
    from _string import formatter_parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python implementations without _string
    import string

    formatter_parser = string.Formatter().parse
