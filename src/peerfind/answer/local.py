"""Local listings (own knowledge bases, HSDS imports) for an answer: linked to what matched,
ranked nearer first, read from disk only when shown."""

from __future__ import annotations

import heapq

from ..knowledge import KnowledgeBase
from ..knowledge.model import Organization
from ..language.normalize import normalize
from .match import Match

MAX_LOCAL = 10


def local_services(kb: KnowledgeBase, matches: list[Match], near: str) -> list[Organization]:
    """Local listings linked to what matched: nearer first (by the words of their address),
    then more shared links, then file order. Ranked from the index alone: only the listings
    shown are ever read."""
    local_links = kb.index.get("local_links", {})
    if not local_links or not matches:
        return []
    weights = {"population": 2, "condition": 2, "setting": 1}
    scores: dict[int, int] = {}
    specific: set[int] = set()
    for m in matches:
        for number in local_links.get(m.id, ()):
            scores[number] = scores.get(number, 0) + weights.get(m.kind, 1)
            if m.kind in ("population", "condition"):
                specific.add(number)
    if any(m.kind in ("population", "condition") for m in matches):
        scores = {number: score for number, score in scores.items() if number in specific}
    near_words = set(normalize(near).split())
    places = kb.index.get("local_places", []) if near_words else []

    def rank(number: int) -> tuple[int, int, int]:
        nearness = len(near_words & set(places[number].split())) if near_words else 0
        return (-nearness, -scores[number], number)

    return [kb.local[number] for number in heapq.nsmallest(MAX_LOCAL, scores, key=rank)]
