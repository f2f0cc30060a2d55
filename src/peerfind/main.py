"""argv in, exit status out. The one place that maps every error to an exit status.

The engine raises domain errors (errors.py) that carry no status; the CLI (cli.py) only parses
and calls. Here: expected failures become one line on stderr, a closed pipe and Ctrl-C end
quietly, and anything else is an internal error shown without its message (it may quote what
the user typed) unless --debug asks for the traceback.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from typing import Any

import typer

from .env import Environment
from .errors import PeerfindError, StdoutClosed
from .exitcodes import ExitStatus


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run peerfind; return the exit status. Never shows a traceback unless asked to."""
    from typer.main import get_command

    from .cli import State, app

    args = list(sys.argv[1:] if argv is None else argv)
    env = env or Environment()
    debug = "--debug" in args or env.environ.get("PEERFIND_DEBUG", "") not in ("", "0")
    try:
        command = get_command(_app_for(app, args))
        # Help and --version are printed by Typer to sys.stdout: point it at our stdout.
        with contextlib.redirect_stdout(env.stdout):
            status = command.main(args=args, prog_name="peerfind", standalone_mode=False,
                                  obj=State(env=env))
        return int(status or 0)
    except (StdoutClosed, BrokenPipeError):
        _silence_stdout()
        return ExitStatus.BROKEN_PIPE
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except PeerfindError as exc:
        env.error(str(exc))
        return ExitStatus.ERROR
    except (typer.Abort, typer.TyperException) as exc:  # Click's own errors
        return _usage_error(exc, env)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        # The message may quote what the user typed: show only the kind of error.
        print(f"peerfind: internal error: {type(exc).__name__}, rerun with --debug",
              file=env.stderr)
        return ExitStatus.INTERNAL_ERROR


def run() -> None:
    """The console script: run, then exit without the interpreter's last garbage collection.

    That collection walks every object Typer and the knowledge base made, only for the process
    to end: about 12 ms, a tenth of a search. Freezing them first skips the walk; files and
    streams are still flushed and closed as usual.
    """
    status = main()
    import gc

    gc.freeze()
    sys.exit(status)


def _app_for(app: typer.Typer, args: list[str]) -> typer.Typer:
    """The app with only the command being run. Building every command's parser costs more
    start-up than running one; help and completion still see them all."""
    takes_value = _global_options_with_values(app)
    name = None
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg in ("-h", "--help"):
            return app
        elif not arg.startswith("-"):
            name = arg
            break
    chosen = [c for c in app.registered_commands if _command_name(c) == name]
    if not chosen:
        return app
    single = copy.copy(app)
    single.registered_commands = chosen
    return single


def _global_options_with_values(app: typer.Typer) -> set[str]:
    """The global options (before the command) that take a value, read from the callback's
    Typer parameters: `--kb FILE` does; `--debug`, a bool, is a flag. (Building Click's
    parameters to ask them would cost half a millisecond of every run.)"""
    import inspect

    from typer.models import OptionInfo

    callback = app.registered_callback.callback if app.registered_callback else None
    if callback is None:
        return set()
    names: set[str] = set()
    for parameter in inspect.signature(callback).parameters.values():
        info = parameter.default
        if isinstance(info, OptionInfo) and not isinstance(info.default, bool):
            names.update(decl for decl in info.param_decls or () if decl.startswith("-"))
    return names


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


def _usage_error(exc: Exception, env: Environment) -> int:
    if isinstance(exc, typer.Abort):
        return ExitStatus.INTERRUPTED
    ctx = getattr(exc, "ctx", None)
    message = exc.format_message()  # type: ignore[attr-defined]
    print(f"peerfind: error: {message}", file=env.stderr)
    if ctx is not None:
        print(f"Try '{ctx.command_path} --help' for help.", file=env.stderr)
    return int(getattr(exc, "exit_code", ExitStatus.ERROR))


def _silence_stdout() -> None:
    # Python flushes stdout at exit; with the reader gone that flush would print
    # "Exception ignored ... BrokenPipeError". Point stdout at /dev/null instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
