"""Crisis patterns are checked as they are run: joined into one alternation, over every need.

A pattern that compiles alone may not compile joined to the others (a global flag such as
`(?i)` in the middle, a group name used twice), and a pattern that backtracks badly would hang
every search. So a pattern may not set global flags, name groups or refer back to them, and
its repeats must keep the cost of a match bounded:

- no repeat of variable length, and no alternation, inside an unbounded repeat (`(a+)+`,
  `(a*)*`, `(\\w+\\s?)*`, `(a|aa)*`; a character class `[ab]*` says the same for single
  characters), nor inside a counted repeat of more than three steps (`(a?){20}`); no
  unbounded repeat inside a counted one (`(a+){2,5}`). A repeated word, `(\\w+ ){0,3}`, is
  allowed: it ends in a space that its letters never match, so it matches in one way only;
- no two unbounded repeats side by side (`\\w+\\w+`), and at most MAX_UNBOUNDED unbounded
  repeats that can cross words (`.*`, `.{0,60}`) in one pattern, which bounds the worst case to
  a small power of the need's length, itself cut to 1,000 characters. Repeats of letters
  (`\\w+`, `[a-z]*`) stay inside a word: needs are normalised to words and single spaces.

Python's own `re` runs the patterns: the linear-time engine RE2 (PyPI `google-re2`) installs,
but cannot run the lookaheads the built-in patterns use (`(?! back)`), costs 5 ms to import and
writes its parse errors to stderr itself.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

MAX_UNBOUNDED = 2
MAX_PATTERN_CHARS = 3000
# A counted repeat with more than this many steps is as costly as an unbounded one.
_LONG_REPEAT = 20
_GLOBAL_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII | re.LOCALE


class _Unsafe(Exception):
    pass


def _parser():
    return _private("re._parser", "sre_parse")


def _private(name: str, before_311: str) -> Any:
    """One of the re module's private parts (renamed in Python 3.11)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:  # Python 3.10
        return importlib.import_module(before_311)


@lru_cache(maxsize=4096)
def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be one of the crisis patterns, or None when it can. Remembered: a
    process that checks several files (validate, a batch of knowledge bases) checks the
    built-in patterns once."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"a pattern is at most {MAX_PATTERN_CHARS} characters"
    try:
        with warnings.catch_warnings():  # "possible nested set" and the like: still a pattern
            warnings.simplefilter("ignore")
            re.compile(pattern)
            tree = _parser().parse(pattern)
    except re.error as exc:
        return f"not a valid regular expression: {exc.msg}" + (
            f" (at position {exc.pos})" if exc.pos is not None else "")
    except (RecursionError, OverflowError):
        return "the regular expression is nested too deeply"
    if tree.state.flags & _GLOBAL_FLAGS:
        return ("inline flags such as (?i) would apply to every pattern when they run together: "
                "needs are matched in lower case already, or scope the flag as (?i:...)")
    if tree.state.groupdict:
        return "named groups cannot be used: the patterns run joined, and a name is used once; " \
               "write (?:...)"
    try:
        unbounded = _walk(list(tree), inside=None, state=tree.state)
    except _Unsafe as exc:
        return str(exc)
    except RecursionError:
        return "the regular expression is nested too deeply"
    if unbounded > MAX_UNBOUNDED:
        return (f"too many open-ended repeats that can cross words ({unbounded}; at most "
                f"{MAX_UNBOUNDED}, such as .* or .{{0,60}}): each one multiplies the time a need "
                f"can take")
    return None


def joined_problem(patterns: Sequence[str]) -> str | None:
    """Why the patterns cannot run as one alternation, or None (each is checked on its own
    first: this catches what only shows when they are joined)."""
    return _joined_problem(tuple(patterns))


@lru_cache(maxsize=64)
def _joined_problem(patterns: tuple[str, ...]) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        return f"the patterns do not compile together: {exc.msg}"
    except (RecursionError, OverflowError):
        return "the patterns are nested too deeply"
    return None


