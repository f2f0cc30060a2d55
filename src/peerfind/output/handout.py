"""What the printable one-page handout (`--format html`) says: a peer specialist's hand-out.

The page is an outline of titled blocks (outline.Block and outline.Item), in this order:
crisis and emergency lines (always, in a box), who it is for and the date, the best contacts
with numbers, local listings, guided searches, how to judge what you find, and the sources in
small print. html.py draws them: self-contained (no scripts, fonts or images from elsewhere),
black on white, with a QR code beside every web address.

One page, by design, for a typical answer: a free-text need with one population and one
condition, a location and no local listings. `Limits` caps what a page shows (three contacts,
four searches, two points of advice, two columns of compact type); `full=True` (`--all`) lifts
the caps and lets the page run on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..language.phrases import long_date, phrases
from .outline import Block, Item

NUMBER_CONTACTS = ("phone", "text", "dial", "tty")


@dataclass(frozen=True)
class Limits:
    """How many of each a page shows; None is no limit."""

    crisis: int | None = 3
    contacts: int | None = 3
    local: int | None = 3
    searches: int | None = 4
    advice: int | None = 2


ONE_PAGE = Limits()
IN_EMERGENCY = Limits(contacts=2, searches=3)
EVERYTHING = Limits(None, None, None, None, None)


class Quiet(str):
    """A line printed small: what kind of line an organization is, why a search helps."""


class Action(str):
    """Words to act on ("Call 988"), with where a tap on them goes (`href`, "tel:988")."""

    href: str

    def __new__(cls, text: str, href: str) -> Action:
        action = super().__new__(cls, text)
        action.href = href
        return action


def made_date(environ) -> date:
    """Today, or the date SOURCE_DATE_EPOCH names (reproducible pages for tests and builds)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        from datetime import timezone, datetime

        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


# -- the outline --------------------------------------------------------------------------

def handout_outline(result: dict, *, crisis_lines: Sequence[dict] = (), lang: str | None = None,
                    full: bool = False, made: date | None = None) -> list[Block]:
    """The handout's blocks for one answer (`result` is `search(...).to_dict()`).

    `crisis_lines` are the knowledge base's crisis lines for this person (organization dicts,
    as `peerfind crisis --format json` gives them): the box shows them when the need read as
    no crisis, so that 988 is on every page.
    """
    words = phrases(lang or result["input"].get("lang"))
    limits = EVERYTHING if full else ONE_PAGE
    if not full and (result.get("emergency") or {}).get("detected"):
        limits = IN_EMERGENCY  # what to do now takes the room of a line and a search
    crisis = _crisis_block(result, crisis_lines, words, limits)
    shown = {getattr(item, "key", "") for item in crisis.items} - {"", "step"}
    local = _take(result["local_services"], limits.local)
    room = limits.contacts
    if room is not None and local:
        # Local listings are longer and more specific: they take the room of national lines.
        room = max(1, min(room, room + 1 - len(local)))
    contacts = _best_contacts([*result.get("best_contacts", ()), *result["organizations"]],
                              shown, room)
    blocks = [_head_block(result, words, made or date.today()), crisis]
    if contacts:
        blocks.append(Block("contacts", words["contacts.title"],
                            items=[_organization(o, words, full) for o in contacts]))
    if local:
        blocks.append(Block("local", words["local.title"],
                            items=[_organization(o, words, full) for o in local]))
    searches = _take(result["searches"], limits.searches)
    if searches:
        blocks.append(Block("searches", words["searches.title"], words["searches.intro"], [
            Item(s["query"], [Quiet(s["why"])] if s.get("why") else [], s.get("url"))
            for s in searches]))
    advice = _advice(result["advice"], limits.advice, full)
    if advice:
        blocks.append(Block("advice", words["advice.title"], items=advice))
    blocks.append(_sources_block(crisis, result["organizations"], contacts, local, words, full))
    return blocks


class _Keyed(Item):
    """An item that remembers where it came from: an organization's id, or "step" for a thing
    to do now, with its source (for the sources) and the name the sources list it under."""

    __slots__ = ("key", "source", "label", "role")

    def __init__(self, title: str, lines: list | None = None, url: str | None = None,
                 key: str = "", source: str = "", label: str = "", role: str = "") -> None:
        super().__init__(title, lines, url)
        self.key, self.source, self.label = key, source, label or title
        self.role = role  # "emergency" (911) or "step" (what to do now): drawn apart


def _take(items: Sequence, limit: int | None) -> list:
    return list(items if limit is None else items[:limit])


