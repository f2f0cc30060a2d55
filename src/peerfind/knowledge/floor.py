"""The crisis floor: what every crisis answer carries, whatever the knowledge-base files say.

The floor is the built-in knowledge base's `crisis` section (patterns, exclusions, keywords, the
lines of the crisis block) and the national lines it names (988 first). It is layered under
every load, `--no-builtin` included, so that:

- a file can add crisis patterns and lines, never remove them;
- a file cannot change a national crisis line's name, type, contacts or confirmation: `validate`
  calls it an error, and a load puts the floor's values back. Refusing the whole load instead
  would leave the person who typed the need with an error and no number; a 211 deployment that
  set PEERFIND_KB would stop answering. Falling back keeps every answer, and the file's author
  learns from `validate`;
- exclusions added by a file apply only to the patterns files added: they cannot hide a need
  from the built-in patterns;
- the closing line names 988, and the crisis block says when to call 911.

The 988 contacts and the two sentences below are part of the program too, for the case where the
built-in file itself has lost them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

NATIONAL_LINE = "lifeline-988"
# From shared/facts/national-resources.md (samhsa.gov newsroom 2023-09-08).
NATIONAL_CONTACTS = (
    {"type": "phone", "value": "988"},
    {"type": "text", "value": "988"},
    {"type": "chat", "value": "https://988lifeline.org/chat"},
)
FOOTER = "In crisis? Call or text 988 (Suicide & Crisis Lifeline), any time."
# From shared/facts/more-resources.md, "When to call 911" (spi.unc.edu; fcc.gov text-to-911).
EMERGENCY = ("If you or someone else is in danger right now, or may have overdosed, call 911 "
             "(emergency services).")
_LINKS = ("populations", "conditions", "settings", "pathways", "organizations", "advice",
          "yields_to")
# What a file may not change on a line of the floor.
PROTECTED = ("name", "type", "contacts", "confirmed", "local")


def floor_layer(builtin: Mapping[str, Any]) -> dict[str, Any]:
    """The floor, from the built-in file's checked data: its crisis section and the lines the
    crisis block names."""
    crisis = dict(builtin.get("crisis") or {})
    named = {r["organization"] for key in ("resources", "emergency_resources")
             for r in crisis.get(key, ())} | {NATIONAL_LINE}
    # The lines alone, without their links: with --no-builtin the ids they link to are not there.
    organizations = [{k: v for k, v in o.items() if k not in _LINKS}
                     for o in builtin.get("organizations", ()) if o["id"] in named]
    if not any(o["id"] == NATIONAL_LINE for o in organizations):
        organizations.insert(0, {
            "id": NATIONAL_LINE, "name": "988 Suicide & Crisis Lifeline", "type": "crisis-line",
            "contacts": [dict(c) for c in NATIONAL_CONTACTS], "checked": "2026-11-26",
            "source": "samhsa.gov newsroom 2023-09-08 (shared/facts/national-resources.md)"})
    if not any(r["organization"] == NATIONAL_LINE for r in crisis.get("resources", ())):
        crisis["resources"] = [{"organization": NATIONAL_LINE}, *crisis.get("resources", ())]
    return {"crisis": crisis, "organizations": organizations}


def changes(layer: Mapping[str, Any], floor: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """Where `layer` tries to change a line of the floor: (path, message) for each."""
    lines = {o["id"]: o for o in floor.get("organizations", ())}
    found: list[tuple[tuple[Any, ...], str]] = []
    for i, entry in enumerate(layer.get("organizations", ())):
        base = lines.get(entry.get("id"))
        if base is None:
            continue
        changed = [key for key in PROTECTED if key in entry and not _same(key, entry, base)]
        if entry.get("replace") and not changed:
            changed = ["replace"]
        for key in changed:
            found.append((("organizations", i, key),
                          f"{entry['id']} is a national crisis line: its {key} is part of peerfind "
                          f"and cannot be changed by a file (the change is ignored)"))
    footer = (layer.get("crisis") or {}).get("footer")
    if footer is not None and "988" not in footer:
        found.append((("crisis", "footer"), "the crisis footer must name 988 (this one is ignored)"))
    return found


_DEFAULTS = {"confirmed": True, "local": False}


def _reach(contact: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a contact reaches: its labels, languages and sources may differ, not this."""
    return (contact.get("type"), contact.get("value"), contact.get("keyword", ""),
            contact.get("confirmed", True))


