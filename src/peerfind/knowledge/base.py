"""The loaded knowledge base: sections of entries by id, local listings by number, and the
derived index the answer code reads (see index.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from .model import (
    PLACEHOLDERS_DEFAULT, Advice, Condition, Crisis, Entry, Meta, Organization, Pathway,
    Population, Principle, Role, Setting, Term, Topic, Vocabulary, build_kwargs,
)

E = TypeVar("E", bound=Entry)


class LocalListings:
    """Local listings (own knowledge bases, HSDS imports) by number, in file order.

    There may be tens of thousands, and a search shows ten. From the cache each listing is a
    line of a JSON-lines file, read when asked for at its byte offset; their ids are decoded
    only to look one up by id (`peerfind show`).
    """

    def __init__(self, records: list[dict[str, Any]] | None = None,
                 parts: Mapping[str, Any] | None = None, lines: Path | None = None) -> None:
        self._records = records  # from YAML
        self._parts = parts  # from the cache: local-offsets, local-ids
        self._lines = lines
        self._built: dict[int, Organization] = {}

    def __len__(self) -> int:
        if self._records is not None:
            return len(self._records)
        return max(0, len(self._parts.get("local-offsets", ())) - 1) if self._parts else 0

    def __getitem__(self, number: int) -> Organization:
        entry = self._built.get(number)
        if entry is None:
            record = self._records[number] if self._records is not None else self._read(number)
            entry = self._built[number] = Organization(**build_kwargs(record))
        return entry

    def _read(self, number: int) -> dict[str, Any]:
        assert self._parts is not None and self._lines is not None
        offsets = self._parts["local-offsets"]
        try:
            with open(self._lines, "rb") as handle:
                handle.seek(offsets[number])
                record = json.loads(handle.read(offsets[number + 1] - offsets[number]))
            if not isinstance(record, dict):
                raise ValueError(number)
        except (OSError, ValueError, IndexError, TypeError):
            # Changed under us since the load checked it: drop the cache, the next run rebuilds.
            from ..errors import KnowledgeBaseError

            for path in (self._lines, self._lines.with_name(
                    self._lines.name.replace(".local.jsonl", ".jsonl"))):
                try:
                    path.unlink()
                except OSError:
                    pass
            raise KnowledgeBaseError("the cache of local listings changed while in use: "
                                     "run again, it is rebuilt") from None
        return record

    @cached_property
    def numbers(self) -> dict[str, int]:
        """Each listing's number by its id."""
        if self._records is not None:
            ids = [record["id"] for record in self._records]
        else:
            ids = self._parts.get("local-ids", []) if self._parts else []
        return {entry_id: number for number, entry_id in enumerate(ids)}


class Section(Mapping[str, E], Generic[E]):
    """A section's entries by id; each entry is built into its object when first read.

    The organizations section also answers for local listings, which it looks up only when
    an id is not among its own records.
    """

    def __init__(self, cls: type[E], load: Callable[[], dict[str, dict[str, Any]]],
                 local: LocalListings | None = None) -> None:
        self._cls = cls
        self._load = load
        self._local = local
        self._built: dict[str, E] = {}

    @cached_property
    def records(self) -> dict[str, dict[str, Any]]:
        """The raw records by id (local listings are not among them). Decoded on first use:
        a search by ids reads only the sections it needs."""
        return self._load()

    def __getitem__(self, entry_id: str) -> E:
        entry = self._built.get(entry_id)
        if entry is None:
            record = self.records.get(entry_id)
            if record is None:
                if self._local is None or entry_id not in self._local.numbers:
                    raise KeyError(entry_id)
                local: E = self._local[self._local.numbers[entry_id]]  # type: ignore[assignment]
                return local
            entry = self._built[entry_id] = self._cls(**build_kwargs(record))
        return entry

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.records or (bool(self._local) and self._local is not None
                                            and entry_id in self._local.numbers)

    def __iter__(self) -> Iterator[str]:
        yield from self.records
        if self._local:
            yield from self._local.numbers

    def __len__(self) -> int:
        return len(self.records) + len(self._local or ())


