"""HTML for people (`--format html`): the handout of an answer, or any other command's blocks,
as one self-contained printable page (or one page per need in a batch, with page breaks).

No scripts, no fonts or images from elsewhere (a Content-Security-Policy forbids fetching
anything), a print stylesheet for A4 and US Letter, black on white. Every piece of text from the
knowledge base, an imported directory or the user goes through `html.escape`, attribute values
are quoted, and only http(s), tel, sms and mailto addresses become links. Every web address has
a QR code beside it (qr.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, TextIO

from ..language.normalize import clean_line
from ..language.phrases import phrases
from .base import Answer, Document, StreamWriter
from .handout import Action, Quiet, handout_outline, made_date
from .outline import Block, Item
from .qr import qr_svg

SAFE_SCHEMES = ("https://", "http://", "tel:", "sms:", "mailto:")


# -- drawing it ---------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(clean_line(str(text)), quote=True)


def safe_href(url: str) -> str | None:
    """`url` if a tap on it can only open a page, a dialler, a message or an email."""
    url = clean_line(url)
    if url.lower().startswith(SAFE_SCHEMES) and not re.search(r"[\s<>\"'`]", url):
        return url
    return None


def _bare(url: str) -> str:
    """A web address as it is read aloud: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", clean_line(url)).rstrip("/")


def _link(text: str, href: str | None, numbers: bool = False) -> str:
    safe = safe_href(href) if href else None
    words = _unbroken_numbers(_e(text)) if numbers else _e(text)
    return f'<a href="{html.escape(safe, quote=True)}">{words}</a>' if safe else words


def _unbroken_numbers(escaped: str) -> str:
    """Phone numbers kept on one line: "1-866-488-" and "7386" apart cannot be dialled."""
    return re.sub(r"\+?\d[\dA-Z]*(?:-[\dA-Z]+)+",
                  lambda m: f'<span class="nb">{m.group(0)}</span>', escaped)


def _item_html(item: Item, block: str) -> str:
    body = [f'<p class="name">{_e(item.title)}</p>']
    qrs = []
    if item.url:
        address = item.url if block != "searches" else ""
        if address:
            body.append(f'<p class="web">{_link(_bare(address), address)}</p>')
        if safe_href(item.url):
            qrs.append(item.url)
    for line in item.lines:
        if isinstance(line, Action):
            body.append(f'<p class="act">{_link(line, line.href, numbers=True)}</p>')
            if line.href.startswith(("http://", "https://")) and safe_href(line.href):
                qrs.append(line.href)
        else:
            body.append(f'<p class="quiet">{_e(line)}</p>' if isinstance(line, Quiet)
                        else f"<p>{_e(line)}</p>")
    if block == "searches":
        body[0] = f'<p class="name"><q>{_link(item.title, item.url)}</q></p>'
    codes = "".join(f'<div class="qr" data-qr="{html.escape(safe_href(u) or "", quote=True)}">'
                    f"{qr_svg(u)}</div>" for u in qrs)
    if codes:
        codes = f'<div class="qrs">{codes}</div>'  # one above the other: the text keeps its room
    extra = f" {getattr(item, 'role', '')}" if getattr(item, "role", "") else ""
    return f'<li class="item{extra}"><div class="body">{"".join(body)}</div>{codes}</li>'


def _block_html(block: Block) -> str:
    key = html.escape(block.key, quote=True)
    parts = [f'<section class="{key}"><h2>{_e(block.title)}</h2>']
    if block.intro:
        parts.append(f'<p class="intro">{_e(block.intro)}</p>')
    if block.key == "sources":
        parts.append("<ul>" + "".join(
            f"<li><b>{_e(i.title)}</b>{': ' + _e(i.lines[0]) if i.lines else ''}</li>"
            for i in block.items) + "</ul>")
    elif block.key == "advice":
        points = []
        for item in block.items:
            if item.lines:
                points.append(f'<li class="name">{_e(item.title)}</li>')
            points += [f'<li class="point">{_e(p)}</li>' for p in item.lines or [item.title]]
        parts.append("<ul>\n" + "\n".join(points) + "\n</ul>")
    else:
        parts.append("<ul>\n" + "\n".join(_item_html(i, block.key) for i in block.items)
                     + "\n</ul>")
    parts.append("</section>\n")
    return "".join(parts)


