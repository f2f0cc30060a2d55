"""The first screen of an answer: what a person in distress reads, and may read nothing else.

In order: 911 and what to do now when a life is in danger; the crisis lines when the words read
like a crisis (speaking to the helper when they are about someone else); who peerfind
understood; the few contacts that fit this person best, with numbers; the best searches. The
full sheet (`--all`, and every machine format) has everything else.
"""

from __future__ import annotations

from typing import Any

from ..language.catalog import Translations
from .outline import Block, Item, answer_language, contact_item, urgent_blocks

# How much of each kind the first screen shows (fewer when crisis lines come first).
CONTACTS, SEARCHES = 3, 3
CONTACTS_IN_CRISIS, SEARCHES_IN_CRISIS = 2, 2
# Contacts a person can act on at once, from the first screen.
_REACHABLE = ("phone", "text", "dial")


def brief(result: dict[str, Any]) -> list[Block]:
    """The first screen of an answer, as titled blocks."""
    tr = answer_language(result)
    lang = (result.get("input") or {}).get("lang") or "en"

    def item(org: dict[str, Any]) -> Item:
        return contact_item(org, lang)

    blocks = urgent_blocks(result, item)
    emergency, crisis = result["emergency"], result["crisis"]
    understood = _understood(result, tr)
    if understood:
        blocks.append(Block("matches", tr.gettext("What we understood"), items=understood))
    in_crisis = crisis["detected"] or emergency["detected"]
    contacts = [o for o in result["local_services"] if any(
        c["type"] in _REACHABLE for c in o["contacts"])] + result["best_contacts"]
    if contacts:
        blocks.append(Block("contacts", tr.gettext("Contacts that fit"), items=[
            item(o) for o in contacts[:CONTACTS_IN_CRISIS if in_crisis else CONTACTS]]))
    searches = result["searches"][:SEARCHES_IN_CRISIS if in_crisis else SEARCHES]
    if searches:
        where = (result.get("location") or {}).get("value")
        blocks.append(Block("searches", tr.gettext("Search near {place}").format(place=where)
                            if where else tr.gettext("Search for peer support near you"),
                            items=[Item(s["query"], url=s["url"]) for s in searches]))
    left = more(result, tr)
    if left:
        blocks.append(Block("more", tr.gettext("More"), tr.gettext(
            "The whole answer adds {parts}: run the same search again with --all.").format(
            parts=left)))
    return blocks


def more(result: dict[str, Any], tr: Translations | None = None) -> str:
    """What the full sheet adds to the first screen, in a few words (for a hint)."""
    tr = tr or answer_language(result)
    in_crisis = result["crisis"]["detected"] or result["emergency"]["detected"]
    searches = len(result["searches"]) - (SEARCHES_IN_CRISIS if in_crisis else SEARCHES)
    parts = []
    if searches > 0:
        parts.append(tr.ngettext("{count} more search", "{count} more searches",
                                 searches).format(count=searches))
    if result["organization_types"]:
        parts.append(tr.gettext("kinds of places to look for"))
    if result["organizations"]:
        parts.append(tr.gettext("national organizations"))
    if result["advice"]:
        parts.append(tr.gettext("how to judge what you find"))
    return ", ".join(parts)


# Possessives that say whose the other person is, in every language: "my husband" -> "husband".
_POSSESSIVES = ("my", "our", "mi", "mis", "nuestro", "nuestra", "nuestros", "nuestras")


def _understood(result: dict[str, Any], tr: Translations) -> list[Item]:
    """Who the answer is for: the writer's own matches, then the other person's."""
    about = result.get("about") or {}
    matches = result["matches"]
    own = [m for m in matches if m.get("about", "self") == "self"]
    theirs = [m for m in matches if m.get("about") == "other"]
    items = []
    if own:
        items.append(_said(tr.gettext("You"), own, tr))
    if theirs:
        words = [w for w in about.get("words") or () if w not in _POSSESSIVES]
        who = (tr.gettext("Your {person}").format(person=" ".join(words)) if words
               else tr.gettext("Someone you know"))
        items.append(_said(who, theirs, tr))
    return items


def _said(who: str, matches: list[dict[str, Any]], tr: Translations) -> Item:
    names = "; ".join(m["name"] for m in matches)
    words = ", ".join(dict.fromkeys(w for m in matches if m["via"] == "text" for w in m["matched"]))
    return Item(f"{who}: {names}",
                [tr.gettext("(from: {words})").format(words=words)] if words else [])
