"""A printable one-page handout (`--format html`): what a peer specialist hands over.

The page is built as an outline of titled blocks (render.Block and render.Item), in this order:
crisis and emergency lines (always, in a box), who it is for and the date, the best contacts
with numbers, local listings, guided searches, how to judge what you find, and the sources in
small print. Then the blocks are drawn as HTML: self-contained (no scripts, fonts or images
from elsewhere), black on white, with a QR code beside every web address.

One page, by design, for a typical answer: a free-text need with one population and one
condition, a location and no local listings. `Limits` caps what a page shows (three contacts,
four searches, two points of advice, two columns of compact type); `full=True` (`--all`) lifts
the caps and lets the page run on.

Every piece of text from the knowledge base, an imported directory or the user goes through
`html.escape`, and only http(s), tel, sms and mailto addresses become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, TextIO

from .phrases import long_date, phrases
from .qr import qr_svg
from .render import Block, Item
from .text import clean_line

SAFE_SCHEMES = ("https://", "http://", "tel:", "sms:", "mailto:")
NUMBER_CONTACTS = ("phone", "text", "dial", "tty")


@dataclass(frozen=True)
class Limits:
    """How many of each a page shows; None is no limit."""

    crisis: int | None = 3
    contacts: int | None = 3
    local: int | None = 3
    searches: int | None = 4
    advice: int | None = 2


ONE_PAGE = Limits()
EVERYTHING = Limits(None, None, None, None, None)


class Quiet(str):
    """A line printed small: what kind of line an organization is, why a search helps."""


class Action(NamedTuple):
    """One thing to do on a line of an item: its words and where a tap takes you."""

    text: str
    href: str


def made_date(environ) -> date:
    """Today, or the date SOURCE_DATE_EPOCH names (reproducible pages for tests and builds)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        from datetime import timezone, datetime

        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


# -- the outline --------------------------------------------------------------------------

def handout_outline(result: dict, *, crisis_lines: Sequence[dict] = (), lang: str | None = None,
                    full: bool = False, made: date | None = None) -> list[Block]:
    """The handout's blocks for one answer (`result` is `search(...).to_dict()`).

    `crisis_lines` are the knowledge base's crisis lines for this person (organization dicts,
    as `peerfind crisis --format json` gives them): the box shows them when the need read as
    no crisis, so that 988 is on every page.
    """
    words = phrases(lang or result["input"].get("lang"))
    limits = EVERYTHING if full else ONE_PAGE
    crisis = _crisis_block(result, crisis_lines, words, limits)
    shown = {item.key for item in crisis.items if item.key}
    local = _take(result["local_services"], limits.local)
    room = limits.contacts
    if room is not None and local:
        # Local listings are longer and more specific: they take the room of national lines.
        room = max(1, min(room, limits.contacts + 1 - len(local)))
    contacts = _best_contacts(result["organizations"], shown, room)
    blocks = [_head_block(result, words, made or date.today()), crisis]
    if contacts:
        blocks.append(Block("contacts", words["contacts.title"],
                            items=[_organization(o, words, full) for o in contacts]))
    if local:
        blocks.append(Block("local", words["local.title"],
                            items=[_organization(o, words, full) for o in local]))
    searches = _take(result["searches"], limits.searches)
    if searches:
        blocks.append(Block("searches", words["searches.title"], words["searches.intro"], [
            Item(s["query"], [Quiet(s["why"])] if s.get("why") else [], s.get("url"))
            for s in searches]))
    advice = _advice(result["advice"], limits.advice, full)
    if advice:
        blocks.append(Block("advice", words["advice.title"], items=advice))
    blocks.append(_sources_block(crisis, result["organizations"], contacts, local, words, full))
    return blocks


class _Keyed(Item):
    """An item that remembers which organization it came from (for the sources)."""

    __slots__ = ("key", "source")

    def __init__(self, title: str, lines: list | None = None, url: str | None = None,
                 key: str = "", source: str = "") -> None:
        super().__init__(title, lines, url)
        self.key, self.source = key, source


