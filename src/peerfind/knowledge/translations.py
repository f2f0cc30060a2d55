"""Language layers of the knowledge base: `resources.es.yaml` beside `resources.yaml`.

A layer has the same ids as its base and carries only what a reader or a matcher needs in that
language: names, descriptions, templates and other text, aliases and stopwords in that
language, contact labels, crisis words. It never adds ids, links or contacts: the facts live
once, in the base.

The layer stays apart from the base (its aliases never join the English index). An answer in a
language reads the base through `overlay`, which lays the layer's text over each record by id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .index import LANGUAGE_PARTS

if TYPE_CHECKING:
    from .base import KnowledgeBase

# Fields a layer entry may carry: text a person reads, and words that match it.
TEXT_FIELDS = ("name", "description", "why", "template", "points", "body", "definition",
               "audience", "hours", "schedule", "eligibility", "search_terms")
LAYER_FIELDS = ("id", "aliases", *TEXT_FIELDS)
# Crisis text a layer translates; its patterns, exclusions and keywords are its own.
CRISIS_TEXT = ("message", "footer", "helper_message", "emergency_message")
CRISIS_WORDS = ("patterns", "exclusions", "keywords", "shorthand", "signals", "denials")
LAYER_KEYS = ("schema", "lang", "meta", "placeholders", "vocabulary", "contact_labels", "crisis")
SECTION_NAMES = ("populations", "conditions", "settings", "pathways", "organizations", "roles",
                 "terms", "principles", "topics", "advice")
_CODE = re.compile(r"^[a-z]{2,3}$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def layer_paths(path: Path) -> dict[str, Path]:
    """The language layers beside a knowledge-base file, by language code:
    resources.yaml -> {"es": resources.es.yaml}."""
    found = {}
    for candidate in sorted(path.parent.glob(f"{path.stem}.*{path.suffix}")):
        code = candidate.name[len(path.stem) + 1:-len(path.suffix)]
        if _CODE.match(code):
            found[code] = candidate
    return found


def _records(document: Mapping[str, Any], section: str) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in document.get(section) or ()
            if isinstance(record, dict) and "id" in record and not record.get("local")}


def overlay_record(record: dict[str, Any], text: Mapping[str, Any] | None,
                   labels: Mapping[str, str], lang: str, not_served: str = "") -> dict[str, Any]:
    """A base record as read in a language: the layer's text over it, aliases replaced by the
    layer's, contact labels (and keywords that describe what to send, "your ZIP code")
    translated, and contacts in that language first. An organization
    that does not serve the language gets `not_served` ("en inglés") on each of its contacts."""
    out = dict(record)
    if text:
        for field in ("aliases", *TEXT_FIELDS):
            if field in text:
                out[field] = text[field]
    if record.get("contacts"):
        other = not_served if not_served and not serves(record, lang) else ""
        contacts = [dict(c, label=_label(c.get("label", ""), labels, other),
                         **({"keyword": labels[c["keyword"]]} if c.get("keyword") in labels
                            else {}))
                    for c in record["contacts"]]
        out["contacts"] = sorted(contacts, key=lambda c: lang not in c.get("languages", ()))
    return out


def _label(label: str, labels: Mapping[str, str], other: str) -> str:
    label = labels.get(label, label)
    return f"{label}, {other}" if label and other else label or other


def serves(record: Mapping[str, Any], lang: str) -> bool:
    """Whether an organization (or one of its contacts) says it serves `lang`."""
    return lang in (record.get("languages") or ()) or any(
        lang in (c.get("languages") or ()) for c in record.get("contacts") or ())


def merge_layers(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Layers of one language from several files, in order (the built-in one, then the user's):
    by id, like the base files; contact labels by label."""
    from .layers import merge

    merged = merge(layers)
    merged["contact_labels"] = {k: v for layer in layers
                                for k, v in (layer.get("contact_labels") or {}).items()}
    return merged


# -- checking a layer ------------------------------------------------------------------------

