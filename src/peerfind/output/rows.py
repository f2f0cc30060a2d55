"""The rows of tables (csv, tsv) for answers: one per crisis line, guided search and app search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


SEARCH_COLUMNS = ("line", "input", "kind", "query", "url", "why", "population", "condition",
                  "mode", "pathway", "phone", "address", "hours", "distance_miles")


def search_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per crisis line (when a crisis was read), per guided search and app search."""
    from .outline import answer_language, contact_text

    tr = answer_language(result)

    base = {"line": result["input"].get("line", ""), "input": result["input"]["text"],
            "phone": "", "address": "", "hours": "", "distance_miles": ""}
    for org in result["crisis"]["resources"]:
        yield dict(base, kind="crisis-line", query=org["name"],
                   url=org.get("chat") or org.get("url") or "",
                   why=" · ".join(contact_text(c, tr) for c in org["contacts"]),
                   population="", condition="", mode="crisis", pathway="")
    for org in result.get("local_services", ()):
        distance = org.get("distance_miles")
        yield dict(base, kind="local-listing", query=org["name"], url=org.get("url") or "",
                   why="; ".join(org.get("why") or ()) or org.get("kind_label", ""),
                   population="", condition="", mode=" ".join(org.get("modes") or ()),
                   pathway=org["id"], phone=org.get("phone") or "",
                   address=org.get("address") or "", hours=org.get("schedule") or "",
                   distance_miles="" if distance is None else f"{distance:.1f}")
    for key, kind in (("searches", "search"), ("app_searches", "app-store")):
        for s in result[key]:
            yield dict(base, kind=kind, query=s["query"], url=s["url"] or "", why=s["why"],
                       population=s["population"] or "", condition=s["condition"] or "",
                       mode=s["mode"], pathway=s["pathway"])