def sheet_html(blocks: list[Block], lang: str | None = None) -> str:
    """One handout: the title, the crisis box, who it is for, two columns, the sources."""
    head, crisis, *middle, sources = blocks
    left = [b for b in middle if b.key in ("contacts", "local")]
    right = [b for b in middle if b.key not in ("contacts", "local")]
    made = head.items[0].title if head.items else ""
    return (f"<article class=\"sheet\"{_lang_attribute(lang)}>\n<h1>{_e(head.title)}</h1>\n"
            f"{_block_html(crisis)}<header><p class=\"for\">{_e(head.intro)}</p>"
            f"<p class=\"made\">{_e(made)}</p></header>\n<div class=\"columns\">\n"
            f"<div class=\"col\">\n{''.join(_block_html(b) for b in left)}</div>\n"
            f"<div class=\"col\">\n{''.join(_block_html(b) for b in right)}</div>\n</div>\n"
            f"<footer>{_block_html(sources)}</footer>\n</article>\n")


def page_html(title: str, blocks: list[Block], footer: str = "") -> str:
    """Any other command's blocks (crisis lines, about, a list) as one plain page."""
    tail = f'<p class="footer">{_e(footer)}</p>' if footer else ""
    return (f'<article class="sheet page">\n<h1>{_e(title)}</h1>\n'
            f"{''.join(_block_html(b) for b in blocks)}{tail}</article>\n")


def _lang_attribute(lang: str | None) -> str:
    code = _lang_code(lang)
    return f' lang="{html.escape(code, quote=True)}"' if lang else ""


def _lang_code(lang: str | None) -> str:
    code = (lang or "en").replace("_", "-").split(".")[0]
    return code if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", code) else "en"


STYLE = """
@page { size: %(paper)s; margin: 9mm 10mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; font: 10pt/1.3 "DejaVu Sans", "Liberation Sans",
  Arial, Helvetica, sans-serif; -webkit-text-size-adjust: 100%%; }
body { margin: 0 auto; max-width: 188mm; }
@media screen { body { padding: 8mm 4mm; } .sheet + .sheet { margin-top: 12mm;
  border-top: 1px dashed #000; padding-top: 8mm; } }
.sheet + .sheet { break-before: page; }
h1 { font-size: 16pt; margin: 0; }
header { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 4mm;
  margin: 0 0 3mm; }
header .for { flex: 1 1 auto; font-weight: bold; }
header .made { font-size: 8pt; }
h2 { font-size: 11pt; margin: 0 0 1.2mm; padding-bottom: 0.5mm; border-bottom: 0.35mm solid #000; }
section { margin: 0 0 3mm; }
ul { list-style: none; margin: 0; padding: 0; }
p { margin: 0; }
.intro { margin-bottom: 1.2mm; }
.item { display: flex; gap: 2mm; align-items: flex-start; margin: 0 0 1.7mm;
  break-inside: avoid; }
.item .body { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; }
.name { font-weight: bold; }
.act { font-weight: bold; }
.nb { white-space: nowrap; }
.web { text-decoration: underline; }
a { color: inherit; text-decoration: none; }
div.qrs { flex: none; display: flex; flex-direction: column; gap: 1.5mm; }
div.qr { width: 17mm; height: 17mm; }
svg.qr { display: block; width: 100%%; height: 100%%; shape-rendering: crispEdges; }
.crisis { border: 0.9mm solid #000; padding: 2mm 3mm 0; margin: 2mm 0 2mm;
  break-inside: avoid; }
.page section { break-inside: auto; }
.page .footer { margin-top: 3mm; font-weight: bold; }
.crisis h2 { font-size: 12pt; border: 0; margin-bottom: 0.5mm; }
.crisis ul { display: grid; grid-template-columns: repeat(auto-fit, minmax(52mm, 1fr));
  column-gap: 4mm; }
.crisis .name { font-size: 10.5pt; }
.crisis div.qr { width: 15mm; height: 15mm; }
.crisis .emergency, .crisis .step { grid-column: 1 / -1; }
.crisis .emergency p { display: inline; margin-right: 2.5mm; }
.crisis ul { counter-reset: step; }
.crisis .step .name::before { counter-increment: step; content: counter(step) ". "; }
.columns { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; }
.col { min-width: 0; }
.quiet { font-size: 8.5pt; }
.advice .point { margin: 0 0 1mm 3.5mm; text-indent: -3.5mm; }
.advice .point::before { content: "\\2713\\00a0"; display: inline-block; width: 3.5mm;
  text-indent: 0; }
footer { font-size: 6.5pt; line-height: 1.2; border-top: 0.3mm solid #000; padding-top: 1mm; }
footer h2 { font-size: 7.5pt; border: 0; margin: 0; display: inline; }
footer .sources .intro { display: inline; margin-left: 1mm; }
footer ul { display: block; margin-top: 0.5mm; }
footer li { display: inline; }
footer li + li::before { content: "\\00a0\\00b7\\00a0"; }
@media print { a[href]::after { content: none; } }
"""