class LayerReport:
    """What `peerfind validate` says about one language layer."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.entries = 0  # base entries that a reader may see
        self.untranslated: list[tuple[str, str, tuple[str, ...]]] = []  # section, id, fields
        self.unknown: list[tuple[str, str]] = []  # layer ids the base does not have
        self.placeholders: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
        self.labels: list[str] = []  # contact labels with no translation
        self.extra_fields: list[tuple[str, str, str]] = []  # fields a layer may not carry

    @property
    def translated(self) -> int:
        return self.entries - len(self.untranslated)

    @property
    def share(self) -> float:
        return self.translated / self.entries if self.entries else 1.0

    @property
    def errors(self) -> list[str]:
        """Problems that break an answer: a template whose placeholders differ, fields a
        layer may not carry."""
        out = [f"{self.lang}: pathway {pid!r}: placeholders differ from the base "
               f"({', '.join(base) or 'none'} in the base, {', '.join(mine) or 'none'} here)"
               for _, pid, base, mine in self.placeholders]
        out += [f"{self.lang}: {section} {eid!r}: {field!r} belongs in the base file, "
                "not in a language layer" for section, eid, field in self.extra_fields]
        return out

    @property
    def warnings(self) -> list[str]:
        out = [f"{self.lang}: {section} {eid!r} has no translation"
               + (f" of {', '.join(fields)}" if fields else "")
               for section, eid, fields in self.untranslated]
        out += [f"{self.lang}: {section} {eid!r} is not in the base knowledge base"
                for section, eid in self.unknown]
        out += [f"{self.lang}: contact label {label!r} has no translation" for label in self.labels]
        return out

    def summary(self) -> str:
        return (f"{self.lang}: {self.translated} of {self.entries} entries translated "
                f"({self.share:.0%})")


def check_layer(base: Mapping[str, Any], layer: Mapping[str, Any], lang: str) -> LayerReport:
    """Compare a layer with the merged base it translates."""
    report = LayerReport(lang)
    for section in SECTION_NAMES:
        mine = _records(layer, section)
        for entry_id, record in _records(base, section).items():
            report.entries += 1
            text = mine.get(entry_id)
            fields = tuple(f for f in TEXT_FIELDS if record.get(f) and not (text or {}).get(f))
            if text is None or fields:
                report.untranslated.append((section, entry_id, fields if text else ()))
            if text and section == "pathways" and record.get("template") and text.get("template"):
                wanted = _placeholders(record["template"])
                have = _placeholders(text["template"])
                if wanted != have:
                    report.placeholders.append((section, entry_id, wanted, have))
        known = _records(base, section)
        for entry_id, record in mine.items():
            if entry_id not in known:
                report.unknown.append((section, entry_id))
            for field in record:
                if field not in LAYER_FIELDS:
                    report.extra_fields.append((section, entry_id, field))
    labels = layer.get("contact_labels") or {}
    used = {c["label"] for record in _records(base, "organizations").values()
            for c in record.get("contacts") or () if c.get("label") and c.get("confirmed", True)}
    report.labels = sorted(label for label in used if label not in labels)
    return report


def _placeholders(template: str) -> tuple[str, ...]:
    return tuple(sorted(set(_PLACEHOLDER.findall(template))))


# -- a knowledge base read in a language -----------------------------------------------------

def language_view(kb: KnowledgeBase, lang: str) -> KnowledgeBase:
    """`kb` as read in `lang`: every section through `overlay_record`, the crisis part's text
    and words from the layer (its lines from the base), the layer's stopwords and placeholders,
    and the language's own part of the index (aliases, spelling vocabulary, crisis gates).
    Ids, links, contacts and local listings are the base's."""
    from ..language.catalog import translations
    from ..language.names import IN_ENGLISH
    from .model import SECTIONS, Crisis, Meta, Vocabulary, build_kwargs

    # The base's own classes (base.py reads this module: it is not imported back).
    section_type = type(kb.sections["populations"])

    layer = kb.languages.layer(lang)
    labels = layer.get("contact_labels") or {}
    not_served = translations(lang).gettext(IN_ENGLISH)

    def records(name: str) -> Callable[[], dict[str, dict[str, Any]]]:
        def load() -> dict[str, dict[str, Any]]:
            mine = _records(layer, name)
            return {entry_id: overlay_record(record, mine.get(entry_id), labels, lang,
                                             not_served if name == "organizations" else "")
                    for entry_id, record in kb.sections[name].records.items()}

        return load

    sections = {name: section_type(cls, records(name),
                                   kb.local if name == "organizations" else None)
                for name, cls in SECTIONS.items()}
    view = type(kb)(
        sections=sections,
        crisis=Crisis(**_crisis_fields(kb.crisis, layer.get("crisis") or {})),
        vocabulary=Vocabulary(**{**kb.vocabulary.__dict__, **build_kwargs(
            {k: v for k, v in (layer.get("vocabulary") or {}).items() if k in Vocabulary.fields})}),
        placeholders={**kb.placeholders, **(layer.get("placeholders") or {})},
        meta=Meta(**{**kb.meta.__dict__, **{k: v for k, v in (layer.get("meta") or {}).items()
                                             if k in Meta.fields}}),
        index=_LanguageIndex(kb.index, lambda: kb.languages.index(lang), lang),
        local=kb.local,
    )
    view.lang, view.base, view.stores = lang, kb, kb.stores
    return view


