"""Plain text: the outline with no colour and no markup; titles in capitals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..language.normalize import clean_line
from .base import Document, Writer
from .outline import Block


class PlainWriter(Writer):
    def write(self, doc: Document) -> None:
        if doc.aligned is not None:
            write_aligned(doc.aligned, self.out)
        else:
            write_plain(doc.screen_blocks, doc.footer, self.out)


def write_aligned(pairs: list[tuple[str, str]], out: TextIO) -> None:
    """Two columns: ids padded to the longest, then names."""
    width = max((len(first) for first, _ in pairs), default=0)
    for first, second in pairs:
        out.write(f"{first:<{width}}  {clean_line(second)}\n")


def write_plain(blocks: Iterable[Block], footer: str, out: TextIO) -> None:
    first = True
    for block in blocks:
        if not first:
            out.write("\n")
        first = False
        if block.title:
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