def _take(items: Sequence, limit: int | None) -> list:
    return list(items if limit is None else items[:limit])


def _head_block(result: dict, words: dict, made: date) -> Block:
    names = [m["name"] for m in result["matches"]]
    who = "; ".join(names) if names else words["anyone"]
    place = result["input"].get("location")
    if place:
        who += " · " + words["near"].format(place=place)
    lang = result["input"].get("lang")
    return Block("head", words["title"], f"{words['for']}: {who}",
                 [Item(words["made"].format(date=long_date(made, lang)))])


def _crisis_block(result: dict, crisis_lines: Sequence[dict], words: dict,
                  limits: Limits) -> Block:
    read = result["crisis"]
    lines = read["resources"] if read["detected"] else crisis_lines
    items = [_organization(o, words, full=False, brief=True)
             for o in _take(lines, limits.crisis)]
    if not any(o.get("kind") == "emergency" for o in lines):
        emergency = [words["emergency.when"]]
        if words["emergency.language"]:
            emergency.append(words["emergency.language"])
        items.append(_Keyed(f"{words['emergency.name']} ({words['emergency.kind']})",
                            [Action(words["contact.phone"].format(value="911"), "tel:911"),
                             *emergency], key="emergency", source=words["emergency.source"]))
    if read["detected"]:
        return Block("crisis", words["crisis.title.read"], read.get("message") or "", items)
    return Block("crisis", words["crisis.title"], words["crisis.intro"], items)


def _best_contacts(organizations: list[dict], shown: set[str], limit: int | None) -> list[dict]:
    """Lines with a number first (a printed page is read by phone), in the answer's order."""
    rest = [o for o in organizations if o["id"] not in shown]
    with_number = [o for o in rest if any(c["type"] in NUMBER_CONTACTS for c in o["contacts"])]
    others = [o for o in rest if o not in with_number]
    return _take(with_number + others, limit)


def _organization(org: dict, words: dict, full: bool, brief: bool = False) -> _Keyed:
    lines: list = [Quiet(org["kind_label"])] if org.get("kind_label") and not brief else []
    actions, web = _actions(org["contacts"], words)
    lines += actions
    fields = ["hours"] if brief else ["organization", "address", "schedule", "hours",
                                      "eligibility"]
    for key in fields:
        if org.get(key):
            lines.append(f"{words['field.' + key]}: {org[key]}")
    distance = _distance(org)
    if distance:
        lines.append(f"{words['field.distance']}: {distance}")
    if full and org.get("languages"):
        lines.append(f"{words['field.languages']}: {', '.join(org['languages'])}")
    if full and not brief and org.get("description") and not org.get("local"):
        lines.append(org["description"])
    source = org.get("source") or ""
    if org.get("checked"):
        source += f" ({words['checked'].format(date=org['checked'])})"
    item = _Keyed(org["name"], lines, web[0] if web else None, key=org.get("id", ""),
                  source=source)
    item.lines += [Action(_bare(url), url) for url in web[1:]]
    return item


def _actions(contacts: Iterable[dict], words: dict) -> tuple[list, list[str]]:
    """What to do for each contact, as Actions; web addresses apart (each gets a QR code)."""
    actions: list = []
    web: list[str] = []
    contacts = list(contacts)
    # One number for calls and texts: "Call or text 988", one line instead of two.
    texts = {c["value"]: c for c in contacts if c["type"] == "text" and not c.get("keyword")}
    both = {c["value"] for c in contacts if c["type"] == "phone" and c["value"] in texts
            and texts[c["value"]].get("label") in (None, c.get("label"))}
    for contact in contacts:
        kind, value = contact["type"], contact["value"]
        if value in both:
            if kind == "text":
                continue
            kind = "phone.text" if kind == "phone" else kind
        if kind in ("url", "chat"):
            if value not in web:
                web.append(value)
            continue
        if kind == "text" and contact.get("keyword"):
            text = words["contact.text.keyword"].format(keyword=contact["keyword"], value=value)
        elif "contact." + kind in words:
            text = words["contact." + kind].format(value=value)
        else:
            text = value
        if contact.get("label"):
            text += f" ({contact['label']})"
        scheme = {"phone": "tel:", "phone.text": "tel:", "tty": "tel:", "dial": "tel:", "text": "sms:",
                  "email": "mailto:"}.get(kind)
        digits = value if kind == "email" else re.sub(r"[^0-9+]", "", value)
        actions.append(Action(text, scheme + digits) if scheme and digits else text)
    return actions, web


