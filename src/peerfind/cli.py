"""The command line: parse options, call the library, write the answer. Nothing else.

`main()` is the console entry point: it owns error handling (one line on stderr, never a
traceback unless --debug), broken pipes and Ctrl-C.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .env import Environment
from .errors import PeerfindError, UsageError
from .exitcodes import ExitStatus

app = typer.Typer(
    name="peerfind",
    help="Find mental-health and substance-use peer support: help from people who have been "
         "there. Offline; nothing you type is kept.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # tracebacks would show what a user typed
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # help text is content: "[your city/county]" prints as written
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    auto = "auto"
    text = "text"
    plain = "plain"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"


class BatchFormat(str, Enum):
    ndjson = "ndjson"
    json = "json"
    csv = "csv"
    tsv = "tsv"


class Engine(str, Enum):
    duckduckgo = "duckduckgo"
    google = "google"
    bing = "bing"
    startpage = "startpage"


class Section(str, Enum):
    populations = "populations"
    conditions = "conditions"
    settings = "settings"
    organizations = "organizations"
    roles = "roles"
    terms = "terms"
    principles = "principles"
    topics = "topics"
    pathways = "pathways"
    advice = "advice"


class State:
    """What the global options set, handed to every command."""

    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or Environment()
        self.kb_paths: list[Path] = []
        self.builtin = True
        self.debug = False
        self._kb = None

    def kb(self):
        if self._kb is None:
            from .knowledge import load_knowledge_base

            self._kb = load_knowledge_base(self.kb_paths, builtin=self.builtin,
                                           environ=self.env.environ)
        return self._kb

    def resolve(self, fmt: Format) -> str:
        if fmt is Format.auto:
            return "text" if self.env.rich_output else "plain"
        return fmt.value


def _state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def _handles_errors(command):
    """Expected failures become one line on stderr and their exit status."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PeerfindError as exc:
            _state(kwargs["ctx"]).env.error(str(exc))
            raise typer.Exit(exc.exit_status) from None
        except BrokenPipeError:
            # The reader left (`| head`): stop quietly, like any well-behaved filter.
            _silence_stdout()
            raise typer.Exit(ExitStatus.BROKEN_PIPE) from None

    return wrapper


def _complete_ids(section: str):
    def complete(incomplete: str) -> list[str]:
        from .knowledge import kb_paths_from_env, load_knowledge_base

        try:
            kb = load_knowledge_base(kb_paths_from_env())
        except PeerfindError:
            return []
        return [entry_id for entry_id in kb.sections[section] if entry_id.startswith(incomplete)]

    return complete