class KnowledgeBase:
    """All sections, keyed by id, plus crisis, vocabulary, placeholders and the derived index."""

    def __init__(self, sections: Mapping[str, Section[Any]], crisis: Crisis, vocabulary: Vocabulary,
                 placeholders: dict[str, str], meta: Meta, index: Mapping[str, Any],
                 local: LocalListings, languages: Languages | None = None) -> None:
        self.sections = sections
        self.crisis = crisis
        self.vocabulary = vocabulary
        self.placeholders = placeholders
        self.meta = meta
        # Derived look-ups, built once when the cache is written (see index.py).
        self.index = index
        # Local listings by number, in file order; the organizations section finds them by id.
        self.local = local
        # Listing stores (`--kb local.db`, written by the import commands): searched, never
        # loaded (see answer/listing_store.py).
        self.stores: tuple[Path, ...] = ()
        # Language layers by code (resources.es.yaml), read only for an answer in that language.
        self.languages: Languages = languages if languages is not None else Languages()
        # The language this knowledge base is read in, and the base it was read from.
        self.lang = "en"
        self.base: KnowledgeBase = self
        self._views: dict[str, KnowledgeBase] = {}

    def in_language(self, lang: str) -> KnowledgeBase:
        """This knowledge base as read in `lang` (see translations.language_view); itself for
        English or for a language it has no layer for."""
        if lang == self.lang:
            return self
        if self.base is not self:
            return self.base.in_language(lang)
        view = self._views.get(lang)
        if view is None:
            if lang not in self.languages:
                return self
            from .translations import language_view

            view = self._views[lang] = language_view(self, lang)
        return view

    # Each section by name, typed.
    @property
    def populations(self) -> Section[Population]:
        return self.sections["populations"]

    @property
    def conditions(self) -> Section[Condition]:
        return self.sections["conditions"]

    @property
    def settings(self) -> Section[Setting]:
        return self.sections["settings"]

    @property
    def pathways(self) -> Section[Pathway]:
        return self.sections["pathways"]

    @property
    def organizations(self) -> Section[Organization]:
        return self.sections["organizations"]

    @property
    def roles(self) -> Section[Role]:
        return self.sections["roles"]

    @property
    def terms(self) -> Section[Term]:
        return self.sections["terms"]

    @property
    def principles(self) -> Section[Principle]:
        return self.sections["principles"]

    @property
    def topics(self) -> Section[Topic]:
        return self.sections["topics"]

    @property
    def advice(self) -> Section[Advice]:
        return self.sections["advice"]

    def get(self, entry_id: str) -> Entry | None:
        for entries in self.sections.values():
            if entry_id in entries:
                entry: Entry = entries[entry_id]
                return entry
        return None

    def all_ids(self) -> list[str]:
        return [entry_id for entries in self.sections.values() for entry_id in entries]


def build(data: Mapping[str, Any], index: Mapping[str, Any],
          lines: Path | None = None, languages: Languages | None = None) -> KnowledgeBase:
    """Knowledge base objects from merged, checked data (a dict, or the cache's parts). Local
    listings come from the data's organizations, or from the cache's file of JSON lines."""
    from .model import SECTIONS

    def records(name: str) -> Callable[[], dict[str, dict[str, Any]]]:
        def load() -> dict[str, dict[str, Any]]:
            return {record["id"]: record for record in data.get(name, ()) if not record.get("local")}

        return load

    if lines is None:
        local = LocalListings([r for r in data.get("organizations", ()) if r.get("local")])
    else:
        local = LocalListings(parts=data, lines=lines)
    sections: dict[str, Section[Any]] = {
        name: Section(cls, records(name), local if name == "organizations" else None)
        for name, cls in SECTIONS.items()}
    return KnowledgeBase(
        sections=sections,
        crisis=Crisis(**build_kwargs(data.get("crisis") or {})),
        vocabulary=Vocabulary(**build_kwargs(data.get("vocabulary") or {})),
        placeholders={**PLACEHOLDERS_DEFAULT, **(data.get("placeholders") or {})},
        meta=Meta(**build_kwargs(data.get("meta") or {})),
        index=index,
        local=local,
        languages=languages or Languages(),
    )


class Languages:
    """The language layers (by code) and each one's alias index: given, or read on first use
    from their own cache file, so that English runs never read them. From the cache, each part
    of a layer (a section, its crisis words, its labels) is decoded only when it is read."""

    def __init__(self, layers: Mapping[str, Any] | None = None,
                 index: Mapping[str, Any] | None = None, path: Path | None = None,
                 codes: Iterable[str] = ()) -> None:
        self._given = (layers or {}, index or {}) if path is None else None
        self._path = path
        self._codes = frozenset(codes) if path is not None else frozenset(layers or ())

    @cached_property
    def _parts(self) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        if self._given is not None:
            return self._given
        from .cache import read_cache

        cached = read_cache(self._path) if self._path is not None else None
        if cached is None:  # gone since the base was read: answer from the base alone
            return {}, {}
        return cached

    def __contains__(self, lang: object) -> bool:
        return lang in self._codes and (self._given is not None or len(self._parts[0]) > 0)

    def layer(self, lang: str) -> Mapping[str, Any]:
        if self._given is not None:
            layer: Mapping[str, Any] = self._given[0][lang]
            return layer
        return _LayerParts(self._parts[0], lang)

    def index(self, lang: str) -> Mapping[str, Any]:
        own: Mapping[str, Any] = self._parts[1].get(f"lang:{lang}") or {}
        return own


class _LayerParts(Mapping[str, Any]):
    """One language's layer as stored in the cache: one part per key ("es:populations")."""

    def __init__(self, parts: Mapping[str, Any], lang: str) -> None:
        self._parts, self._prefix = parts, f"{lang}:"

    def __getitem__(self, key: str) -> Any:
        return self._parts[self._prefix + key]

    def __iter__(self) -> Iterator[str]:
        return (name[len(self._prefix):] for name in self._parts if name.startswith(self._prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)
