"""Markdown: the outline as headings and lists, every piece of text escaped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..language.normalize import clean_line
from .base import Document, Writer
from .outline import Block


class MarkdownWriter(Writer):
    def write(self, doc: Document) -> None:
        write_markdown(doc.blocks, doc.footer, self.out, doc.title)


def _md(text: str) -> str:
    """Markdown-escape text so that brackets, stars and the like print as themselves."""
    text = clean_line(text)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def write_markdown(blocks: Iterable[Block], footer: str, out: TextIO, title: str) -> None:
    out.write(f"# {_md(title)}\n")
    for block in blocks:
        out.write(f"\n## {_md(block.title)}\n\n" if block.title else "\n")
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
