"""Local listings for an answer: linked to what matched, filtered and ranked, read from disk
only when shown.

Two sources: local listings in YAML knowledge bases (a few, hand-written), and listing stores
(`--kb local.db`, written by the import commands, up to a state's whole directory). Both are
ranked alike (see listing_store.py): listings whose service area covers --near first, then how
well each fits the need, then distance, then freshness. Each listing says why it was chosen.
"""

from __future__ import annotations

import heapq
import re
import sqlite3
from typing import Any, ClassVar

from ..errors import UsageError, shown
from ..knowledge import KnowledgeBase
from ..knowledge.model import Organization, build_kwargs
from .listing_store import Filters, Found, ListingStore, explain, freshness
from .match import Match

MAX_LOCAL = 10
WEIGHTS = {"population": 2, "condition": 2, "setting": 1}
# A YAML listing's ZIP code, read from the end of its address.
_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\s*$")
# The record fields an organization entry holds; the rest go to FoundListing.found.
_ENTRY_FIELDS = ("id", "name", "type", "organization", "description", "address", "schedule",
                 "languages", "eligibility", "modes", "contacts", "settings", "populations",
                 "conditions", "local", "source")


class FoundListing(Organization):
    """A local listing chosen for an answer: the entry, plus how far, why, and its data."""

    found: dict = {}  # distance_miles, why, updated, directory, opening hours...
    section: ClassVar[str] = "organizations"


def local_services(kb: KnowledgeBase, matches: list[Match], filters: Filters,
                   ) -> tuple[list[Organization], list[str]]:
    """The local listings for what matched, best first, and notes for stderr (filters the
    data cannot answer)."""
    weights: dict[str, int] = {}
    for m in matches:
        if m.kind in WEIGHTS:
            weights[m.id] = max(weights.get(m.id, 0), WEIGHTS[m.kind])
    if not weights:
        return [], []
    if not kb.stores and not filters.active:
        return _from_yaml(kb, weights), []
    found: list[Found] = []
    notes: list[str] = []
    for path in kb.stores:
        store = ListingStore(path)
        try:
            results, store_notes = store.search(weights, filters, MAX_LOCAL)
        except sqlite3.DatabaseError:
            raise UsageError(f"{shown(path)}: the listing store cannot be read (damaged?); "
                             f"import the directory again") from None
        for item in results:
            item.record.setdefault("directory", store.directory)
        found += results
        notes += store_notes
    yaml_records = _yaml_records(kb, weights)
    if yaml_records:
        from ..geo import Places
        from ..knowledge.cache import cache_dir

        places = Places(cache_dir())
        for record in yaml_records:
            place = places.zip_place(record.get("postal_code", ""))
            if place is not None:
                record.update(latitude=place.latitude, longitude=place.longitude,
                              timezone=place.timezone)
        results, yaml_notes = ListingStore.in_memory(yaml_records).search(
            weights, filters, MAX_LOCAL)
        found += results
        notes += yaml_notes
    found.sort(key=_rank)
    names = {m.id: m.name for m in matches}
    return [_listing(kb, item, names, filters) for item in found[:MAX_LOCAL]], notes


def _rank(item: Found) -> tuple:
    updated = item.record.get("updated") or ""
    return (not item.covered, -item.fit, item.distance is None, item.distance or 0.0,
            [-ord(ch) for ch in updated])


def _candidates(kb: KnowledgeBase, weights: dict[str, int]) -> dict[int, int]:
    """YAML listings by number, with their fit: those linked to a matched who or what when the
    need named one (else to any match)."""
    local_links = kb.index.get("local_links", {})
    scores: dict[int, int] = {}
    specific: set[int] = set()
    for target, weight in weights.items():
        for number in local_links.get(target, ()):
            scores[number] = scores.get(number, 0) + weight
            if weight >= 2:
                specific.add(number)
    if any(weight >= 2 for weight in weights.values()):
        scores = {number: score for number, score in scores.items() if number in specific}
    return scores


def _from_yaml(kb: KnowledgeBase, weights: dict[str, int]) -> list[Organization]:
    """Without a place or filters: the best linked YAML listings, in file order on ties."""
    scores = _candidates(kb, weights)
    best = heapq.nsmallest(MAX_LOCAL, scores, key=lambda n: (-scores[n], n))
    return [kb.local[number] for number in best]


def _yaml_records(kb: KnowledgeBase, weights: dict[str, int]) -> list[dict[str, Any]]:
    """The linked YAML listings as store records (a ZIP code read from the address)."""
    scores = _candidates(kb, weights)
    records = []
    for number in heapq.nsmallest(200, scores, key=lambda n: (-scores[n], n)):
        org = kb.local[number]
        record: dict[str, Any] = {
            "id": org.id, "name": org.name, "type": org.type, "modes": list(org.modes),
            "settings": list(org.settings), "populations": list(org.populations),
            "conditions": list(org.conditions), "updated": org.checked or None,
            "directory": org.source or "", "_number": number}
        found = _ZIP.search(org.address)
        if found:
            record["postal_code"] = found.group(1)
        records.append(record)
    return records


def _listing(kb: KnowledgeBase, item: Found, names: dict[str, str],
             filters: Filters) -> Organization:
    record = item.record
    extra: dict[str, Any] = {
        "distance_miles": round(item.distance, 1) if item.distance is not None else None,
        "why": explain(item, names, filters),
        "updated": record.get("updated") or None,
        "directory": record.get("directory") or None,
        "freshness": freshness(record),
    }
    if record.get("hours"):
        extra["opening_hours"] = record["hours"]
    for key in ("timezone", "free", "fees", "ages", "language_codes", "accessibility",
                "service_areas", "attendance", "meeting", "postal_code", "city", "state"):
        if record.get(key) is not None:
            extra[key] = record[key]
    if "_number" in record:  # a YAML listing: the entry as it was loaded
        org = kb.local[record["_number"]]
        kwargs = {name: value for name, value in org.__dict__.items()
                  if name in Organization.fields}
        return FoundListing(**kwargs, found=extra)
    entry = {key: record[key] for key in _ENTRY_FIELDS if key in record}
    entry["local"] = True
    if record.get("updated"):
        entry["checked"] = record["updated"]
    return FoundListing(**build_kwargs(entry), found=extra)