def _version(value: bool) -> None:
    if value:
        print(f"peerfind {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    kb: Optional[list[Path]] = typer.Option(
        None, "--kb", metavar="FILE",
        help="Layer your own knowledge-base YAML over the built-in one (repeatable). "
             "PEERFIND_KB also takes a list of paths."),
    no_builtin: bool = typer.Option(False, "--no-builtin",
                                    help="Use only the --kb files, not the built-in knowledge base."),
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks for internal errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Find peer support: guided searches, settings to look for and checked national lines."""
    from .knowledge import kb_paths_from_env

    state = ctx.obj if isinstance(ctx.obj, State) else State()
    ctx.obj = state
    state.kb_paths = kb_paths_from_env(state.env.environ) + list(kb or [])
    state.builtin = not no_builtin
    state.debug = debug


# -- shared options -----------------------------------------------------------------------

PopulationOpt = typer.Option(
    [], "--population", "-p", metavar="ID", autocompletion=_complete_ids("populations"),
    help="A population id (repeatable): veterans, youth, lgbtq, ... (peerfind list populations).")
ConditionOpt = typer.Option(
    [], "--condition", "-c", metavar="ID", autocompletion=_complete_ids("conditions"),
    help="A condition id (repeatable): depression, alcohol, ptsd, ...")
SettingOpt = typer.Option(
    [], "--setting", "-s", metavar="ID", autocompletion=_complete_ids("settings"),
    help="A setting id (repeatable): clubhouses, warmlines, ...")
LocationOpt = typer.Option("", "--location", "-l", metavar="PLACE",
                           help="City, county or ZIP to put into every search.")
NearOpt = typer.Option("", "--near", metavar="PLACE",
                       help="Rank local listings (from --kb files) by this ZIP or city.")
EngineOpt = typer.Option(Engine.duckduckgo, "--engine", "-e",
                         help="Search engine for the search links.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing; only set the exit status.")


def _answer_options(population, condition, setting, location, near, engine):
    return dict(populations=tuple(population), conditions=tuple(condition),
                settings=tuple(setting), location=location, near=near, engine=engine.value)


@app.command()
@_handles_errors
def search(
    ctx: typer.Context,
    need: Optional[list[str]] = typer.Argument(
        None, metavar="NEED", help="What you are looking for, in your own words."),
    population: list[str] = PopulationOpt,
    condition: list[str] = ConditionOpt,
    setting: list[str] = SettingOpt,
    location: str = LocationOpt,
    near: str = NearOpt,
    engine: Engine = EngineOpt,
    fmt: Format = typer.Option(Format.auto, "--format", "-f",
                               help="auto: rich text on a terminal, plain when piped."),
    quiet: bool = QuietOpt,
) -> None:
    """Find peer support for a need: peerfind search "new mom feeling overwhelmed" -l Austin."""
    from .finder import search as find
    from .render import write_result

    state = _state(ctx)
    text = " ".join(need or ())
    if need and not text.strip():
        raise UsageError("the need is empty: say in a few words what you are looking for")
    if not text.strip() and not (population or condition or setting):
        raise UsageError("say what you need, or give --population, --condition or --setting "
                         "(try: peerfind search --population veterans)")
    result = find(text, kb=state.kb(), **_answer_options(population, condition, setting,
                                                         location, near, engine))
    if not quiet:
        for note in result.notes:
            state.env.note(note)
        write_result(result.to_dict(), state.resolve(fmt), state.env.stdout,
                     colour=state.env.colour)
    raise typer.Exit(ExitStatus.OK if result.matched else ExitStatus.NO_MATCH)


@app.command()
@_handles_errors
def batch(
    ctx: typer.Context,
    file: str = typer.Argument("-", metavar="FILE", help="One need per line; - for stdin."),
    population: list[str] = PopulationOpt,
    condition: list[str] = ConditionOpt,
    setting: list[str] = SettingOpt,
    location: str = LocationOpt,
    near: str = NearOpt,
    engine: Engine = EngineOpt,
    fmt: BatchFormat = typer.Option(BatchFormat.ndjson, "--format", "-f",
                                    help="ndjson (one object per line), json, csv or tsv."),
    quiet: bool = QuietOpt,
) -> None:
    """Answer one need per line, streaming: peerfind batch needs.txt > answers.ndjson."""
    from .batch import run_batch

    state = _state(ctx)
    stream = _open_input(file, state.env)
    try:
        run_batch(state.kb(), stream, state.env, fmt.value, quiet=quiet,
                  **_answer_options(population, condition, setting, location, near,
                                    engine))
    finally:
        if stream is not state.env.stdin and file != "-":
            stream.close()


def _open_input(file: str, env: Environment):
    if file == "-":
        return getattr(env.stdin, "buffer", env.stdin)
    path = Path(file)
    try:
        if path.is_dir():
            raise UsageError(f"{file}: is a directory, expected a file of needs")
        return open(path, "rb")
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except PermissionError:
        raise UsageError(f"{file}: permission denied") from None


@app.command("list")
@_handles_errors
def list_entries(
    ctx: typer.Context,
    section: Section = typer.Argument(..., help="What to list."),
    fmt: Format = typer.Option(Format.auto, "--format", "-f"),
) -> None:
    """List the ids and names in one section: peerfind list populations."""
    from .views import write_list

    state = _state(ctx)
    write_list(state.kb(), section.value, state.resolve(fmt), state.env)


@app.command()
@_handles_errors
def show(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="Any id, e.g. veterans or clubhouses."),
    fmt: Format = typer.Option(Format.auto, "--format", "-f"),
) -> None:
    """Show everything the knowledge base says about one entry: peerfind show veterans."""
    from .views import write_show

    state = _state(ctx)
    write_show(state.kb(), entry_id, state.resolve(fmt), state.env)


@app.command()
@_handles_errors
def about(ctx: typer.Context, fmt: Format = typer.Option(Format.auto, "--format", "-f")) -> None:
    """Explain peer support: principles, roles, terms and history: peerfind about."""
    from .views import write_about

    state = _state(ctx)
    write_about(state.kb(), state.resolve(fmt), state.env)


@app.command()
@_handles_errors
def crisis(ctx: typer.Context, fmt: Format = typer.Option(Format.auto, "--format", "-f")) -> None:
    """Print the crisis lines now, with no other input: peerfind crisis."""
    from .views import write_crisis

    state = _state(ctx)
    write_crisis(state.kb(), state.resolve(fmt), state.env)


@app.command()
@_handles_errors
def validate(
    ctx: typer.Context,
    files: Optional[list[Path]] = typer.Argument(
        None, metavar="FILE", help="Knowledge-base files (default: the built-in one)."),
) -> None:
    """Check knowledge-base files and report every problem: peerfind validate local.yaml."""
    from .views import run_validate

    state = _state(ctx)
    raise typer.Exit(run_validate(list(files or ()), state.builtin, state.env))


_OUTPUT_HELP = "Where to write: a .db file (a SQLite listing store, for any size), a .yaml " \
    "knowledge-base file, or - for stdout."


@app.command("import-hsds")
@_handles_errors
def import_hsds(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="HSDS data package (folder or .zip) or HSDS 3.0 JSON."),
    output: str = typer.Option(..., "--output", "-o", metavar="FILE", help=_OUTPUT_HELP),
    keep_all: bool = typer.Option(False, "--all", help="Keep every service, not only peer support."),
    force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
    directory: Optional[str] = typer.Option(None, "--directory", metavar="NAME",
                                            help='The directory\'s name, shown with each listing '
                                                 '("211 Miami"; default: the file name).'),
    updated: Optional[str] = typer.Option(None, "--updated", metavar="DATE",
                                          help="The export's date, for records that carry none."),
) -> None:
    """Turn an Open Referral (HSDS) directory into local listings: peerfind import-hsds
    miami/ -o local.db."""
    from .views import run_import

    state = _state(ctx)
    run_import(state.kb(), path, output, keep_all, state.env, force=force, directory=directory,
               updated=updated)


@app.command("import-meetings")
@_handles_errors
def import_meetings(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A Meeting Guide JSON feed (a list of meetings)."),
    output: str = typer.Option(..., "--output", "-o", metavar="FILE", help=_OUTPUT_HELP),
    force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
    directory: Optional[str] = typer.Option(None, "--directory", metavar="NAME",
                                            help="The feed's name, shown with each meeting."),
    fellowship: str = typer.Option("", "--fellowship", metavar="NAME",
                                   help="The fellowship, when the feed does not name it "
                                        "(Alcoholics Anonymous, Al-Anon, Narcotics Anonymous)."),
    updated: Optional[str] = typer.Option(None, "--updated", metavar="DATE",
                                          help="The feed's date, for meetings that carry none."),
) -> None:
    """Turn a Meeting Guide feed of 12-step meetings into local listings: peerfind
    import-meetings meetings.json -o meetings.db."""
    from .views import run_import

    state = _state(ctx)
    run_import(state.kb(), path, output, True, state.env, kind="meetings", force=force,
               directory=directory, updated=updated, fellowship=fellowship)


@app.command()
@_handles_errors
def schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of search and batch results: peerfind schema."""
    from .views import write_schema

    write_schema(_state(ctx).env)