def _distance(org: dict) -> str:
    if isinstance(org.get("distance"), str):
        return org["distance"]
    for key, unit in (("distance_miles", "mi"), ("distance_km", "km")):
        if isinstance(org.get(key), (int, float)):
            return f"{org[key]:.1f} {unit}"
    return ""


def _advice(advice: list[dict], limit: int | None, full: bool) -> list[Item]:
    if full:
        return [Item(a["name"], list(a["points"])) for a in advice]
    # One point from each piece of advice in turn: two pieces say more than two points of one.
    points: list[str] = []
    depth = max((len(a["points"]) for a in advice), default=0)
    for n in range(depth):
        points += [a["points"][n] for a in advice if n < len(a["points"])]
    return [Item(p) for p in _take(points, limit)]


def _sources_block(crisis: Block, organizations: list[dict], contacts: list[dict],
                   local: list[dict], words: dict, full: bool) -> Block:
    shown: list = [i for i in crisis.items if isinstance(i, _Keyed)]
    ids = {o["id"] for o in (organizations if full else contacts)} | {o["id"] for o in local}
    by_id = {o["id"]: o for o in [*organizations, *local]}
    items, seen = [], set()
    for item in shown:
        items.append(Item(item.title, [item.source] if item.source else []))
        seen.add(item.key)
    for org_id in [o["id"] for o in [*contacts, *local]] + sorted(ids):
        if org_id in seen or org_id not in by_id:
            continue
        seen.add(org_id)
        org = by_id[org_id]
        source = org.get("source") or ""
        if org.get("checked"):
            source += f" ({words['checked'].format(date=org['checked'])})"
        items.append(Item(org["name"], [source] if source else []))
    return Block("sources", words["sources.title"], words["sources.note"], items)


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


