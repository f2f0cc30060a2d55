"""Write answers in every format. Machine formats never pass through rich.

Text, plain and markdown share one outline (`outline()`), so they always say the same things in
the same order: crisis lines first, then local listings, guided searches, settings, named
organizations, how to judge what you find, and the quiet 988 line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from .text import clean_line, clean_terminal

CSV_COLUMNS = ("line", "input", "kind", "query", "url", "why", "population", "condition",
               "mode", "pathway")
FORMATS = ("auto", "text", "plain", "json", "ndjson", "csv", "tsv", "markdown")


class Item:
    """One entry of a block: a title, its lines and perhaps a link."""

    __slots__ = ("title", "lines", "url")

    def __init__(self, title: str, lines: list[str] | None = None, url: str | None = None):
        self.title, self.lines, self.url = title, lines or [], url


class Block:
    """A titled part of an answer (crisis lines, searches, settings, ...)."""

    __slots__ = ("key", "title", "intro", "items")

    def __init__(self, key: str, title: str, intro: str = "", items: list[Item] | None = None):
        self.key, self.title, self.intro, self.items = key, title, intro, items or []


def contact_text(contact: dict) -> str:
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


def organization_item(org: dict) -> Item:
    title = f"{org['name']} ({org['kind_label']})"
    lines = []
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
        lines.append("Languages: " + ", ".join(org["languages"]))
    if org.get("description") and not org["local"]:
        lines.append(org["description"])
    if org.get("local") and org.get("source"):
        lines.append(f"Listing: {org['source']} (checked {org.get('checked') or 'unknown'})")
    return Item(title, lines)


def outline(result: dict) -> list[Block]:
    """The answer as titled blocks of items, for people."""
    blocks = []
    crisis = result["crisis"]
    if crisis["detected"]:
        blocks.append(Block("crisis", "If you are thinking about suicide or might hurt yourself",
                            crisis.get("message", ""),
                            [organization_item(o) for o in crisis["resources"]]))
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


# -- plain text and markdown --------------------------------------------------------------

def write_plain(blocks: Iterable[Block], footer: str, out: TextIO) -> None:
    first = True
    for block in blocks:
        if not first:
            out.write("\n")
        first = False
        out.write(clean_line(block.title).upper() + "\n")
        if block.intro:
            out.write(clean_line(block.intro) + "\n")
        for item in block.items:
            out.write(f"- {clean_line(item.title)}\n")
            if item.url:
                out.write(f"  {clean_line(item.url)}\n")
            for line in item.lines:
                out.write(f"  {clean_line(line)}\n")
    if footer:
        out.write(("\n" if not first else "") + clean_line(footer) + "\n")


def _md(text: str) -> str:
    """Markdown-escape text so that brackets, stars and the like print as themselves."""
    text = clean_line(text)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def write_markdown(blocks: Iterable[Block], footer: str, out: TextIO, title: str) -> None:
    out.write(f"# {_md(title)}\n")
    for block in blocks:
        out.write(f"\n## {_md(block.title)}\n\n")
        if block.intro:
            out.write(_md(block.intro) + "\n\n")
        for item in block.items:
            head = f"**{_md(item.title)}**"
            if item.url:
                head = f"[{_md(item.title)}]({item.url.replace(')', '%29')})"
            out.write(f"- {head}\n")
            for line in item.lines:
                out.write(f"  - {_md(line)}\n")
    if footer:
        out.write(f"\n---\n\n{_md(footer)}\n")


# -- machine formats ----------------------------------------------------------------------

def dumps(data, indent: int | None = None) -> str:
    # One encoder per indent: json.dumps builds a new one for every call with options.
    encoder = _ENCODERS.get(indent)
    if encoder is None:
        encoder = _ENCODERS[indent] = json.JSONEncoder(ensure_ascii=False, indent=indent)
    return encoder.encode(data)


_ENCODERS: dict[int | None, json.JSONEncoder] = {}


def write_json(data, out: TextIO) -> None:
    out.write(dumps(data, indent=2) + "\n")


def write_ndjson(rows: Iterable[dict], out: TextIO) -> None:
    for row in rows:
        out.write(dumps(row) + "\n")
        out.flush()


def search_rows(result: dict) -> Iterator[dict]:
    """One row per crisis line (when a crisis was read), per guided search and app search."""
    base = {"line": result["input"].get("line", ""), "input": result["input"]["text"]}
    for org in result["crisis"]["resources"]:
        yield dict(base, kind="crisis-line", query=org["name"],
                   url=org.get("chat") or org.get("url") or "",
                   why=" · ".join(contact_text(c) for c in org["contacts"]),
                   population="", condition="", mode="crisis", pathway="")
    for key, kind in (("searches", "search"), ("app_searches", "app-store")):
        for s in result[key]:
            yield dict(base, kind=kind, query=s["query"], url=s["url"] or "", why=s["why"],
                       population=s["population"] or "", condition=s["condition"] or "",
                       mode=s["mode"], pathway=s["pathway"])


class TableWriter:
    """CSV or TSV with a header first; rows stream as they come."""

    def __init__(self, out: TextIO, fmt: str = "csv", columns=CSV_COLUMNS) -> None:
        import csv

        self.out = out
        self.tsv = fmt == "tsv"
        if self.tsv:
            self.writer = csv.DictWriter(out, columns, delimiter="\t", quoting=csv.QUOTE_NONE,
                                         escapechar="\\", lineterminator="\n")
        else:
            self.writer = csv.DictWriter(out, columns, lineterminator="\n")
        self.writer.writeheader()

    def write(self, rows: Iterable[dict]) -> None:
        for row in rows:
            # No escape sequences in a cell; TSV has no quoting, so every value on one line.
            row = {k: clean_line(str(v)) if self.tsv else clean_terminal(str(v))
                   for k, v in row.items()}
            self.writer.writerow(row)
        self.out.flush()


def write_result(result: dict, fmt: str, out: TextIO, *, colour: bool = False,
                 width: int | None = None, title: str = "Peer support resources") -> None:
    """Write one answer in one format (`auto` is resolved by the caller)."""
    if fmt == "json":
        write_json(result, out)
    elif fmt == "ndjson":
        write_ndjson([result], out)
    elif fmt in ("csv", "tsv"):
        TableWriter(out, fmt).write(search_rows(result))
    else:
        write_blocks(outline(result), result["footer"], fmt, out, colour=colour, width=width,
                     title=title)


def write_blocks(blocks: list[Block], footer: str, fmt: str, out: TextIO, *,
                 colour: bool = False, width: int | None = None, title: str = "") -> None:
    """Write blocks for people: rich `text`, `markdown`, or `plain` (every other format)."""
    if fmt == "markdown":
        write_markdown(blocks, footer, out, title)
    elif fmt == "text":
        from .render_rich import write_rich

        write_rich(blocks, footer, out, colour=colour, width=width)
    else:
        write_plain(blocks, footer, out)
