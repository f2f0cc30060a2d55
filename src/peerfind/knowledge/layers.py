"""Layering: later knowledge-base files add entries to earlier ones, or extend or replace them."""

from __future__ import annotations

from typing import Any

from .model import SECTIONS


def merge(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Layer cleaned documents in order: later files add entries or extend earlier ones.

    An entry whose id already exists extends it: text and true/false fields override, lists are
    appended (without repeats). With ``replace: true`` the later entry replaces the earlier one.
    `origins` gives the layer that first named each entry after the first: a user's own file
    is more specific than the built-in knowledge base, and wins its ties.
    """
    merged: dict[str, Any] = {"placeholders": {}, "meta": {}, "vocabulary": {}, "crisis": {},
                              "origins": {}}
    positions: dict[str, dict[str, int]] = {}
    for number, layer in enumerate(layers):
        for key in ("placeholders", "meta"):
            merged[key].update(layer.get(key, {}))
        for key in ("vocabulary", "crisis"):
            _extend(merged[key], layer.get(key, {}))
        for section in SECTIONS:
            entries = merged.setdefault(section, [])
            index = positions.setdefault(section, {})
            for entry in layer.get(section, ()):
                at = index.get(entry["id"])
                if at is None:
                    index[entry["id"]] = len(entries)
                    entries.append(dict(entry))
                    if number:
                        merged["origins"][entry["id"]] = number
                elif entry.get("replace"):
                    entries[at] = dict(entry)
                else:
                    _extend(entries[at], entry)
    return merged


def _extend(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + [item for item in value if item not in base[key]]
        else:
            base[key] = value
