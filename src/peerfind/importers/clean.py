"""Text as a person should read it: mojibake repaired, literal "\\n" turned into line breaks,
marker lines dropped, and no control character left that a terminal or a web page would act
on. Also the few text helpers every reader shares: dates, web addresses, slugs, names shown in
messages."""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Any

from ..errors import shown  # noqa: F401 - names in messages, for the readers

# Mojibake that ftfy cannot see: UTF-8 read as code page 437, then squeezed into Windows-1252
# by "best fit", which turned the lead byte's box-drawing or Greek letter into ASCII
# (Γ -> G for E2, ├ -> + for C3, ┬ -> - for C2). "ChildrenGÇÖs" is "Children’s".
_CP437_TAIL = {bytes([b]).decode("cp437"): b for b in range(0x80, 0xC0)}
_CP437_TAIL["¬"] = 0xA9  # best fit wrote ⌐ (A9, é) as ¬; é is far commoner than ê
_CP437_TAIL["¦"] = 0xB3  # and │ (B3, ó) as ¦; ñ (▒) shares it, see hsds.yaml text.words
_TAIL = "[" + re.escape("".join(_CP437_TAIL)) + "]"
_BEST_FIT = re.compile(f"G{_TAIL}{_TAIL}|-Ç-{_TAIL}|[+-]{_TAIL}")
_LEAD = {"G": 0xE2, "+": 0xC3, "-": 0xC2}
# "-" + tail decodes to U+0080-U+00BF; only the few that real text holds count (no-break
# space, quotes and dashes as cp1252 C1 controls, ©, ®, °, «, », ¿), so "Jean-Étienne" and
# "co-ópera" stay as they are.
_C2_TAILS = frozenset([0xA0, 0xA9, 0xAE, 0xB0, 0xAB, 0xBB, 0xBF, 0x80, 0x85, 0x91, 0x92, 0x93,
                       0x94, 0x96, 0x97, 0x99])
_LOST_LEAD = re.compile("\x80([\x93\x94\x98\x99\x9c\x9d\xa2\xa6])")
# Control characters (C0 but line breaks, DEL, C1) and the bidirectional overrides that make
# text read backwards (U+202E): never useful in a listing, sometimes an attack.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHE = re.compile(r"['`]")
# Addresses a listing may carry: a web page, a phone, a text, an email. `javascript:` or
# `data:` in a directory is an attack on whatever web page shows the JSON.
SAFE_SCHEMES = ("https", "http", "tel", "sms", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def _repair_best_fit(text: str) -> str:
    def _decode(found: re.Match) -> str:
        chunk = found.group(0)
        if chunk.startswith("-Ç-"):  # a three-byte character that lost its lead byte
            return "\x80" + chr(_CP437_TAIL[chunk[3]])
        data = bytes([_LEAD[chunk[0]], *(_CP437_TAIL[ch] for ch in chunk[1:])])
        if chunk[0] == "-" and data[1] not in _C2_TAILS:
            return chunk
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return chunk

    text = _BEST_FIT.sub(_decode, text)
    # Where the E2 lead byte was lost altogether, a quote or dash is left as U+0080 and a C1
    # control ("\x80\x9c" for “): put the lead byte back, and drop a lone U+0080.
    text = _LOST_LEAD.sub(lambda found: bytes([0xE2, 0x80, ord(found.group(1))]).decode(
        "utf-8", "replace"), text)
    return text.replace("\x80", "")


def clean(value: Any, words: tuple[tuple[str, str], ...] = (),
          drop_lines: tuple[re.Pattern, ...] = (), *, multiline: bool = False) -> str:
    """Repair mojibake (`words` first: repairs the general one cannot tell apart), turn literal
    "\\n" into line breaks, drop control characters and `drop_lines`, trim."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable() and "\\" not in text and not (
            multiline and drop_lines):
        return " ".join(text.split())  # most fields: plain one-line text
    text = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        for bad, good in words:
            text = text.replace(bad, good)
        text = _repair_best_fit(text)
        import ftfy

        text = ftfy.fix_text(text)
    text = _CONTROLS.sub(" ", text)
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if not any(p.match(line) for p in drop_lines)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def web_address(value: str) -> str:
    """A web address as a link; "" when it is not one or its scheme is not http(s):
    "javascript:alert(1)" or "data:text/html,..." from a directory is an attack on whatever
    web page shows the JSON."""
    value = value.strip().rstrip("/") if value else ""
    if not value or " " in value or "." not in value:
        return ""
    scheme = _SCHEME.match(value)
    rest = value[scheme.end():] if scheme else value
    if scheme is None or rest[:1].isdigit():  # "example.org", "example.org:8080/x"
        return f"http://{value}"
    if scheme.group(1).lower() in ("http", "https") and rest.startswith("//"):
        return value
    return ""


def safe_address(value: str) -> bool:
    """Whether an address (of any kind) uses one of SAFE_SCHEMES, or none at all."""
    scheme = _SCHEME.match(value.strip())
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def date_of(value: Any) -> str:
    """The ISO date inside a value ("2019-08-19 14:32:23" -> "2019-08-19"), or ""."""
    found = _ISO_DATE.search(str(value or ""))
    if not found:
        return ""
    try:
        return _dt.date.fromisoformat(found.group(1)).isoformat()
    except ValueError:
        return ""


def slug(text: str) -> str:
    from ..language.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(str(text))).strip("-")


def key(text: str) -> str:
    """`text.key` (normalised, stemmed words), quicker for plain ASCII text: folding accents
    character by character is most of the cost of reading 4,000 descriptions."""
    if not text.isascii():
        from ..language import key as full_key

        return full_key(text)
    plain = _NON_WORD.sub(" ", _APOSTROPHE.sub("", text.lower()))
    return " ".join([_stem_word(word) for word in plain.split()])


@lru_cache(maxsize=65536)
def _stem_word(word: str) -> str:
    # Descriptions repeat the same few thousand words; stemming each once is enough.
    from ..language.en import stem

    return stem(word)


def integer(value: Any) -> int | None:
    """An age or a count as the source wrote it ("18", 18, "18.0"), else None."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number == number and abs(number) < 1e6 else None


def number(value: Any) -> float | None:
    """A coordinate as written ("25.81", 25.81), else None (blank, text, NaN, infinite)."""
    try:
        result = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return result if abs(result) <= 180 else None
