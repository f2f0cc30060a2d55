"""Helpers shared by the handout tests: answers as the CLI builds them, the page's tags and
links as a browser would parse them, and QR codes read back from their SVG or from a picture."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from peerfind.answer.crisis import lines_for_every_page
from peerfind.answer.finder import search
from peerfind.answer.result import organization_dict

MADE = date(2026, 11, 29)


def answer(kb, need: str, **options) -> tuple[dict, list[dict]]:
    """An answer and this person's crisis lines, as the CLI hands them to the handout."""
    result = search(need, kb=kb, **options).to_dict()
    populations = {m["id"] for m in result["matches"] if m["kind"] == "population"}
    return result, [organization_dict(o) for o in lines_for_every_page(kb, populations)]


class Page(HTMLParser):
    """Every tag with its attributes, every link, every QR code's payload, and the text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]

    @property
    def qr_payloads(self) -> list[str]:
        return [a["data-qr"] for t, a in self.tags if "data-qr" in a]


def svg_codes(text: str) -> list[str]:
    """Each QR <svg> of a page, in order."""
    return re.findall(r"<svg [^>]*class=\"qr\".*?</svg>", text, flags=re.S)


def decode_svg(svg: str, scale: int = 6) -> str | None:
    """Read a QR code back from its SVG path (segno draws rows of modules as h-lines)."""
    import zxingcpp
    from PIL import Image, ImageDraw

    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    path = re.search(r' d="([^"]+)"', svg).group(1)
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5)
            draw.rectangle([x * scale, row * scale, (x + float(a)) * scale - 1,
                            (row + 1) * scale - 1], fill=0)
            x += float(a)
    found = zxingcpp.read_barcodes(image)
    return found[0].text if found else None


def browser() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)


def print_to_pdf(html_file: Path, pdf: Path) -> None:
    """Print a page to PDF the way a person would, in headless Chromium."""
    subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    html_file.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, flags=re.M).group(1))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
