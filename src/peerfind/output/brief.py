"""The first screen of an answer: what a person in distress reads, and may read nothing else.

In order: 911 and what to do now when a life is in danger; the crisis lines when the words read
like a crisis (speaking to the helper when they are about someone else); who peerfind
understood; the few contacts that fit this person best, with numbers; the best searches. The
full sheet (`--all`, and every machine format) has everything else.
"""

from __future__ import annotations

from typing import Any

from .outline import Block, Item, contact_item, urgent_blocks

# How much of each kind the first screen shows (fewer when crisis lines come first).
CONTACTS, SEARCHES = 3, 3
CONTACTS_IN_CRISIS, SEARCHES_IN_CRISIS = 2, 2
# Contacts a person can act on at once, from the first screen.
_REACHABLE = ("phone", "text", "dial")


def brief(result: dict[str, Any]) -> list[Block]:
    """The first screen of an answer, as titled blocks."""
    blocks = urgent_blocks(result, contact_item)
    emergency, crisis = result["emergency"], result["crisis"]
    understood = _understood(result)
    if understood:
        blocks.append(Block("matches", "What we understood", items=understood))
    in_crisis = crisis["detected"] or emergency["detected"]
    contacts = [o for o in result["local_services"] if any(
        c["type"] in _REACHABLE for c in o["contacts"])] + result["best_contacts"]
    if contacts:
        blocks.append(Block("contacts", "Contacts that fit", items=[
            contact_item(o) for o in contacts[:CONTACTS_IN_CRISIS if in_crisis else CONTACTS]]))
    searches = result["searches"][:SEARCHES_IN_CRISIS if in_crisis else SEARCHES]
    if searches:
        where = (result.get("location") or {}).get("value")
        blocks.append(Block("searches", f"Search near {where}" if where
                            else "Search for peer support near you",
                            items=[Item(s["query"], url=s["url"]) for s in searches]))
    left = more(result)
    if left:
        blocks.append(Block("more", "More", f"The whole answer adds {left}: run the same "
                                                    "search again with --all."))
    return blocks


def more(result: dict[str, Any]) -> str:
    """What the full sheet adds to the first screen, in a few words (for a hint)."""
    in_crisis = result["crisis"]["detected"] or result["emergency"]["detected"]
    searches = len(result["searches"]) - (SEARCHES_IN_CRISIS if in_crisis else SEARCHES)
    parts = []
    if searches > 0:
        parts.append(f"{searches} more searches")
    if result["organization_types"]:
        parts.append("kinds of places to look for")
    if result["organizations"]:
        parts.append("national organizations")
    if result["advice"]:
        parts.append("how to judge what you find")
    return ", ".join(parts)


def _understood(result: dict[str, Any]) -> list[Item]:
    """Who the answer is for: the writer's own matches, then the other person's."""
    about = result.get("about") or {}
    matches = result["matches"]
    own = [m for m in matches if m.get("about", "self") == "self"]
    theirs = [m for m in matches if m.get("about") == "other"]
    items = []
    if own:
        items.append(_said("You", own))
    if theirs:
        words = [w for w in about.get("words") or () if w not in ("my", "our")]
        who = f"Your {' '.join(words)}" if words else "Someone you know"
        items.append(_said(who, theirs))
    return items


def _said(who: str, matches: list[dict[str, Any]]) -> Item:
    names = "; ".join(m["name"] for m in matches)
    words = ", ".join(dict.fromkeys(w for m in matches if m["via"] == "text" for w in m["matched"]))
    return Item(f"{who}: {names}", [f"(from: {words})"] if words else [])
