"""Language-neutral text handling: folding, normalising, cleaning text for a terminal, and the
cheap edit-distance tests. Anything that knows a language's words lives in its own module
(`en.py`)."""

from __future__ import annotations

import re
import unicodedata

MAX_NEED_CHARS = 1000  # a need is cut here (with a note); documented in the README

_APOSTROPHES = r"['\u2019\u2018`\u00b4]"
_NON_WORD = r"[^0-9a-z]+"
# Terminal escape sequences (CSI, OSC, other ESC sequences) and C0/C1 controls except tab and
# newline. Removed before any text reaches a terminal.
_ESCAPES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[@-_]?"                        # other two-byte escapes, or a lone ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
    # Bidirectional controls (U+202E would show a line's words in another order) and the
    # Unicode line and paragraph separators.
    r"|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
# Patterns are compiled on first use (re.sub caches them): an exact-id search needs none.


def fold(text: str) -> str:
    """Lower-case and strip accents: "Café" -> "cafe"."""
    if text.isascii():  # most needs: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalize(text: str) -> str:
    """The form every matcher works on: folded, apostrophes dropped ("don't" -> "dont"),
    other punctuation turned into spaces, single spaces."""
    return re.sub(_NON_WORD, " ", re.sub(_APOSTROPHES, "", fold(text))).strip()


def one_edit_apart(a: str, b: str) -> bool:
    """At most one edit turns `a` into `b`: a changed, added or dropped letter, or two
    neighbours swapped (optimal string alignment distance <= 1)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1:] == b[start + 1:]:  # one letter changed
            return True
        swapped = a[start:start + 2] == b[start:start + 2][::-1]
        return swapped and a[start + 2:] == b[start + 2:]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[start:] == longer[start + 1:]


def may_be_within(a: str, b: str, edits: int) -> bool:
    """False when `a` and `b` are surely more than `edits` edits apart (a cheap test that
    spares most words the real distance). An edit changes the lengths by at most one and the
    letter counts by at most two."""
    if abs(len(a) - len(b)) > edits:
        return False
    counts: dict[str, int] = {}
    for ch in a:
        counts[ch] = counts.get(ch, 0) + 1
    for ch in b:
        counts[ch] = counts.get(ch, 0) - 1
    return sum(map(abs, counts.values())) <= 2 * edits


def clean_terminal(text: str) -> str:
    """Remove escape sequences and control characters so text prints as itself."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(_ESCAPES, "", text)


def clean_line(text: str) -> str:
    """`clean_terminal`, and keep it on one line."""
    return " ".join(clean_terminal(text).split())


def bound_need(text: str) -> tuple[str, bool]:
    """Cut a need to MAX_NEED_CHARS; say whether it was cut."""
    if len(text) <= MAX_NEED_CHARS:
        return text, False
    return text[:MAX_NEED_CHARS], True


def scrub_surrogates(text: str) -> str:
    """Replace lone surrogates (from undecodable bytes) so the text can be encoded."""
    return text.encode("utf-8", "replace").decode("utf-8")