def _head_block(result: dict, words: dict, made: date) -> Block:
    """Who the page is for, in what peerfind understood (never the words as typed)."""
    about = result.get("about") or {}
    own = [m["name"] for m in result["matches"] if m.get("about", "self") != "other"]
    theirs = [m["name"] for m in result["matches"] if m.get("about") == "other"]
    parts = []
    if own:
        parts.append(f"{words['for.self']}: {'; '.join(own)}")
    if theirs:
        relation = " ".join(w for w in about.get("words") or () if w not in ("my", "our", "mi",
                                                                               "mis", "nuestro"))
        who = words["for.other"].format(relation=relation) if relation else words["for.someone"]
        parts.append(f"{who}: {'; '.join(theirs)}")
    who = " · ".join(parts) if parts else f"{words['for']}: {words['anyone']}"
    place = (result.get("location") or {}).get("value") or result["input"].get("location")
    if place:
        who += " · " + words["near"].format(place=place)
    lang = result["input"].get("lang")
    return Block("head", words["title"], who,
                 [Item(words["made"].format(date=long_date(made, lang)))])


def _crisis_block(result: dict, crisis_lines: Sequence[dict], words: dict,
                  limits: Limits) -> Block:
    """911 and what to do now when a life is in danger; then the crisis lines, always."""
    emergency, read = result.get("emergency") or {}, result["crisis"]
    lines = [*emergency.get("resources", ()), *(read["resources"] if read["detected"] else ())]
    lines += [o for o in crisis_lines if o["id"] not in {line["id"] for line in lines}]
    urgent = [o for o in lines if o.get("kind") == "emergency"]
    items: list[Item] = [_emergency(o, words) for o in urgent[:1]] or [_emergency({}, words)]
    steps = dict.fromkeys((step["text"], step.get("source", ""), step.get("checked", ""))
                          for kind in emergency.get("kinds", ()) for step in kind["steps"])
    for number, (text, source, checked) in enumerate(steps, start=1):
        checked = f" ({words['checked'].format(date=checked)})" if checked else ""
        items.append(_Keyed(text, key="step", source=source + checked,
                            label=words["step"].format(number=number), role="step"))
    crisis: list[Item] = [_organization(o, words, full=False, brief=True) for o in _take(
        [o for o in lines if o.get("kind") != "emergency"], limits.crisis)]
    # 911 leads when a life is in danger now; otherwise it closes the box, under 988.
    items = items + crisis if emergency.get("detected") else crisis + items
    if emergency.get("detected"):
        for item in items[:1]:  # the message above says when; the line keeps only the number
            item.lines = item.lines[:1]
        return Block("crisis", words["emergency.title"], emergency.get("message") or "", items)
    if read["detected"]:
        return Block("crisis", words["crisis.title.read"], read.get("message") or "", items)
    return Block("crisis", words["crisis.title"], words["crisis.intro"], items)


def _emergency(org: dict, words: dict) -> _Keyed:
    """The 911 line: from the knowledge base, or built in when a --no-builtin one has none."""
    lines: list = [Action(words["contact.phone"].format(value="911"), "tel:911"),
                   words["emergency.when"]]
    if words["emergency.language"]:
        lines.append(words["emergency.language"])
    source = org.get("source") or words["emergency.source"]
    if org.get("checked"):
        source += f" ({words['checked'].format(date=org['checked'])})"
    return _Keyed(f"{org.get('name') or '911'} ({words['emergency.kind']})", lines,
                  key=org.get("id") or "emergency", source=source, role="emergency")


def _best_contacts(organizations: list[dict], shown: set[str], limit: int | None) -> list[dict]:
    """Lines with a number first (a printed page is read by phone), in the answer's order."""
    rest = list({o["id"]: o for o in organizations
                 if o["id"] not in shown and o["contacts"]}.values())
    with_number = [o for o in rest if any(c["type"] in NUMBER_CONTACTS for c in o["contacts"])]
    others = [o for o in rest if o not in with_number]
    return _take(with_number + others, limit)


