"""Crisis patterns are checked as they are run: joined into one alternation, over every need.

A pattern that compiles alone may not compile joined to the others (a global flag such as
`(?i)` in the middle, a group name used twice), and a pattern that backtracks badly would hang
every search. So a pattern may not set global flags, name groups or refer back to them, and
its repeats must keep the cost of a match bounded:

- no repeat of variable length inside another repeat (`(a+)+`, `(a*)*`, `(\\w+\\s?)*`,
  `(a{1,3})*`, `(a?){20}`);
- no alternation inside an unbounded repeat (`(a|aa)*`): a character class (`[ab]*`) says the
  same for single characters and costs nothing;
- at most MAX_UNBOUNDED unbounded repeats in one pattern (`.*`, `\\w+`), which bounds the worst
  case to a small power of the need's length, itself cut to 1,000 characters.

Python's own `re` runs the patterns: the linear-time engine RE2 (PyPI `google-re2`) installs,
but cannot run the lookaheads the built-in patterns use (`(?! back)`), costs 5 ms to import and
writes its parse errors to stderr itself.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

MAX_UNBOUNDED = 2
MAX_PATTERN_CHARS = 2000
# A counted repeat with more than this many steps is as costly as an unbounded one.
_LONG_REPEAT = 20
_GLOBAL_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII | re.LOCALE


class _Unsafe(Exception):
    pass


def _parser():
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as parser  # type: ignore[no-redef]
    return parser


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be one of the crisis patterns, or None when it can."""
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
        unbounded = _walk(list(tree), inside=None)
    except _Unsafe as exc:
        return str(exc)
    except RecursionError:
        return "the regular expression is nested too deeply"
    if unbounded > MAX_UNBOUNDED:
        return (f"too many open-ended repeats ({unbounded}; at most {MAX_UNBOUNDED}): each one "
                f"multiplies the time a need can take")
    return None


def joined_problem(patterns: Sequence[str]) -> str | None:
    """Why the patterns cannot run as one alternation, or None (each is checked on its own
    first: this catches what only shows when they are joined)."""
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


def _walk(items: list, inside: str | None) -> int:
    """Count the unbounded repeats in a parsed pattern; raise _Unsafe for a costly shape.
    `inside` is None, "counted" (in a repeat of fixed or small range) or "unbounded"."""
    parser = _parser()
    maxrepeat = parser.MAXREPEAT
    count = 0
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            unbounded = _is_unbounded(high, maxrepeat)
            variable = low != high
            if inside == "unbounded" and variable:
                raise _Unsafe("a repeat inside an open-ended repeat, such as (a+)+, can take "
                              "exponential time: repeat a single item instead")
            if inside == "counted" and variable:
                raise _Unsafe("a repeat inside a counted one, such as (a?){9} or (a+){2,5}, "
                              "can take exponential time")
            count += unbounded
            if high > 1:
                count += _walk(list(sub), "unbounded" if unbounded else "counted")
            else:
                count += _walk(list(sub), inside)
        elif name == "SUBPATTERN":
            count += _walk(list(value[-1]), inside)
        elif name == "BRANCH":
            if inside is not None:
                raise _Unsafe("an alternation inside an open-ended repeat, such as (a|aa)*, "
                              "can take exponential time: use a character class like [ab]*")
            count += sum(_walk(list(branch), inside) for branch in value[1])
        elif name in ("ASSERT", "ASSERT_NOT"):
            count += _walk(list(value[1]), inside)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise _Unsafe("back-references cannot be used in crisis patterns")
        elif name == "ATOMIC_GROUP":
            count += _walk(list(value), inside)
    return count
