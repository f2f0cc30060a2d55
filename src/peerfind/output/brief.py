"""The first screen of an answer: what a person in distress reads, and may read nothing else.

When a life is in danger, 911 and what to do now; when the words read like a crisis, the crisis
lines (speaking to the helper when they are about someone else): nothing else, so that nothing
pushes them out of sight. Otherwise: who peerfind understood, the few contacts that fit this
person best, with numbers, and the best searches. The whole answer (`--all`, and every machine
format) has everything else.
"""

from __future__ import annotations

from typing import Any

from ..language.catalog import N_, Translations
from .outline import Block, Item, answer_language, contact_item, urgent_blocks

# How much of each kind the first screen shows.
CONTACTS, SEARCHES = 3, 3
# Contacts a person can act on at once, from the first screen.
_REACHABLE = ("phone", "text", "dial")


def brief(result: dict[str, Any]) -> list[Block]:
    """The first screen of an answer, as titled blocks, in the answer's language."""
    tr = answer_language(result)
    lang = (result.get("input") or {}).get("lang") or "en"

    def item(org: dict[str, Any]) -> Item:
        return contact_item(org, lang)

    blocks = urgent_blocks(result, item, brief=True)
    if blocks:
        # A crisis or an emergency is the whole first screen: nothing may push it out of sight.
        left = more(result, tr)
        return blocks + ([Block("more", "", left)] if left else [])
    understood = _understood(result, tr)
    if understood:
        blocks.append(Block("matches", tr.gettext("What we understood"), items=understood))
    contacts = [o for o in result["local_services"] if any(
        c["type"] in _REACHABLE for c in o["contacts"])] + result["best_contacts"]
    if contacts:
        blocks.append(Block("contacts", tr.gettext("Contacts that fit"),
                            items=[item(o) for o in contacts[:CONTACTS]]))
    searches = result["searches"][:SEARCHES]
    if searches:
        where = (result.get("location") or {}).get("value")
        blocks.append(Block("searches", tr.gettext("Search near {place}").format(place=where)
                            if where else tr.gettext("Search for peer support near you"),
                            items=[Item(s["query"], url=s["url"]) for s in searches]))
    left = more(result, tr)
    if left:
        blocks.append(Block("more", "", left))
    return blocks


def more(result: dict[str, Any], tr: Translations | None = None) -> str:
    """One short line on what the whole answer (--all) adds to the first screen."""
    tr = tr or answer_language(result)
    urgent = result["crisis"]["detected"] or result["emergency"]["detected"]
    parts = []
    searches = len(result["searches"]) - (0 if urgent else SEARCHES)
    if searches > 0:
        parts.append((tr.ngettext("{count} search", "{count} searches", searches) if urgent
                      else tr.ngettext("{count} more search", "{count} more searches", searches)
                      ).format(count=searches))
    parts += [tr.gettext(name) for key, name in (
        ("organization_types", N_("places to look")), ("organizations", N_("organizations")),
        ("advice", N_("advice"))) if result[key]]
    if not parts:
        return ""
    joiner = tr.gettext("and")
    listed = ", ".join(parts[:-1]) + (f" {joiner} " if len(parts) > 1 else "") + parts[-1]
    return tr.gettext("More with --all: {listed}.").format(listed=listed)


# Possessives that say whose the other person is, in every language: "my husband" -> "husband".
_POSSESSIVES = ("my", "our", "mi", "mis", "nuestro", "nuestra", "nuestros", "nuestras")


def _understood(result: dict[str, Any], tr: Translations) -> list[Item]:
    """Who the answer is for: the writer's own matches, then the other person's."""
    about = result.get("about") or {}
    # What the words named: an implied population ("alcohol" -> recovery) is the answer's
    # inference, shown in the whole answer.
    matches = [m for m in result["matches"] if m["via"] != "implied"]
    # A match on the very words that name the other person ("my wife": families and loved
    # ones) says who the writer is to them: it is the writer's.
    # Only when the writer is there for them: "my boyfriend is abusive" names him, and says
    # nothing of the writer as a family member looking for help.
    naming = list(about.get("words") or ())
    if not about.get("writer"):
        matches = [m for m in matches if not (m["kind"] == "population" and
                                              list(m["matched"]) == naming)]
    own = [m for m in matches if m.get("about", "self") == "self" or list(m["matched"]) == naming]
    # What the other person is or faces; a kind of place named near them is not about them.
    theirs = [m for m in matches if m not in own and m["kind"] in ("population", "condition")]
    items = []
    if own:
        items.append(_said(tr.gettext("You"), own))
    if theirs:
        words = [w for w in about.get("words") or () if w not in _POSSESSIVES]
        who = (tr.gettext("Your {person}").format(person=" ".join(words)) if words
               else tr.gettext("Someone you know"))
        items.append(_said(who, theirs))
    return items


def _said(who: str, matches: list[dict[str, Any]]) -> Item:
    names = "; ".join(m["name"] for m in matches)
    words = ", ".join(dict.fromkeys(w for m in matches if m["via"] == "text" for w in m["matched"]))
    return Item(f"{who}: {names}" + (f" ({words})" if words else ""))
