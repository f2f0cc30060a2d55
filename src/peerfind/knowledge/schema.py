"""Check knowledge-base data against the schema, collecting every problem.

The schema is the records in `model.py`: their fields are the allowed keys and their types
the allowed values. Checks work on plain data (what YAML gives) and report each problem with a
*path* into the document (``("populations", 3, "alises")``); `load.py` turns a path into
``file:line:column`` when a message needs one.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import did_you_mean
from .model import SECTIONS, Contact, Crisis, Meta, Record, Vocabulary, allowed_keys
from .templates import formatter_parser

# The version of the knowledge-base YAML format (its top-level `schema:` key).
KB_SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_LEVEL_KEYS = ("schema", "meta", "placeholders", "vocabulary", "crisis", *SECTIONS)
# Placeholders that an option or a match fills; a template may use no others.
PLACEHOLDER_FILLERS = {
    "location": "--location",
    "focus": "the matched population, condition or setting",
    "population": "a matched population",
    "condition": "a matched condition",
    "setting": "a matched setting",
}
STALE_AFTER_DAYS = 365
# Link fields and the section whose ids they name.
LINKS = {
    "settings": "settings",
    "pathways": "pathways",
    "organizations": "organizations",
    "advice": "advice",
    "populations": "populations",
    "conditions": "conditions",
    "requires": "populations",
    "implied_by": "conditions",
    "implied_with": "conditions",
}


Path = tuple[Any, ...]


@dataclass
class Problem:
    message: str
    path: Path = ()
    severity: str = "error"  # error | warning
    at_key: bool = False  # point at the key itself (unknown keys) rather than its value
    file: str = ""
    # A change to the crisis floor (floor.py): an error in `validate`, ignored at load.
    floor: bool = False
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p not in ("", None))
        label = "warning: " if self.severity == "warning" else ""
        return f"{where}: {label}{self.message}" if where else f"{label}{self.message}"


# The schemes an address may have, by contact type ("" is none: a plain number or address).
# Anything else (javascript:, data:, file:, ...) could run or read something where the
# address is followed: a web form that shows the JSON, a terminal that makes it a link.
ADDRESS_SCHEMES = {
    "url": ("https", "http"), "chat": ("https", "http"), "email": ("mailto", ""),
    "phone": ("tel", ""), "tty": ("tel", ""), "dial": ("tel", ""), "text": ("sms", ""),
}
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def address_problem(kind: str, value: str) -> str | None:
    """Why a contact's value is refused, or None. Browsers drop spaces and controls inside a
    scheme ("java\\tscript:"), so they are dropped here before it is read."""
    squeezed = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
    found = _SCHEME.match(squeezed)
    scheme = found.group(1) if found else ""
    allowed = ADDRESS_SCHEMES.get(kind, ("",))
    if kind in ("url", "chat"):
        if found and scheme in allowed and squeezed[found.end():].startswith("//"):
            return None
        return f"a {kind} contact must be an https:// or http:// address"
    if scheme in allowed:
        return None
    wanted = " or ".join(f"{s}:" if s else "a plain value" for s in allowed)
    return f"a {kind} contact must be {wanted}, not a {scheme}: address"


def _suggest(word: str, choices: Iterable[str]) -> str:
    hint = did_you_mean(word, choices)
    return f" ({hint})" if hint else ""


def _fields(cls) -> dict[str, Any]:
    """The keys a record of `cls` may have, with their types."""
    return {name: cls.fields[name] for name in allowed_keys(cls)}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


class _Checker:
    """Walks one document, coercing what is valid and recording every problem."""

    def __init__(self, today: _dt.date | None = None) -> None:
        self.problems: list[Problem] = []
        self.today = today or _dt.date.today()

    def error(self, message: str, path: Path, at_key: bool = False) -> None:
        self.problems.append(Problem(message, path, "error", at_key))

    def warn(self, message: str, path: Path) -> None:
        self.problems.append(Problem(message, path, "warning"))

    # -- values --------------------------------------------------------------------------

    def text(self, value: Any, path: Path) -> str | None:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            self.error(f"expected text, found {str(value).lower()} (quote words such as "
                       f"yes, no, on and off)", path)
            return None
        if value is None or isinstance(value, (dict, list)):
            self.error(f"expected text, found {_describe(value)}", path)
            return None
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()[:10]
        return str(value)  # numbers such as a phone "988" written without quotes

    def texts(self, value: Any, path: Path) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.error(f"expected a list of text, found {_describe(value)}", path)
            return ()
        items = (self.text(item, (*path, i)) for i, item in enumerate(value))
        return tuple(item for item in items if item is not None)

    def date(self, value: Any, path: Path) -> str | None:
        text = self.text(value, path)
        if text is None:
            return None
        try:
            checked = _dt.date.fromisoformat(text)
        except ValueError:
            self.error(f"checked should be a date like 2026-11-01, found {text!r}", path)
            return None
        if (self.today - checked).days > STALE_AFTER_DAYS:
            self.warn(f"checked {text} is more than a year old: check it again", path)
        return text

    def record(self, cls, value: Any, path: Path) -> dict | None:
        """Check a mapping whose keys are the fields of `cls`; return the coerced mapping."""
        if not isinstance(value, dict):
            self.error(f"expected a mapping, found {_describe(value)}", path)
            return None
        fields = _fields(cls)
        clean: dict[str, Any] = {}
        for key, item in value.items():
            key_path = (*path, key)
            if not isinstance(key, str) or key not in fields:
                self.error(f"unknown key {key!r}{_suggest(str(key), fields)}", key_path, at_key=True)
                continue
            coerced = self.field(key, fields[key], item, key_path)
            if coerced is not None:
                clean[key] = coerced
        return clean

    def field(self, name: str, kind: Any, value: Any, path: Path) -> Any:
        if name == "checked":
            return self.date(value, path)
        if kind is str:
            return self.text(value, path)
        if kind is bool:
            if not isinstance(value, bool):
                self.error(f"{name} should be true or false, found {_describe(value)}", path)
                return None
            return value
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(f"{name} should be a whole number, found {_describe(value)}", path)
                return None
            return value
        if kind == tuple[Contact, ...]:
            return self.contacts(value, path)
        if kind == tuple[int, ...]:
            if (not isinstance(value, list) or len(value) != 2
                    or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
                self.error(f"{name} should be [youngest, oldest], two whole numbers", path)
                return None
            return value
        record_type = _record_type(kind)
        if record_type is not None:
            if not isinstance(value, list):
                self.error(f"expected a list, found {_describe(value)}", path)
                return None
            records = (self.record(record_type, v, (*path, i)) for i, v in enumerate(value))
            return [r for r in records
                    if r is not None and self.require(r, tuple(sorted(record_type.required)), path)]
        return list(self.texts(value, path))

    def require(self, record: dict, keys: tuple[str, ...], path: Path) -> bool:
        missing = [key for key in keys if not record.get(key)]
        for key in missing:
            self.error(f"missing {key}", path)
        return not missing

    def contacts(self, value: Any, path: Path) -> list[dict] | None:
        if not isinstance(value, list):
            self.error(f"contacts should be a list, found {_describe(value)}", path)
            return None
        clean = []
        for i, item in enumerate(value):
            record = self.record(Contact, item, (*path, i))
            if record is None or not self.require(record, ("type", "value"), (*path, i)):
                continue
            if record["type"] not in Contact.TYPES:
                self.error(
                    f"unknown contact type {record['type']!r}"
                    f"{_suggest(record['type'], Contact.TYPES)}", (*path, i, "type"))
                continue
            problem = address_problem(record["type"], record["value"])
            if problem:
                self.error(problem, (*path, i, "value"))
                continue
            clean.append(record)
        return clean

    # -- sections ------------------------------------------------------------------------

    def entries(self, section: str, value: Any) -> list[dict]:
        cls = SECTIONS[section]
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{section} should be a list of entries, found {_describe(value)}", (section,))
            return []
        seen: dict[str, int] = {}
        clean = []
        for i, item in enumerate(value):
            path = (section, i)
            record = self.record(cls, item, path)
            if record is None:
                continue
            entry_id = record.get("id")
            if not entry_id:
                self.error(f"{cls.kind} entry has no id", path)
                continue
            if not ID_PATTERN.match(entry_id):
                self.error(f"id {entry_id!r} should be kebab-case (lower-case words joined by -)",
                           (*path, "id"))
                continue
            if entry_id in seen:
                self.error(f"duplicate id {entry_id!r} (first at entry {seen[entry_id] + 1})",
                           (*path, "id"))
                continue
            seen[entry_id] = i
            if section == "organizations":
                self.contact_sources(record, path)
            if section == "pathways" and "template" in record:
                self.template(record["template"], (*path, "template"))
            clean.append(record)
        return clean

    def contact_sources(self, record: dict, path: Path) -> None:
        for i, contact in enumerate(record.get("contacts", ())):
            for key in ("source", "checked"):
                if not contact.get(key) and not record.get(key):
                    self.error(
                        f"contact {contact['type']} {contact['value']!r} has no {key} "
                        f"(set it on the contact or the organization)", (*path, "contacts", i))

    def template(self, template: str, path: Path) -> None:
        try:
            names = [name for _, name, _, _ in formatter_parser(template) if name is not None]
        except ValueError as exc:
            self.error(f"template is not well formed: {exc}", path)
            return
        for name in names:
            if name not in PLACEHOLDER_FILLERS:
                self.error(
                    f"template placeholder {{{name}}} is filled by no option"
                    f"{_suggest(name, PLACEHOLDER_FILLERS)}; known: "
                    + ", ".join("{%s}" % key for key in PLACEHOLDER_FILLERS), path)

    def pattern(self, pattern: str, path: Path) -> None:
        from .patterns import pattern_problem

        problem = pattern_problem(pattern)
        if problem:
            self.error(problem, path)

    def crisis(self, value: Any) -> dict:
        from .patterns import expand_words

        value, problems = expand_words(value)
        for path, message in problems:
            self.error(message, path)
        record = self.record(Crisis, value, ("crisis",)) or {}
        # Checked as they run: joined, over every need (patterns.py).
        for key in ("patterns", "exclusions"):
            for i, pattern in enumerate(record.get(key, ())):
                self.pattern(pattern, ("crisis", key, i))
        for i, emergency in enumerate(record.get("emergencies", ())):
            for j, pattern in enumerate(emergency.get("patterns", ())):
                self.pattern(pattern, ("crisis", "emergencies", i, "patterns", j))
        for i, kind in enumerate(record.get("signals", ())):  # run as one alternation each
            if kind.get("words"):
                self.pattern(r"\b(?:" + "|".join(kind["words"]) + r")\b",
                             ("crisis", "signals", i, "words"))
        return record

    def document(self, data: Any) -> dict:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.error(f"a knowledge base is a mapping of sections, found {_describe(data)}", ())
            return {}
        clean: dict[str, Any] = {}
        for key, value in data.items():
            if key not in TOP_LEVEL_KEYS:
                self.error(f"unknown section {key!r}{_suggest(str(key), TOP_LEVEL_KEYS)}",
                           (key,), at_key=True)
            elif key == "schema":
                if value != KB_SCHEMA_VERSION:
                    self.error(f"schema {value!r} is not supported (this peerfind reads "
                               f"schema {KB_SCHEMA_VERSION})", (key,))
            elif key == "meta":
                clean[key] = self.record(Meta, value, (key,)) or {}
            elif key == "vocabulary":
                clean[key] = self.record(Vocabulary, value, (key,)) or {}
            elif key == "crisis":
                clean[key] = self.crisis(value)
            elif key == "placeholders":
                if isinstance(value, dict):
                    clean[key] = {str(k): self.text(v, (key, k)) or "" for k, v in value.items()}
                else:
                    self.error(f"placeholders should be a mapping, found {_describe(value)}", (key,))
            else:
                clean[key] = self.entries(key, value)
        return clean


def _record_type(kind: Any) -> type[Record] | None:
    """The record class of a `tuple[SomeRecord, ...]` field (crisis resources, relations)."""
    args = getattr(kind, "__args__", ())
    if args and isinstance(args[0], type) and issubclass(args[0], Record) and args[0] is not Contact:
        return args[0]
    return None


def check_document(data: Any, today: _dt.date | None = None) -> tuple[dict, list[Problem]]:
    """Check one parsed file. Returns the cleaned data (valid parts only) and every problem."""
    checker = _Checker(today)
    clean = checker.document(data)
    return clean, checker.problems


def check_references(layers: list[dict], merged: dict) -> list[tuple[int, Problem]]:
    """Problems that need every layer: links to ids that exist nowhere, entries with no name,
    one id used in two sections. Each problem comes with the index of the layer it is in."""
    known = {section: {e["id"] for e in merged.get(section, ())} for section in SECTIONS}
    named = {e["id"] for section in SECTIONS for e in merged.get(section, ()) if e.get("name")}
    owner: dict[str, str] = {}
    problems: list[tuple[int, Problem]] = []
    for n, layer in enumerate(layers):
        for section in SECTIONS:
            for i, entry in enumerate(layer.get(section, ())):
                path = (section, i)
                entry_id = entry["id"]
                first = owner.setdefault(entry_id, section)
                if first != section:
                    problems.append((n, Problem(
                        f"id {entry_id!r} is already used in {first}; ids are unique across "
                        f"sections", (*path, "id"))))
                if entry_id not in named:
                    problems.append((n, Problem(f"{entry_id!r} has no name", path)))
                for j, ref in enumerate(entry.get("yields_to", ())):
                    if not any(ref in ids for ids in known.values()):
                        problems.append((n, Problem(f"yields_to names {ref!r}, which is no id",
                                                    (*path, "yields_to", j))))
                for key, target in LINKS.items():
                    for j, ref in enumerate(entry.get(key, ())):
                        if ref not in known[target]:
                            problems.append((n, Problem(
                                f"{key} names {ref!r}, which is not an id in {target}"
                                f"{_suggest(ref, known[target])}", (*path, key, j))))
        crisis = layer.get("crisis", {})
        for i, resource in enumerate(crisis.get("resources", ())):
            if resource["organization"] not in known["organizations"]:
                problems.append((n, Problem(
                    f"crisis resource {resource['organization']!r} is not an organization id",
                    ("crisis", "resources", i, "organization"))))
    return problems