def document(sheets: Iterable[str], *, lang: str | None = None, title: str = "",
             paper: str = "auto") -> Iterator[str]:
    """A whole HTML file around one or more sheets, in pieces so a batch can stream."""
    yield head_html(lang=lang, title=title, paper=paper)
    yield from sheets
    yield _END


def head_html(*, lang: str | None = None, title: str = "", paper: str = "auto") -> str:
    words = phrases(lang)
    paper = paper if paper in ("auto", "A4", "letter") else "auto"
    return ("<!DOCTYPE html>\n"
            f'<html lang="{html.escape(_lang_code(lang), quote=True)}"><head>'
            '<meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{_e(title or words['title'])}</title>"
            f"<style>{STYLE % {'paper': paper}}</style></head><body>\n")


_END = "</body></html>\n"


def write_html(result: dict[str, Any], out: TextIO, *, crisis_lines: Sequence[dict] = (),
               lang: str | None = None, full: bool = False, made: date | None = None,
               paper: str = "auto") -> None:
    """Write the handout for one answer as a whole HTML file."""
    lang = lang or result["input"].get("lang")
    sheet = sheet_html(handout_outline(result, crisis_lines=crisis_lines, lang=lang,
                                       full=full, made=made), lang)
    for piece in document([sheet], lang=lang, paper=paper):
        out.write(piece)


def is_answer(data: Any) -> bool:
    return isinstance(data, dict) and "searches" in data and "crisis" in data


class HtmlWriter(StreamWriter):
    """`html`: a handout for an answer; any other command's blocks as a plain page. A batch is
    one file with one page per need (CSS page breaks): one thing to print or hand to a group.

    Options (Writer.options): `full` lifts the one-page limits (--all); `made` is the date on
    the page; `crisis_lines(populations)` gives this person's crisis lines (organization dicts)
    for the box on every page; `paper` is "auto", "A4" or "letter".
    """

    def _sheet(self, result: dict[str, Any]) -> str:
        populations = {m["id"] for m in result["matches"] if m["kind"] == "population"}
        lines = self.options.get("crisis_lines")
        lang = result["input"].get("lang")
        return sheet_html(handout_outline(
            result, crisis_lines=lines(populations) if lines else (), lang=lang,
            full=bool(self.options.get("full")), made=self._made()), lang)

    def _made(self) -> date:
        made = self.options.get("made")
        return made if isinstance(made, date) else made_date({})

    def _write(self, pieces: Iterable[str]) -> None:
        for piece in pieces:
            self.out.write(piece)

    def write(self, doc: Document) -> None:
        paper = str(self.options.get("paper", "auto"))
        if is_answer(doc.data):
            lang = doc.data["input"].get("lang")
            self._write(document([self._sheet(doc.data)], lang=lang, paper=paper))
        else:
            page = page_html(doc.title, doc.blocks, doc.footer)
            self._write(document([page], title=doc.title, paper=paper))

    def begin(self) -> None:
        self.out.write(head_html(paper=str(self.options.get("paper", "auto"))))

    def add(self, answer: Answer) -> None:
        self.out.write(self._sheet(answer.data()))
        self.out.flush()

    def end(self) -> None:
        self.out.write(_END)
