"""What was asked: free text and/or ids, plus where and how to search, checked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import UsageError, did_you_mean
from ..knowledge import KnowledgeBase
from ..language.normalize import scrub_surrogates
from .searches import DEFAULT_ENGINE, ENGINES

MAX_NEED_CHARS = 1000  # a need is cut here (with a note); documented in the README
MAX_PLACE_CHARS = 200  # --location and --near are cut here (with a note)


class Request:
    """What was asked: free text and/or ids, plus where and how to search.

    Request and Result are plain classes: they are made on every run, and each dataclass
    costs a compile at start-up."""

    __slots__ = ("text", "populations", "conditions", "settings", "location", "near", "engine",
                 "line")

    def __init__(self, text: str = "", populations: Sequence[str] = (),
                 conditions: Sequence[str] = (), settings: Sequence[str] = (),
                 location: str = "", near: str = "", engine: str = DEFAULT_ENGINE,
                 line: int | None = None) -> None:
        self.text, self.location, self.near, self.engine = text, location, near, engine
        self.populations, self.conditions, self.settings = populations, conditions, settings
        self.line = line  # batch: the line of the input this need came from

    def with_text(self, text: str, line: int | None = None) -> "Request":
        return Request(text, self.populations, self.conditions, self.settings, self.location,
                       self.near, self.engine, line)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "populations": list(self.populations),
            "conditions": list(self.conditions),
            "settings": list(self.settings),
            "location": self.location or None,
            "near": self.near or None,
            "engine": self.engine,
        }
        if self.line is not None:
            data["line"] = self.line
        return data


def bound_need(text: str) -> tuple[str, bool]:
    """Cut a need to MAX_NEED_CHARS; say whether it was cut."""
    if len(text) <= MAX_NEED_CHARS:
        return text, False
    return text[:MAX_NEED_CHARS], True


def check_ids(kb: KnowledgeBase, section: str, ids: Iterable[str]) -> None:
    """Unknown ids are a usage error, with the closest ids suggested."""
    entries = kb.sections[section]
    for entry_id in ids:
        if entry_id not in entries:
            kind = section.rstrip("s")
            hint = did_you_mean(entry_id, entries, n=3, cutoff=0.5) or f"see: peerfind list {section}"
            # What was typed is not repeated: it may be a need given to the wrong option.
            raise UsageError(f"unknown {kind} id; {hint}")


def make_request(kb: KnowledgeBase, text: str = "", *, populations: Sequence[str] = (),
                 conditions: Sequence[str] = (), settings: Sequence[str] = (),
                 location: str = "", near: str = "", engine: str = DEFAULT_ENGINE,
                 line: int | None = None) -> tuple[Request, list[str]]:
    """A checked request and the notes it earned (unknown ids and engines are usage errors)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown search engine; choose from {', '.join(ENGINES)}")
    for section, ids in (("populations", populations), ("conditions", conditions),
                         ("settings", settings)):
        check_ids(kb, section, ids)
    notes: list[str] = []
    # Undecodable bytes from argv arrive as lone surrogates: make them printable first.
    text, location, near = (scrub_surrogates(value or "") for value in (text, location, near))
    text, cut = bound_need(text)
    if cut:
        notes.append(f"the need was cut to its first {len(text)} characters")
    for option, value in (("location", location), ("near", near)):
        if len(value) > MAX_PLACE_CHARS:
            notes.append(f"the {option} was cut to its first {MAX_PLACE_CHARS} characters")
    location, near = location[:MAX_PLACE_CHARS], near[:MAX_PLACE_CHARS]
    request = Request(text, tuple(populations), tuple(conditions), tuple(settings),
                      location.strip(), near.strip(), engine, line)
    return request, notes
