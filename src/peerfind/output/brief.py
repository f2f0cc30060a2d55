"""The first screen of an answer: what a person in distress reads, and may read nothing else.

When a life is in danger, 911 and what to do now; when the words read like a crisis, the crisis
lines (speaking to the helper when they are about someone else): nothing else, so that nothing
pushes them out of sight. Otherwise: who peerfind understood, the few contacts that fit this
person best, with numbers, and the best searches. The whole answer (`--all`, and every machine
format) has everything else.
"""

from __future__ import annotations

from typing import Any

from .outline import Block, Item, contact_item, urgent_blocks

# How much of each kind the first screen shows.
CONTACTS, SEARCHES = 3, 3
# Contacts a person can act on at once, from the first screen.
_REACHABLE = ("phone", "text", "dial")


def brief(result: dict[str, Any]) -> list[Block]:
    """The first screen of an answer, as titled blocks."""
    blocks = urgent_blocks(result, contact_item, brief=True)
    if blocks:
        # A crisis or an emergency is the whole first screen: nothing may push it out of sight.
        left = more(result)
        return blocks + ([Block("more", "", left)] if left else [])
    understood = _understood(result)
    if understood:
        blocks.append(Block("matches", "What we understood", items=understood))
    contacts = [o for o in result["local_services"] if any(
        c["type"] in _REACHABLE for c in o["contacts"])] + result["best_contacts"]
    if contacts:
        blocks.append(Block("contacts", "Contacts that fit",
                            items=[contact_item(o) for o in contacts[:CONTACTS]]))
    searches = result["searches"][:SEARCHES]
    if searches:
        where = (result.get("location") or {}).get("value")
        blocks.append(Block("searches", f"Search near {where}" if where
                            else "Search for peer support near you",
                            items=[Item(s["query"], url=s["url"]) for s in searches]))
    left = more(result)
    if left:
        blocks.append(Block("more", "", left))
    return blocks


def more(result: dict[str, Any]) -> str:
    """One short line on what the whole answer (--all) adds to the first screen."""
    urgent = result["crisis"]["detected"] or result["emergency"]["detected"]
    parts = []
    searches = len(result["searches"]) - (0 if urgent else SEARCHES)
    if searches > 0:
        parts.append(f"{searches} searches" if urgent else f"{searches} more searches")
    parts += [name for key, name in (("organization_types", "places to look"),
                                     ("organizations", "organizations"), ("advice", "advice"))
              if result[key]]
    if not parts:
        return ""
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"More with --all: {listed}."


def _understood(result: dict[str, Any]) -> list[Item]:
    """Who the answer is for: the writer's own matches, then the other person's."""
    about = result.get("about") or {}
    # What the words named: an implied population ("alcohol" -> recovery) is the answer's
    # inference, shown in the whole answer.
    matches = [m for m in result["matches"] if m["via"] != "implied"]
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
    return Item(f"{who}: {names}" + (f" ({words})" if words else ""))