def _crisis_fields(crisis: Any, layer: Mapping[str, Any]) -> dict[str, Any]:
    """The crisis part's fields in a language (built objects, ready for Crisis(**...))."""
    fields = dict(crisis.__dict__)
    for key in CRISIS_TEXT:
        if key in layer and key in type(crisis).fields:
            fields[key] = layer[key]
    for key in CRISIS_WORDS:
        fields[key] = tuple(layer.get(key) or ())
    fields["signals"] = tuple(_signal(k) for k in fields["signals"])
    if "signal_threshold" in layer:
        fields["signal_threshold"] = layer["signal_threshold"]
    if fields.get("emergencies"):
        translated = {e["id"]: e for e in layer.get("emergencies") or ()}
        fields["emergencies"] = tuple(_emergency(e, translated.get(e.id, {}))
                                      for e in fields["emergencies"])
    return fields


def _signal(kind: Any) -> Any:
    from .model import SignalKind, build_kwargs

    return kind if isinstance(kind, SignalKind) else SignalKind(**build_kwargs(dict(kind)))


def _emergency(emergency: Any, layer: Mapping[str, Any]) -> Any:
    fields = dict(emergency.__dict__, patterns=tuple(layer.get("patterns") or ()))
    if layer.get("name"):
        fields["name"] = layer["name"]
    steps = layer.get("steps") or ()
    if steps and len(steps) == len(emergency.steps):
        fields["steps"] = tuple(type(step)(**dict(step.__dict__, text=_step_text(text)))
                                for step, text in zip(emergency.steps, steps))
    return type(emergency)(**fields)


def _step_text(step: Any) -> str:
    return str(step["text"]) if isinstance(step, dict) else str(step)


class _LanguageIndex(Mapping[str, Any]):
    """The base index, with the parts a language has of its own read first: its aliases,
    spelling vocabulary and stopwords, and the gates of its crisis words."""

    def __init__(self, base: Mapping[str, Any], own: Callable[[], Mapping[str, Any]],
                 lang: str) -> None:
        self._base = base
        self._read_own = own  # the language's alias index: read only by a search with words
        self._lang = lang

    @cached_property
    def _own(self) -> Mapping[str, Any]:
        return self._read_own()

    def __getitem__(self, name: str) -> Any:
        if name == "crisis":  # the gates of the language's crisis patterns
            return self._base[f"crisis:{self._lang}"]["gates"]
        if name in LANGUAGE_PARTS:  # known without decoding the language's alias index
            return self._own[name]
        return self._base[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._base), **dict.fromkeys(LANGUAGE_PARTS)})

    def __len__(self) -> int:
        return len(set(self._base) | set(LANGUAGE_PARTS))
