"""Text that reaches a terminal, a spreadsheet or a stream that cannot take it.

- `shown`: a path or a name from a file, in a message on stderr, with every control character
  (C0, C1, DEL, and the bidirectional overrides that reorder what a line seems to say) written
  as an escape: `\\x1b`, `\\u202e`. The name stays recognisable; the terminal does nothing.
- `json_safe`: JSON text with the same characters escaped (`\\u202e`): still the same data.
- `cell`: a CSV or TSV cell that a spreadsheet will not run as a formula (OWASP: a cell that
  starts with = + - @ tab or carriage return gets a leading apostrophe).
- `fit_stream`: a text stream that cannot encode every character (PYTHONIOENCODING=ascii,
  LC_ALL=C) writes a close ASCII form instead ("·" as "-", "é" as "e", else "?"), so an answer
  is never cut at the first character it cannot encode. Phone numbers are ASCII: they always
  print.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import Any

# Bidirectional controls: marks, embeddings, overrides and isolates.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = f"[\x00-\x1f\x7f-\x9f{BIDI}\u2028\u2029]"
_JSON_UNSAFE = f"[\x7f-\x9f{BIDI}\u2028\u2029]"
_NON_ASCII = "[^\x00-\x7e]"
SPREADSHEET_FIRST = ("=", "+", "-", "@", "\t", "\r")
FALLBACK = "peerfind-fallback"
_CLOSEST = {
    "\u00b7": "-", "\u2022": "*", "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2026": "...", "\u00a0": " ", "\u2192": "->", "\u00bf": "?", "\u00a1": "!",
    "\u00ab": '"', "\u00bb": '"',
}


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A character class above, compiled the first time a text needs it (most never do)."""
    return re.compile(pattern)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """`text` with control and bidirectional characters escaped, for messages on stderr."""
    return _compiled(_CONTROLS).sub(_escape, text) if not text.isprintable() else text


def json_safe(text: str, ascii: bool = False) -> str:
    """JSON text with DEL, C1 controls, bidirectional controls and line separators escaped as
    \\uXXXX: the same data, nothing that a terminal or a web page acts on. With `ascii`, every
    character beyond ASCII too (for a stream that cannot encode them)."""
    if not ascii and text.isascii() and "\x7f" not in text:  # most answers: nothing to do
        return text
    return _compiled(_NON_ASCII if ascii else _JSON_UNSAFE).sub(_json_escape, text)



def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a surrogate pair, as JSON spells it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def cell(value: str) -> str:
    """A spreadsheet cell that is never a formula."""
    return "'" + value if value.startswith(SPREADSHEET_FIRST) else value


def closest_ascii(text: str) -> str:
    out = []
    for ch in text:
        if ch in _CLOSEST:
            out.append(_CLOSEST[ch])
            continue
        import unicodedata  # only for a character the stream cannot encode

        plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii())
        out.append(plain or "?")
    return "".join(out)


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return closest_ascii(error.object[error.start:error.end]), error.end


def fits_unicode(stream: Any) -> bool:
    """Whether `stream` can encode any character (a UTF encoding, or a stream of str)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def fit_stream(stream: Any) -> Any:
    """Make `stream` write a close ASCII form of what it cannot encode. Returns the stream."""
    if fits_unicode(stream):
        return stream
    _register()
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors=FALLBACK)
        except (ValueError, OSError):  # a closed or detached stream: its writes will say so
            pass
    return stream


_REGISTERED = False


def _register() -> None:
    global _REGISTERED
    if not _REGISTERED:
        codecs.register_error(FALLBACK, _fallback)
        _REGISTERED = True


MAX_LINE_BYTES = 64 * 1024  # a batch line is read this far; the rest is skipped unread


def bounded_lines(stream: Any, limit: int = MAX_LINE_BYTES):
    """(line, cut) for each line of a binary or text stream, reading at most `limit` bytes
    (or characters) of a line at a time: a line of any length costs `limit` of memory, and the
    lines after it are still read. `line` keeps its first `limit` units; `cut` says whether
    more was skipped."""
    while True:
        line = stream.readline(limit)
        if not line:
            return
        cut = False
        if len(line) >= limit and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
            while True:  # skip to the end of this line, a chunk at a time
                rest = stream.readline(limit)
                if not rest:
                    break
                cut = cut or len(rest.rstrip(b"\r\n" if isinstance(rest, bytes) else "\r\n")) > 0
                if rest.endswith(b"\n" if isinstance(rest, bytes) else "\n"):
                    break
        yield line, cut