# -- entry point --------------------------------------------------------------------------

def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run peerfind; return the exit status. Never shows a traceback unless asked to."""
    args = list(sys.argv[1:] if argv is None else argv)
    env = env or Environment()
    debug = "--debug" in args or env.environ.get("PEERFIND_DEBUG", "") not in ("", "0")
    from typer.main import get_command

    try:
        command = get_command(_app_for(args))
        # Help and --version are printed by Typer to sys.stdout: point it at our stdout.
        with contextlib.redirect_stdout(env.stdout):
            status = command.main(args=args, prog_name="peerfind", standalone_mode=False,
                                  obj=State(env=env))
        return int(status or 0)
    except BrokenPipeError:
        _silence_stdout()
        return ExitStatus.BROKEN_PIPE
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except PeerfindError as exc:
        env.error(str(exc))
        return exc.exit_status
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _is_click_error(exc):
            return _usage_error(exc, env)
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


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command being run. Building every command's parser costs more
    start-up than running one; help and completion still see them all."""
    name = None
    takes_value = {"--kb"}
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


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _is_click_error(exc: Exception) -> bool:
    return isinstance(exc, (typer.TyperException, typer.Abort))


def _usage_error(exc, env: Environment) -> int:
    if isinstance(exc, typer.Abort):
        return ExitStatus.INTERRUPTED
    ctx = getattr(exc, "ctx", None)
    message = exc.format_message()
    print(f"peerfind: error: {message}", file=env.stderr)
    if ctx is not None:
        print(f"Try '{ctx.command_path} --help' for help.", file=env.stderr)
    return getattr(exc, "exit_code", ExitStatus.ERROR)


def _silence_stdout() -> None:
    # Python flushes stdout at exit; with the reader gone that flush would print
    # "Exception ignored ... BrokenPipeError". Point stdout at /dev/null instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
