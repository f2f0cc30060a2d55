"""Exit statuses, named once (documented in the README)."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    # Like grep's no-match: the need matched nothing specific, general pathways were printed.
    # `validate` uses the same value for "warnings only".
    NO_MATCH = 1
    WARNINGS = 1
    # Usage error, bad input, or a broken knowledge-base file.
    ERROR = 2
    INTERNAL_ERROR = 3
    INTERRUPTED = 130
    # The reader of stdout went away (`peerfind ... | head -n 1`): 128 + SIGPIPE, as a shell
    # reports for a filter stopped by a closed pipe.
    BROKEN_PIPE = 141