def _link(text: str, href: str | None) -> str:
    safe = safe_href(href) if href else None
    return f'<a href="{html.escape(safe, quote=True)}">{_e(text)}</a>' if safe else _e(text)


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
            body.append(f'<p class="act">{_link(line.text, line.href)}</p>')
            if line.href.startswith(("http://", "https://")) and safe_href(line.href):
                qrs.append(line.href)
        else:
            body.append(f'<p class="quiet">{_e(line)}</p>' if isinstance(line, Quiet)
                        else f"<p>{_e(line)}</p>")
    if block == "searches":
        body[0] = f'<p class="name"><q>{_link(item.title, item.url)}</q></p>'
    codes = "".join(f'<div class="qr" data-qr="{html.escape(safe_href(u) or "", quote=True)}">'
                    f"{qr_svg(u)}</div>" for u in qrs)
    extra = " emergency" if getattr(item, "key", "") == "emergency" else ""
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
        parts.append("<ul>" + "".join(points) + "</ul>")
    else:
        parts.append("<ul>" + "".join(_item_html(i, block.key) for i in block.items) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def sheet_html(blocks: list[Block]) -> str:
    """One handout: the head, the crisis box, two columns, the sources."""
    head, crisis, *middle, sources = blocks
    left = [b for b in middle if b.key in ("contacts", "local")]
    right = [b for b in middle if b.key not in ("contacts", "local")]
    made = head.items[0].title if head.items else ""
    return (f"<article class=\"sheet\"><h1>{_e(head.title)}</h1>{_block_html(crisis)}"
            f"<header><p class=\"for\">{_e(head.intro)}</p>"
            f"<p class=\"made\">{_e(made)}</p></header><div class=\"columns\">"
            f"<div class=\"col\">{''.join(_block_html(b) for b in left)}</div>"
            f"<div class=\"col\">{''.join(_block_html(b) for b in right)}</div></div>"
            f"<footer>{_block_html(sources)}</footer></article>\n")


STYLE = """
@page { size: %(paper)s; margin: 10mm 11mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; font: 9.5pt/1.3 "DejaVu Sans", "Liberation Sans",
  Arial, Helvetica, sans-serif; -webkit-text-size-adjust: 100%%; }
body { margin: 0 auto; max-width: 188mm; }
@media screen { body { padding: 8mm 4mm; } .sheet + .sheet { margin-top: 12mm;
  border-top: 1px dashed #000; padding-top: 8mm; } }
.sheet + .sheet { break-before: page; }
h1 { font-size: 15pt; margin: 0; }
header { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 4mm;
  margin: 0 0 3mm; }
header .for { flex: 1 1 auto; font-weight: bold; }
header .made { font-size: 8pt; }
h2 { font-size: 10.5pt; margin: 0 0 1.2mm; padding-bottom: 0.5mm; border-bottom: 0.35mm solid #000; }
section { margin: 0 0 3mm; }
ul { list-style: none; margin: 0; padding: 0; }
p { margin: 0; }
.intro { margin-bottom: 1.2mm; }
.item { display: flex; gap: 2mm; align-items: flex-start; margin: 0 0 2mm;
  break-inside: avoid; }
.item .body { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; }
.name { font-weight: bold; }
.act { font-weight: bold; }
.web { text-decoration: underline; }
a { color: inherit; text-decoration: none; }
div.qr { flex: none; width: 17mm; height: 17mm; }
svg.qr { display: block; width: 100%%; height: 100%%; shape-rendering: crispEdges; }
.crisis { border: 0.9mm solid #000; padding: 2mm 3mm 0; margin: 2mm 0 2mm;
  break-inside: avoid; }
.crisis h2 { font-size: 12pt; border: 0; margin-bottom: 0.5mm; }
.crisis ul { display: grid; grid-template-columns: repeat(auto-fit, minmax(52mm, 1fr));
  column-gap: 4mm; }
.crisis .name { font-size: 10pt; }
.crisis .emergency { grid-column: 1 / -1; }
.crisis .emergency p { display: inline; margin-right: 2.5mm; }
.columns { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6mm; }
.col { min-width: 0; }
.quiet { font-size: 8pt; }
.advice .point { margin: 0 0 1mm 3.5mm; text-indent: -3.5mm; }
.advice .point::before { content: "\\2713\\00a0"; display: inline-block; width: 3.5mm;
  text-indent: 0; }
footer { font-size: 6.8pt; line-height: 1.22; border-top: 0.3mm solid #000; padding-top: 1mm; }
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
    words = phrases(lang)
    code = (lang or "en").replace("_", "-").split(".")[0]
    paper = paper if paper in ("auto", "A4", "letter") else "auto"
    yield ("<!DOCTYPE html>\n"
           f'<html lang="{html.escape(code, quote=True)}"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           "style-src 'unsafe-inline'; img-src data:\">"
           f"<title>{_e(title or words['title'])}</title>"
           f"<style>{STYLE % {'paper': paper}}</style></head><body>\n")
    yield from sheets
    yield "</body></html>\n"


def write_html(result: dict, out: TextIO, *, crisis_lines: Sequence[dict] = (),
               lang: str | None = None, full: bool = False, made: date | None = None,
               paper: str = "auto") -> None:
    """Write the handout for one answer as a whole HTML file."""
    lang = lang or result["input"].get("lang")
    sheet = sheet_html(handout_outline(result, crisis_lines=crisis_lines, lang=lang,
                                       full=full, made=made))
    for piece in document([sheet], lang=lang, paper=paper):
        out.write(piece)
