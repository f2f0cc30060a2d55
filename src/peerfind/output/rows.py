"""The rows of tables (csv, tsv) for answers: one per crisis line, guided search and app search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


SEARCH_COLUMNS = ("line", "input", "kind", "query", "url", "why", "population", "condition",
                  "mode", "pathway")


def search_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per crisis line (when a crisis was read), per guided search and app search."""
    from .outline import contact_text

    base = {"line": result["input"].get("line", ""), "input": result["input"]["text"]}
    for org in result["crisis"]["resources"]:
        yield dict(base, kind="crisis-line", query=org["name"],
                   url=org.get("chat") or org.get("url") or "",
                   why=" · ".join(contact_text(c) for c in org["contacts"]),
                   population="", condition="", mode="crisis", pathway="")
    for key, kind in (("searches", "search"), ("app_searches", "app-store")):
        for s in result[key]:
            yield dict(base, kind=kind, query=s["query"], url=s["url"] or "", why=s["why"],
                       population=s["population"] or "", condition=s["condition"] or "",
                       mode=s["mode"], pathway=s["pathway"])