def _organization(org: dict, words: dict, full: bool, brief: bool = False) -> _Keyed:
    lines: list = [Quiet(org["kind_label"])] if org.get("kind_label") and not brief else []
    actions, web = _actions(contacts_in_language(org["contacts"], words["code"]), words)
    lines += actions
    fields = ["hours"] if brief else ["organization", "address", "schedule", "hours",
                                      "eligibility"]
    for key in fields:
        if org.get(key):
            lines.append(f"{words['field.' + key]}: {org[key]}")
    distance = _distance(org)
    if distance:
        lines.append(f"{words['field.distance']}: {distance}")
    if full and org.get("languages"):
        lines.append(f"{words['field.languages']}: {', '.join(org['languages'])}")
    if full and not brief and org.get("description") and not org.get("local"):
        lines.append(org["description"])
    source = org.get("source") or ""
    if org.get("checked"):
        source += f" ({words['checked'].format(date=org['checked'])})"
    item = _Keyed(org["name"], lines, web[0] if web else None, key=org.get("id", ""),
                  source=source)
    item.lines += [Action(re.sub(r"^https?://", "", url).rstrip("/"), url) for url in web[1:]]
    return item


def contacts_in_language(contacts: Iterable[dict], code: str) -> list[dict]:
    """The contacts for a page in `code`: its own language's (988 in Spanish on a Spanish
    page), and those for everyone of the kinds it has none of; none only for another."""
    contacts = list(contacts)
    kinds = {c["type"] for c in contacts if code in (c.get("languages") or ())}
    return [c for c in contacts if code in (c.get("languages") or ())
            or (not c.get("languages") and c["type"] not in kinds)]


def _actions(contacts: Iterable[dict], words: dict) -> tuple[list, list[str]]:
    """What to do for each contact, as Actions; web addresses apart (each gets a QR code)."""
    actions: list = []
    web: list[str] = []
    contacts = list(contacts)
    # One number for calls and texts: "Call or text 988", one line instead of two.
    texts = {c["value"]: c for c in contacts if c["type"] == "text" and not c.get("keyword")}
    both = {c["value"] for c in contacts if c["type"] == "phone" and c["value"] in texts
            and texts[c["value"]].get("label") in (None, c.get("label"))}
    for contact in contacts:
        kind, value = contact["type"], contact["value"]
        if value in both:
            if kind == "text":
                continue
            kind = "phone.text" if kind == "phone" else kind
        if kind in ("url", "chat"):
            if value not in web:
                web.append(value)
            continue
        if kind == "text" and contact.get("keyword"):
            text = words["contact.text.keyword"].format(keyword=contact["keyword"], value=value)
        elif "contact." + kind in words:
            text = words["contact." + kind].format(value=value)
        else:
            text = value
        if contact.get("label"):
            text += f" ({contact['label']})"
        scheme = {"phone": "tel:", "phone.text": "tel:", "tty": "tel:", "dial": "tel:", "text": "sms:",
                  "email": "mailto:"}.get(kind)
        digits = value if kind == "email" else re.sub(r"[^0-9+]", "", value)
        actions.append(Action(text, scheme + digits) if scheme and digits else text)
    return actions, web


def _distance(org: dict) -> str:
    if isinstance(org.get("distance"), str):
        return org["distance"]
    for key, unit in (("distance_miles", "mi"), ("distance_km", "km")):
        if isinstance(org.get(key), (int, float)):
            return f"{org[key]:.1f} {unit}"
    return ""


def _advice(advice: list[dict], limit: int | None, full: bool) -> list[Item]:
    if full:
        return [Item(a["name"], list(a["points"])) for a in advice]
    # One point from each piece of advice in turn: two pieces say more than two points of one.
    points: list[str] = []
    depth = max((len(a["points"]) for a in advice), default=0)
    for n in range(depth):
        points += [a["points"][n] for a in advice if n < len(a["points"])]
    return [Item(p) for p in _take(points, limit)]


def _sources_block(crisis: Block, organizations: list[dict], contacts: list[dict],
                   local: list[dict], words: dict, full: bool) -> Block:
    shown: list = [i for i in crisis.items if isinstance(i, _Keyed)]
    ids = {o["id"] for o in (organizations if full else contacts)} | {o["id"] for o in local}
    by_id = {o["id"]: o for o in [*organizations, *contacts, *local]}
    items, seen = [], set()
    for item in shown:
        items.append(Item(item.label, [item.source] if item.source else []))
        seen.add(item.key)
    for org_id in [o["id"] for o in [*contacts, *local]] + sorted(ids):
        if org_id in seen or org_id not in by_id:
            continue
        seen.add(org_id)
        org = by_id[org_id]
        source = org.get("source") or ""
        if org.get("checked"):
            source += f" ({words['checked'].format(date=org['checked'])})"
        items.append(Item(org["name"], [source] if source else []))
    return Block("sources", words["sources.title"], words["sources.note"], items)
