"""The outline of what a command shows, for people: titled blocks of items.

Text, plain and markdown (and any format for people) draw the same outline, so they always say
the same things in the same order. For an answer: crisis lines first, then local listings,
guided searches, settings, named organizations, how to judge what you find, and the quiet 988
line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..language.catalog import SOURCE, Translations, translations
from ..language.names import LANGUAGE_NAMES


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


def answer_language(result: dict[str, Any]) -> Translations:
    """The catalog of the language an answer is in (its `input.lang`)."""
    return translations((result.get("input") or {}).get("lang") or "en")


def contact_text(contact: dict[str, Any], tr: Translations = SOURCE) -> str:
    """A contact as a person would act on it: "call 988", "text HOME to 741741"."""
    kind, value, label = contact["type"], contact["value"], contact.get("label")
    if kind == "phone":
        text = tr.gettext("call {number}").format(number=value)
    elif kind == "text":
        keyword = contact.get("keyword")
        text = (tr.gettext("text {keyword} to {number}").format(keyword=keyword, number=value)
                if keyword else tr.gettext("text {number}").format(number=value))
    elif kind == "chat":
        text = tr.gettext("chat {address}").format(address=value)
    elif kind == "tty":
        text = tr.gettext("TTY {number}").format(number=value)
    elif kind == "dial":
        text = tr.gettext("dial {number}").format(number=value)
    else:
        text = value
    return f"{text} ({label})" if label else text


def organization_item(org: dict[str, Any], tr: Translations = SOURCE) -> Item:
    title = _title(org, tr)
    lines: list[str] = []
    contacts = [contact_text(c, tr) for c in org["contacts"]]
    if contacts:
        lines.append(" · ".join(contacts))
    for label, key in ((tr.gettext("For"), "audience"), (tr.gettext("Hours"), "hours"),
                       (tr.gettext("At"), "address"), (tr.gettext("When"), "schedule"),
                       (tr.gettext("Who can come"), "eligibility")):
        if org.get(key):
            lines.append(f"{label}: {org[key]}")
    if org.get("organization"):
        lines.append(tr.gettext("Run by: {name}").format(name=org["organization"]))
    if org.get("languages"):
        lines.append(tr.gettext("Languages: {names}").format(names=", ".join(
            tr.gettext(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code
            for code in org["languages"])))
    if org.get("description") and not org["local"]:
        lines.append(org["description"])
    if org.get("why"):
        lines.append(tr.gettext("Why: {reasons}").format(reasons="; ".join(org["why"])))
    if org.get("freshness"):
        lines.append(tr.gettext("Listing: {freshness}").format(freshness=org["freshness"]))
    elif org.get("local") and org.get("source"):
        lines.append(tr.gettext("Listing: {source} (checked {date})").format(
            source=org["source"], date=org.get("checked") or tr.gettext("unknown")))
    return Item(title, lines)


# The first screen shows at most this many ways to reach an organization, those that reach a
# person at once first.
FIRST_CONTACTS = 2
_FIRST_KINDS = ("dial", "phone", "text", "chat", "tty", "url", "email")


def contact_item(org: dict[str, Any], language: str = "en") -> Item:
    """An organization in one line of its first few contacts, for the first screen: those in
    the answer's language, or in any language."""
    tr = translations(language)
    usable = [c for c in org["contacts"] if not c.get("languages") or language in c["languages"]]
    # Calls and texts first, and a web address only when there is nothing to call or text; in
    # another language than English, its own lines first ("call 988, then press 2").
    usable.sort(key=lambda c: (language != "en" and language not in c.get("languages", ()),
                               _FIRST_KINDS.index(c["type"]) if c["type"] in _FIRST_KINDS else 9))
    reachable = [c for c in usable if c["type"] in _FIRST_KINDS[:3]]
    # One line a number: the same number again is a menu option of it ("then choose option 3").
    shown = list({(c["type"], c["value"]): c for c in reversed(reachable or usable)}.values())[::-1]
    contacts = [contact_text(c, tr) for c in shown[:FIRST_CONTACTS]]
    return Item(_title(org, tr), [" · ".join(contacts)] if contacts else [])


def _title(org: dict[str, Any], tr: Translations = SOURCE) -> str:
    """"NAMI HelpLine — information and referral line (not counseling)": what it is, always."""
    return f"{org['name']} — {tr.gettext(org['kind_label'])}"


def urgent_blocks(result: dict[str, Any],
                  item: Callable[[dict[str, Any]], Item] | None = None,
                  brief: bool = False) -> list[Block]:
    """What comes before everything: 911 and what to do now when a life is in danger, then
    the crisis lines (speaking to the helper when the words are about someone else). `brief`
    leaves out the emergency message, which the title already says, to keep it on screen."""
    tr = answer_language(result)
    if item is None:
        item = lambda org: organization_item(org, tr)  # noqa: E731
    blocks: list[Block] = []
    emergency, crisis = result["emergency"], result["crisis"]
    if emergency["detected"]:
        blocks.append(Block("emergency", tr.gettext("Call 911 now: a life may be in danger"),
                            "" if brief else emergency.get("message") or "",
                            [item(o) for o in emergency["resources"]]))
        steps = [step["text"] for kind in emergency["kinds"] for step in kind["steps"]]
        if steps:
            blocks.append(Block("emergency", tr.gettext("While you wait for help"),
                                items=[Item(text) for text in dict.fromkeys(steps)]))
    if crisis["detected"]:
        title = (tr.gettext("If someone you care about may be in danger")
                 if crisis.get("about") == "other"
                 else tr.gettext("If you are thinking about suicide or might hurt yourself"))
        blocks.append(Block("crisis", title, crisis.get("message") or "",
                            [item(o) for o in crisis["resources"]]))
    return blocks


def outline(result: dict[str, Any]) -> list[Block]:
    """The answer as titled blocks of items, for people: everything (see brief.py for the
    first screen)."""
    tr = answer_language(result)
    blocks = urgent_blocks(result)
    if result["matches"]:
        found = [f"{m['name']} ({', '.join(m['matched'])})" for m in result["matches"]]
        blocks.append(Block("matches", tr.gettext("Matched"), "; ".join(found)))
    if result["local_services"]:
        blocks.append(Block("local", tr.gettext("Local services from your listings"),
                            items=[organization_item(o, tr) for o in result["local_services"]]))
    if result["searches"]:
        blocks.append(Block("searches", tr.gettext("Search for peer support near you"), items=[
            Item(s["query"], [s["why"]], s["url"]) for s in result["searches"]]))
    if result["app_searches"]:
        blocks.append(Block("apps", tr.gettext("Search in your phone's app store"), items=[
            Item(f"\"{s['query']}\"", [s["why"]]) for s in result["app_searches"]]))
    if result["organization_types"]:
        blocks.append(Block("settings", tr.gettext(
            "Kinds of organizations and settings to look for"), items=[
            Item(t["name"], [t["why"]] if t["why"] else []) for t in result["organization_types"]]))
    if result["organizations"]:
        blocks.append(Block("organizations", tr.gettext("National organizations and lines"),
                            items=[organization_item(o, tr) for o in result["organizations"]]))
    if result["advice"]:
        blocks.append(Block("advice", tr.gettext("How to judge what you find"), items=[
            Item(a["name"], list(a["points"])) for a in result["advice"]]))
    return blocks