def _same(key: str, entry: Mapping[str, Any], base: Mapping[str, Any]) -> bool:
    if key == "contacts":  # lists are appended when layered: any new contact is a change
        known = {_reach(contact) for contact in base.get("contacts", [])}
        return all(_reach(contact) in known for contact in entry["contacts"])
    return bool(entry[key] == base.get(key, _DEFAULTS.get(key)))


def enforce(merged: dict[str, Any], floor: Mapping[str, Any]) -> list[int]:
    """Put the floor back into merged data, whatever the layers above it did. Returns how many
    patterns and exclusions are the floor's: they come first, and files' exclusions must not
    apply to them (see answer/crisis.py)."""
    lines = {o["id"]: o for o in floor.get("organizations", ())}
    organizations = merged.setdefault("organizations", [])
    present = {o["id"]: n for n, o in enumerate(organizations)}
    for line_id, base in lines.items():
        if line_id not in present:
            organizations.append(dict(base))
            continue
        record = organizations[present[line_id]]
        for key in PROTECTED:
            if key == "contacts":
                required = NATIONAL_CONTACTS if line_id == NATIONAL_LINE else ()
                record[key] = _floor_contacts(record.get(key, []), base.get(key, []), required)
            elif key in base:
                record[key] = base[key]
            else:
                record.pop(key, None)
        record.pop("replace", None)
    crisis = merged.setdefault("crisis", {})
    floor_crisis = floor.get("crisis", {})
    for key in ("patterns", "exclusions", "keywords"):
        theirs = [p for p in crisis.get(key, ()) if p not in floor_crisis.get(key, ())]
        crisis[key] = [*floor_crisis.get(key, ()), *theirs]
    for key in ("resources", "emergency_resources"):
        resources = list(crisis.get(key, ()))
        for resource in reversed(floor_crisis.get(key, ())):
            if resource not in resources:
                resources.insert(0, dict(resource))
        crisis[key] = resources
    # The national line first, for everyone, once.
    others = [r for r in crisis["resources"] if r["organization"] != NATIONAL_LINE]
    crisis["resources"] = [{"organization": NATIONAL_LINE}, *others]
    if "988" not in (crisis.get("footer") or ""):
        crisis["footer"] = floor_crisis.get("footer") if "988" in (floor_crisis.get("footer") or "") \
            else FOOTER
    for key in ("message", "helper_message"):  # to the person, and to someone worried
        if key == "message" or crisis.get(key):
            if not _mentions_911(crisis.get(key) or "", crisis, organizations):
                crisis[key] = " ".join(filter(None, [crisis.get(key, ""), EMERGENCY]))
    return [len(floor_crisis.get("patterns", ())), len(floor_crisis.get("exclusions", ()))]


def _floor_contacts(theirs: list[dict[str, Any]], floor: list[dict[str, Any]],
                    required: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A floor line's contacts: those of the layers that the floor has too (in their order and
    with their labels: a translation may follow that order), then the `required` ones (988 by
    phone, text and chat) if they were dropped. A contact the floor does not have is left out."""
    known = {_reach(contact) for contact in floor} | {_reach(contact) for contact in required}
    kept = [contact for contact in theirs if _reach(contact) in known]
    have = {_reach(contact) for contact in kept}
    return kept + [dict(contact) for contact in required if _reach(contact) not in have]


def _mentions_911(message: str, crisis: Mapping[str, Any],
                  organizations: Sequence[Mapping[str, Any]]) -> bool:
    if "911" in message:
        return True
    shown = {r["organization"] for r in crisis.get("resources", ())}
    return any(contact.get("value") == "911" for o in organizations if o["id"] in shown
               for contact in o.get("contacts", ()))