def _is_unbounded(high: int, maxrepeat: int) -> bool:
    return high == maxrepeat or high > _LONG_REPEAT


def _walk(items: list, inside: str | None, state: object = None) -> int:
    """Count the unbounded repeats in a parsed pattern; raise _Unsafe for a costly shape.
    `inside` is None, "counted" (in a repeat of at most _LONG_REPEAT steps) or "unbounded"."""
    parser = _parser()
    maxrepeat = parser.MAXREPEAT
    count = 0
    for (op, value), (next_op, next_value) in zip(items, items[1:]):
        if all(str(o) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
               and _is_unbounded(v[1], maxrepeat) for o, v in ((op, value), (next_op, next_value))):
            raise _Unsafe("two open-ended repeats side by side, such as \\w+\\w+, can take a "
                          "long time: join them into one")
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            unbounded = _is_unbounded(high, maxrepeat)
            count += unbounded and _matches_space(list(sub), state)
            if high > 1 and not _delimited(list(sub), state):
                if unbounded and _varies(list(sub)):
                    raise _Unsafe("a repeat or alternation inside an open-ended repeat, such as "
                                  "(a+)+ or (a|aa)*, can take exponential time: repeat a single "
                                  "item, or a character class like [ab]*")
                if high > _SMALL_COUNT and _varies(list(sub)):
                    raise _Unsafe(f"a repeat or alternation inside a repeat of more than "
                                  f"{_SMALL_COUNT} steps, such as (a?){{9}}, can take "
                                  f"exponential time")
                if _has_unbounded(list(sub), maxrepeat):
                    raise _Unsafe("an open-ended repeat inside a counted one, such as (a+){2,5}, "
                                  "can take a very long time")
            count += _walk(list(sub), inside, state)
        elif name == "SUBPATTERN":
            count += _walk(list(value[-1]), inside, state)
        elif name == "BRANCH":
            count += sum(_walk(list(branch), inside, state) for branch in value[1])
        elif name in ("ASSERT", "ASSERT_NOT"):
            count += _walk(list(value[1]), inside, state)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise _Unsafe("back-references cannot be used in crisis patterns")
        elif name == "ATOMIC_GROUP":
            count += _walk(list(value), inside, state)
    return count


# A repeat of at most this many steps may hold alternatives or optional parts: at most
# (ways)**steps paths, a few hundred.
_SMALL_COUNT = 3


def _children(op: str, value: Any) -> list[list]:
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [list(value[2])]
    if op == "SUBPATTERN":
        return [list(value[-1])]
    if op == "BRANCH":
        return [list(branch) for branch in value[1]]
    if op in ("ASSERT", "ASSERT_NOT"):
        return [list(value[1])]
    if op == "ATOMIC_GROUP":
        return [list(value)]
    return []


def _varies(items: list) -> bool:
    """Whether these items can match in more than one way: a repeat of variable length or an
    alternation somewhere inside."""
    for op, value in items:
        name = str(op)
        if name == "BRANCH":
            return True
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] != value[1]:
            return True
        if any(_varies(child) for child in _children(name, value)):
            return True
    return False


def _has_unbounded(items: list, maxrepeat: int) -> bool:
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and \
                _is_unbounded(value[1], maxrepeat):
            return True
        if any(_has_unbounded(child, maxrepeat) for child in _children(name, value)):
            return True
    return False


def _delimited(items: list, state: object) -> bool:
    """A repeated body such as `(\\w+ )` is matched in one way only: it ends in a space, and
    what varies inside it are runs of characters that are never a space. Needs are normalised
    to words and single spaces, so each step of the repeat is one word."""
    while len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        items = list(items[0][1][-1])
    def space(item: tuple[Any, Any]) -> bool:
        return str(item[0]) == "LITERAL" and item[1] == ord(" ")

    if not items or not (space(items[-1]) or space(items[0])):
        return False
    for op, value in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "AT"):
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub = list(value[2])
            if len(sub) == 1 and str(sub[0][0]) in ("IN", "LITERAL", "ANY") \
                    and not _matches_space(sub, state):
                continue
        return False
    return True


