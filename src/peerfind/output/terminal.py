"""Rich text for a terminal. Everything is printed as Text: content, never markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from ..language.normalize import clean_line
from .base import Document, Writer
from .outline import Block
from .plain import write_aligned

class TerminalWriter(Writer):
    """`text`: the outline in rich text, coloured on a terminal. Lists stay aligned plain text."""

    def write(self, doc: Document) -> None:
        if doc.aligned is not None:
            write_aligned(doc.aligned, self.out)
        else:
            write_rich(doc.screen_blocks, doc.footer, self.out, colour=self.colour, width=self.width)


# The crisis and emergency blocks, and the 988 footer, are never drawn dim.
# A terminal narrower than this (or COLUMNS=0) is drawn this wide: the terminal wraps the lines.
MIN_WIDTH = 40

_STYLES = {
    "emergency": "bold red",
    "crisis": "bold red",
    "matches": "dim",
}
_URGENT = ("emergency", "crisis")


def make_console(out: TextIO, *, colour: bool, width: int | None = None) -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Let the CLI end quietly with its own status (rich would exit 1, the no-match code).
            raise BrokenPipeError

    console = _Console(file=out, no_color=not colour, color_system="auto" if colour else None,
                       force_terminal=colour, highlight=False, markup=False, emoji=False,
                       width=width, soft_wrap=False)
    if console.width < MIN_WIDTH:  # COLUMNS=0 would print nothing, COLUMNS=1 a letter a line
        console.width = MIN_WIDTH
    return console


def write_rich(blocks: Iterable[Block], footer: str, out: TextIO, *, colour: bool,
               width: int | None = None) -> None:
    from rich.style import Style
    from rich.text import Text

    console = make_console(out, colour=colour, width=width)
    for n, block in enumerate(blocks):
        if n:
            console.print()
        style = _STYLES.get(block.key, "bold")
        if block.title:
            console.print(Text(clean_line(block.title), style=style))
        if block.intro:
            console.print(Text(clean_line(block.intro), style="bold" if block.key in _URGENT else ""))
        for item in block.items:
            title = Text("• ")
            title.append(clean_line(item.title), style="bold red" if block.key in _URGENT else "bold")
            console.print(title)
            if item.url:
                url = clean_line(item.url)
                # A URL is never wrapped: a broken one cannot be clicked or copied.
                console.print(Text("  ").append(url, style=Style(color="cyan", link=url) if colour else ""),
                              soft_wrap=True)
            for line in item.lines:
                console.print(Text("  " + clean_line(line)))
    if footer:
        console.print()
        console.print(Text(clean_line(footer), style="bold"))
