"""The outline of what a command shows, for people: titled blocks of items.

Text, plain and markdown (and any format for people) draw the same outline, so they always say
the same things in the same order. For an answer: crisis lines first, then local listings,
guided searches, settings, named organizations, how to judge what you find, and the quiet 988
line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Item:
    """One entry of a block: a title, its lines and perhaps a link."""

    __slots__ = ("title", "lines", "url")

    def __init__(self, title: str, lines: list[str] | None = None,
                 url: str | None = None) -> None:
        self.title, self.lines, self.url = title, lines or [], url


class Block:
    """A titled part of an answer (crisis lines, searches, settings, ...)."""

    __slots__ = ("key", "title", "intro", "items")

    def __init__(self, key: str, title: str, intro: str = "",
                 items: list[Item] | None = None) -> None:
        self.key, self.title, self.intro, self.items = key, title, intro, items or []


def contact_text(contact: dict[str, Any]) -> str:
    """A contact as a person would act on it: "call 988", "text HOME to 741741"."""
    kind, value, label = contact["type"], contact["value"], contact.get("label")
    if kind == "phone":
        text = f"call {value}"
    elif kind == "text":
        keyword = contact.get("keyword")
        text = f"text {keyword} to {value}" if keyword else f"text {value}"
    elif kind == "chat":
        text = f"chat {value}"
    elif kind == "tty":
        text = f"TTY {value}"
    elif kind == "dial":
        text = f"dial {value}"
    else:
        text = value
    return f"{text} ({label})" if label else text


def organization_item(org: dict[str, Any]) -> Item:
    title = _title(org)
    lines: list[str] = []
    contacts = [contact_text(c) for c in org["contacts"]]
    if contacts:
        lines.append(" · ".join(contacts))
    for label, key in (("For", "audience"), ("Hours", "hours"), ("At", "address"),
                       ("When", "schedule"), ("Who can come", "eligibility")):
        if org.get(key):
            lines.append(f"{label}: {org[key]}")
    if org.get("organization"):
        lines.append(f"Run by: {org['organization']}")
    if org.get("languages"):
        lines.append("Languages: " + ", ".join(LANGUAGE_NAMES.get(code, code)
                                               for code in org["languages"]))
    if org.get("description") and not org["local"]:
        lines.append(org["description"])
    if org.get("local") and org.get("source"):
        lines.append(f"Listing: {org['source']} (checked {org.get('checked') or 'unknown'})")
    return Item(title, lines)


LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
# The first screen shows at most this many ways to reach an organization, those that reach a
# person at once first.
FIRST_CONTACTS = 2
_FIRST_KINDS = ("dial", "phone", "text", "chat", "tty", "url", "email")


def contact_item(org: dict[str, Any], language: str = "en") -> Item:
    """An organization in one line of its first few contacts, for the first screen: those in
    the answer's language, or in any language."""
    usable = [c for c in org["contacts"] if not c.get("languages") or language in c["languages"]]
    # Calls and texts first, and a web address only when there is nothing to call or text.
    usable.sort(key=lambda c: _FIRST_KINDS.index(c["type"]) if c["type"] in _FIRST_KINDS else 9)
    reachable = [c for c in usable if c["type"] in _FIRST_KINDS[:3]]
    # One line a number: the same number again is a menu option of it ("then choose option 3").
    shown = list({(c["type"], c["value"]): c for c in reversed(reachable or usable)}.values())[::-1]
    contacts = [contact_text(c) for c in shown[:FIRST_CONTACTS]]
    return Item(_title(org), [" · ".join(contacts)] if contacts else [])


def _title(org: dict[str, Any]) -> str:
    """"NAMI HelpLine — information and referral line (not counseling)": what it is, always."""
    return f"{org['name']} — {org['kind_label']}"


def urgent_blocks(result: dict[str, Any],
                  item: Callable[[dict[str, Any]], Item] = organization_item,
                  brief: bool = False) -> list[Block]:
    """What comes before everything: 911 and what to do now when a life is in danger, then
    the crisis lines (speaking to the helper when the words are about someone else). `brief`
    leaves out the emergency message, which the title already says, to keep it on screen."""
    blocks: list[Block] = []
    emergency, crisis = result["emergency"], result["crisis"]
    if emergency["detected"]:
        blocks.append(Block("emergency", "Call 911 now: a life may be in danger",
                            "" if brief else emergency.get("message") or "",
                            [item(o) for o in emergency["resources"]]))
        steps = [step["text"] for kind in emergency["kinds"] for step in kind["steps"]]
        if steps:
            blocks.append(Block("emergency", "While you wait for help",
                                items=[Item(text) for text in dict.fromkeys(steps)]))
    if crisis["detected"]:
        title = ("If someone you care about may be in danger" if crisis.get("about") == "other"
                 else "If you are thinking about suicide or might hurt yourself")
        blocks.append(Block("crisis", title, crisis.get("message") or "",
                            [item(o) for o in crisis["resources"]]))
    return blocks


def outline(result: dict[str, Any]) -> list[Block]:
    """The answer as titled blocks of items, for people: everything (see brief.py for the
    first screen)."""
    blocks = urgent_blocks(result)
    if result["matches"]:
        found = [f"{m['name']} ({', '.join(m['matched'])})" for m in result["matches"]]
        blocks.append(Block("matches", "Matched", "; ".join(found)))
    if result["local_services"]:
        blocks.append(Block("local", "Local services from your listings",
                            items=[organization_item(o) for o in result["local_services"]]))
    if result["searches"]:
        blocks.append(Block("searches", "Search for peer support near you", items=[
            Item(s["query"], [s["why"]], s["url"]) for s in result["searches"]]))
    if result["app_searches"]:
        blocks.append(Block("apps", "Search in your phone's app store", items=[
            Item(f"\"{s['query']}\"", [s["why"]]) for s in result["app_searches"]]))
    if result["organization_types"]:
        blocks.append(Block("settings", "Kinds of organizations and settings to look for", items=[
            Item(t["name"], [t["why"]] if t["why"] else []) for t in result["organization_types"]]))
    if result["organizations"]:
        blocks.append(Block("organizations", "National organizations and lines",
                            items=[organization_item(o) for o in result["organizations"]]))
    if result["advice"]:
        blocks.append(Block("advice", "How to judge what you find", items=[
            Item(a["name"], list(a["points"])) for a in result["advice"]]))
    return blocks
