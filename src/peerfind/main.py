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


# Commands that answer a need: when they fail, the error is followed by where help is.
ANSWERING = ("search", "batch", "crisis")


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run peerfind; return the exit status. Never shows a traceback unless asked to."""
    from typer.main import get_command

    from .cli import State, app

    args = list(sys.argv[1:] if argv is None else argv)
    env = env or Environment()
    if not args and env.stdin_isatty and env.stdout_isatty:
        args = ["guide"]  # someone at a terminal who knows no flags yet: ask them
    debug = "--debug" in args or env.environ.get("PEERFIND_DEBUG", "") not in ("", "0")
    args, name = _need_as_search(app, args)
    if env.stdout is None:  # `peerfind ... >&-`
        env.error("standard output is closed: nothing can be printed")
        return ExitStatus.ERROR
    try:
        command = get_command(_app_for(app, args))
        # Help and --version are printed by Typer to sys.stdout: point it at our stdout.
        with contextlib.redirect_stdout(env.stdout):
            status = command.main(args=args, prog_name="peerfind", standalone_mode=False,
                                  obj=State(env=env))
        env.stdout.flush()  # a full disk shows here, not at exit
        return int(status or 0)
    except (StdoutClosed, BrokenPipeError):
        _silence_stdout()
        return ExitStatus.BROKEN_PIPE
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except PeerfindError as exc:
        from .errors import KnowledgeBaseError

        # A command that answers a need, or any that could not load the knowledge base, still
        # says where help is, on the same line.
        if name in ANSWERING or (isinstance(exc, KnowledgeBaseError) and name != "validate"):
            env.error(f"{exc} (in crisis? call or text 988, any time)")
            _crisis_lines_anyway(env, name, exc)
        else:
            env.error(str(exc))
        return ExitStatus.ERROR
    except (typer.Abort, typer.TyperException) as exc:  # Click's own errors
        return _usage_error(exc, env)
    except OSError as exc:
        # Reading and writing files are handled where they happen: what is left is the output
        # (a full disk, a stdout that fails). One line, and the output is dropped.
        _silence_stdout()
        env.error(f"cannot write the output ({exc.strerror or type(exc).__name__})")
        return ExitStatus.ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        # The message may quote what the user typed: show only the kind of error.
        env.say(f"peerfind: internal error: {type(exc).__name__}, rerun with --debug")
        return ExitStatus.INTERNAL_ERROR


def _crisis_lines_anyway(env: Environment, name: str | None, exc: Exception) -> None:
    """`peerfind crisis` whose knowledge-base files fail still prints the built-in lines."""
    from .errors import KnowledgeBaseError

    if name != "crisis" or not isinstance(exc, KnowledgeBaseError):
        return
    try:
        from .commands import write_crisis
        from .knowledge import load_knowledge_base

        write_crisis(load_knowledge_base(environ=env.environ), "plain", env)
    except Exception:  # noqa: BLE001 - the error line already names 988
        pass


def _need_as_search(app: typer.Typer, args: list[str]) -> tuple[list[str], str | None]:
    """The command being run, and the arguments with `search` put in front of a first word
    that is no command: `peerfind "I want to ..."` is a need, answered as `search` would."""
    takes_value = _global_options_with_values(app)
    commands = {_command_name(c) for c in app.registered_commands}
    skip = False
    for n, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg == "--":
            break
        elif not arg.startswith("-") or arg == "-":
            if arg in commands:
                return args, arg
            return [*args[:n], "search", *args[n:]], "search"
    return args, None


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
    env.error(_usage_message(exc))
    if ctx is not None:
        env.say(f"Try '{ctx.command_path} --help' for help.")
    return int(getattr(exc, "exit_code", ExitStatus.ERROR))


def _usage_message(exc: Exception) -> str:
    """Click's message, without what was typed: a value given to an option may be a need
    ("-p 'I want to die'"), and an unknown option or extra word may be one too."""
    # Typer carries its own copy of Click: go by the exception's kinds, by name.
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if kinds & {"MissingParameter", "BadOptionUsage", "NoArgsIsHelpError"} or \
            "UsageError" not in kinds:
        return str(exc.format_message())  # type: ignore[attr-defined]
    if "BadParameter" in kinds:
        param, ctx = getattr(exc, "param", None), getattr(exc, "ctx", None)
        hint = getattr(exc, "param_hint", None) or (
            param.get_error_hint(ctx) if param is not None and ctx is not None else None)
        message = f"invalid value for {hint}" if hint else "invalid value"
        choices = getattr(getattr(param, "type", None), "choices", None)
        if choices:
            message += "; choose from " + ", ".join(
                str(getattr(choice, "value", choice)) for choice in choices)
        return message
    if "NoSuchOption" in kinds:
        return "no such option"
    if "extra argument" in str(getattr(exc, "message", "")):
        return "more words than the command takes (quote a need: \"...\")"
    return "the command line could not be read"


def _silence_stdout() -> None:
    # Python flushes stdout at exit; with the reader gone that flush would print
    # "Exception ignored ... BrokenPipeError". Point stdout at /dev/null instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