def _matches_space(items: list, state: object) -> bool:
    compiler = _private("re._compiler", "sre_compile")
    parser = _parser()
    try:
        regex = compiler.compile(parser.SubPattern(state, items))
    except Exception:  # noqa: BLE001 - a private API: when in doubt, say it may
        return True
    return regex.fullmatch(" ") is not None


# `{name}` in a crisis pattern stands for one of the crisis section's word lists ("{pills}");
# counted repeats such as `{0,3}` have digits, never letters.
_WORD_LIST = r"\{([a-z][a-z_]*)\}"


def expand_words(crisis: Any) -> tuple[Any, list[tuple[tuple[Any, ...], str]]]:
    """The crisis section with its word lists written into its patterns, and the problems
    found as (path, message). `words: {pills: [pills, meds, xanax]}` makes `{pills}` in a
    pattern, exclusion or emergency pattern read `(?:pills|meds|xanax)`: a word added to a
    list reaches every pattern that names it. A file's lists serve that file's patterns."""
    if not isinstance(crisis, dict) or "words" not in crisis:
        return crisis, []
    crisis = dict(crisis)
    lists = crisis.pop("words")
    problems: list[tuple[tuple[Any, ...], str]] = []
    if not isinstance(lists, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and v and all(isinstance(w, str) for w in v)
            for k, v in lists.items()):
        return crisis, [(("crisis", "words"), "words is a mapping of names to lists of words")]
    # Longer phrases first: the alternation then prefers "end my life" to "end".
    joined = {name: "(?:" + "|".join(sorted(set(words), key=lambda w: (-len(w), w))) + ")"
              for name, words in lists.items()}

    def expand(pattern: Any, path: tuple[Any, ...]) -> Any:
        if not isinstance(pattern, str):
            return pattern
        unknown = sorted(set(re.findall(_WORD_LIST, pattern)) - joined.keys())
        if unknown:
            problems.append((path, f"{{{unknown[0]}}} names no list of crisis words; known: "
                             + ", ".join(sorted(joined))))
        return re.sub(_WORD_LIST, lambda m: joined.get(m.group(1), m.group(0)), pattern)

    for key in ("patterns", "exclusions"):
        if isinstance(crisis.get(key), list):
            crisis[key] = [expand(p, ("crisis", key, n)) for n, p in enumerate(crisis[key])]
    if isinstance(crisis.get("emergencies"), list):
        emergencies = []
        for n, emergency in enumerate(crisis["emergencies"]):
            if isinstance(emergency, dict) and isinstance(emergency.get("patterns"), list):
                emergency = dict(emergency, patterns=[
                    expand(p, ("crisis", "emergencies", n, "patterns", m))
                    for m, p in enumerate(emergency["patterns"])])
            emergencies.append(emergency)
        crisis["emergencies"] = emergencies
    return crisis, problems


def needle(word: str) -> str:
    """A piece of plain text every match of a word's regular expression contains: its longest
    run of letters and spaces outside groups and optional letters ("kill" in "kill (?:my
    ?self|your ?self)"), or "" when it has none."""
    depth, kept = 0, []
    for n, char in enumerate(word):
        if char == "(":
            depth += 1
            kept.append("\x00")  # a group stands between the words around it
        elif char == ")":
            depth -= 1
        elif depth == 0:
            optional = word[n + 1:n + 2] in ("?", "*")
            kept.append("\x00" if optional or not (char.isalnum() or char == " ") or
                        word[n - 1:n] == "\\" else char)
    runs = "".join(kept).split("\x00")
    return max((r.strip() for r in runs), key=len, default="")


def words_of(patterns: Iterable[str]) -> set[str]:
    """The literal words of regular expressions: "my ?self" reads "myself", and escapes such
    as \\b and \\w are not letters of a word."""
    words: set[str] = set()
    for pattern in patterns:
        words.update(re.findall(r"[a-z]+", re.sub(r"\\[a-zA-Z]", " ", pattern.replace(" ?", ""))))
    return words
