"""The command line: parse options, call the library, write the answer. Nothing else.

`main.py` runs it: argv in, exit status out, and every error mapped there.
"""

# No `from __future__ import annotations` here: Typer reads every option's annotation when it
# builds the command, and annotations kept as strings would be compiled with eval() on each run.
import contextlib
import functools
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TypeVar

import typer

from . import __version__
from .env import Environment
from .errors import PeerfindError, StdoutClosed, UsageError, os_error_message
from .exitcodes import ExitStatus
from .output import AUTO, BATCH_FORMATS, FORMATS

if TYPE_CHECKING:  # the knowledge base is loaded only when a command needs it
    from .knowledge import KnowledgeBase

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


# The choices of --format come from the output registry: a new format needs no line here.
Format = Enum("Format", {name: name for name in (AUTO, *FORMATS)}, type=str)  # type: ignore[misc]
BatchFormat = Enum("BatchFormat", {name: name for name in BATCH_FORMATS}, type=str)  # type: ignore[misc]


class Engine(str, Enum):
    duckduckgo = "duckduckgo"
    google = "google"
    bing = "bing"
    startpage = "startpage"


# In the order `list --help` has always shown them.
Section = Enum("Section", {name: name for name in (  # type: ignore[misc]
    "populations", "conditions", "settings", "organizations", "roles", "terms", "principles",
    "topics", "pathways", "advice")}, type=str)


class State:
    """What the global options set, handed to every command."""

    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or Environment()
        self.kb_paths: list[Path] = []
        self.builtin = True
        self.debug = False
        self._kb: KnowledgeBase | None = None

    def kb(self) -> "KnowledgeBase":
        if self._kb is None:
            from .knowledge import load_knowledge_base

            self._kb = load_knowledge_base(self.kb_paths, builtin=self.builtin,
                                           environ=self.env.environ)
        return self._kb

    def resolve(self, fmt: Enum, output: str = "") -> str:
        """`auto` is rich text on a terminal and plain text otherwise; with `-o FILE`, the
        format the file's extension names (sheet.html is html), else plain."""
        if fmt.value != AUTO:
            return str(fmt.value)
        if output and output != "-":
            from .output.files import format_for

            return format_for(output) or "plain"
        return "text" if self.env.rich_output else "plain"


def _state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


F = TypeVar("F", bound=Callable[..., Any])


def _pipe_safe(command: F) -> F:
    """A closed stdout leaves the command as StdoutClosed, for main.py to map. (Click would
    catch a BrokenPipeError itself and exit 1, the no-match status.)"""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            raise StdoutClosed from None

    return wrapper  # type: ignore[return-value]


def _complete_ids(section: str) -> Callable[[str], list[str]]:
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
                       help='Rank local listings (from --kb files) by distance from this ZIP '
                            'code or "City, ST".')
OpenNowOpt = typer.Option(False, "--open-now", help="Only local listings open now, in their own "
                                                    "time zone.")
OpenAtOpt = typer.Option("", "--open", metavar="WHEN",
                         help='Only local listings open then, in their own time: "tue 7pm".')
LanguageOpt = typer.Option("", "--language", metavar="LANG",
                           help="Only local listings offered in this language (es, Spanish).")
FreeOpt = typer.Option(False, "--free", help="Only local listings the directory says are free.")
AgeOpt = typer.Option(None, "--age", metavar="N", help="Only local listings open to this age.")
OnlineOpt = typer.Option(False, "--online", help="Only local listings you can join online.")
InPersonOpt = typer.Option(False, "--in-person", help="Only local listings you can go to.")
EngineOpt = typer.Option(Engine.duckduckgo, "--engine", "-e",
                         help="Search engine for the search links.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing; only set the exit status.")
OutputOpt = typer.Option("", "--output", "-o", metavar="FILE",
                         help="Write to FILE instead of stdout, whole or not at all; with "
                              "--format auto the format follows its extension (sheet.html).")
ForceOpt = typer.Option(False, "--force", help="Let --output replace a file that exists.")
AllOpt = typer.Option(False, "--all", "-a",
                      help="html: every line and search, on as many pages as they take.")
LangOpt = typer.Option(None, "--lang",
                       help="Answer in this language (default: the need's own words, then the "
                            "locale: LC_ALL, LC_MESSAGES, LANG; then English).")


class Lang(str, Enum):
    en = "en"
    es = "es"


def _answer_options(population: list[str], condition: list[str], setting: list[str],
                    location: str, near: str, engine: Enum, filters: dict[str, Any],
                    env: Environment, lang: Lang | None = None) -> dict[str, Any]:
    return dict(populations=tuple(population), conditions=tuple(condition),
                settings=tuple(setting), location=location, near=near, engine=engine.value,
                now=_now(env), lang=lang.value if lang else None, environ=env.environ,
                **filters)


def _filters(open_now: bool, open_at: str, language: str, free: bool, age: Optional[int],
             online: bool, in_person: bool) -> dict[str, Any]:
    return dict(open_now=open_now, open_at=open_at, language=language, free=free, age=age,
                online=online, in_person=in_person)


def _now(env: Environment) -> Any:
    """The clock for --open-now: PEERFIND_NOW (an ISO time with its offset, for tests and
    reproducible runs), else the time of the run."""
    value = env.environ.get("PEERFIND_NOW", "")
    if not value:
        return None
    import datetime as _dt

    try:
        moment = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError("PEERFIND_NOW: expected an ISO time with its offset, like "
                         "2026-11-30T18:30:00-05:00") from None
    if moment.tzinfo is None:
        raise UsageError("PEERFIND_NOW: give the time's offset, like -05:00")
    return moment


def _kb_in(state: State, lang: Lang | None) -> "KnowledgeBase":
    """The knowledge base read in --lang, else in the locale's language (no need to read)."""
    from .language.choose import choose

    return state.kb().in_language(choose(lang.value if lang else None, "", state.env.environ))


@app.command()
@_pipe_safe
def search(
    ctx: typer.Context,
    need: Optional[list[str]] = typer.Argument(
        None, metavar="NEED", help="What you are looking for, in your own words."),
    population: list[str] = PopulationOpt,
    condition: list[str] = ConditionOpt,
    setting: list[str] = SettingOpt,
    location: str = LocationOpt,
    near: str = NearOpt,
    open_now: bool = OpenNowOpt,
    open_at: str = OpenAtOpt,
    language: str = LanguageOpt,
    free: bool = FreeOpt,
    age: Optional[int] = AgeOpt,
    online: bool = OnlineOpt,
    in_person: bool = InPersonOpt,
    engine: Engine = EngineOpt,
    fmt: Format = typer.Option(Format(AUTO), "--format", "-f",
                               help="auto: rich text on a terminal, plain when piped; html: a "
                                    "printable one-page handout."),
    full: bool = typer.Option(False, "--all", "-a",
                              help="Show the whole answer, not only its first screen (text "
                                   "and plain), and let a handout (html) run past one page; "
                                   "other formats always hold everything."),
    quiet: bool = QuietOpt,
    output: str = OutputOpt,
    force: bool = ForceOpt,
    lang: Optional[Lang] = LangOpt,
) -> None:
    """Find peer support for a need: peerfind search "new mom feeling overwhelmed" -l Austin."""
    from .answer.finder import search as find
    from .output import write_result

    state = _state(ctx)
    text = " ".join(need or ())
    if not text.strip() and (need or not (population or condition or setting)):
        from .language.catalog import translations
        from .language.choose import choose

        tr = translations(choose(lang.value if lang else None, "", state.env.environ))
        if need:
            raise UsageError(tr.gettext(
                "the need is empty: say in a few words what you are looking for"))
        raise UsageError(tr.gettext(
            "say what you need, or give --population, --condition or --setting "
            "(try: peerfind search --population veterans)"))
    filters = _filters(open_now, open_at, language, free, age, online, in_person)
    result = find(text, kb=state.kb(), **_answer_options(population, condition, setting,
                                                         location, near, engine, filters,
                                                         state.env, lang))
    if not quiet:
        for note in result.notes:
            state.env.note(note)
        chosen = state.resolve(fmt, output)
        with _output_to(state.env, output, force=force) as env:
            write_result(result.to_dict(), chosen, env.stdout, colour=env.colour, full=full,
                         options=_writer_options(state, chosen, full))
    raise typer.Exit(ExitStatus.OK if result.matched else ExitStatus.NO_MATCH)


def _output_to(env: Environment, output: str, force: bool = False
               ) -> contextlib.AbstractContextManager[Environment]:
    """`-o FILE`: an Environment whose stdout goes to FILE at the end (output/files.py)."""
    if not output or output == "-":
        return contextlib.nullcontext(env)
    from .output.files import output_to

    return output_to(env, output, force=force)


def _writer_options(state: State, fmt: str, full: bool) -> dict[str, Any]:
    """What a writer may use beyond the answer: --all; for html also the date on the page and
    a person's crisis lines and 911, which its box shows even when the need read as neither."""
    if fmt != "html":
        return {"full": full}

    def crisis_lines(populations: set[str]) -> list[dict[str, Any]]:
        from .answer.crisis import lines_for_every_page
        from .answer.result import organization_dict

        return [organization_dict(o) for o in lines_for_every_page(state.kb(), populations)]

    from .output.handout import made_date

    return {"full": full, "made": made_date(state.env.environ), "crisis_lines": crisis_lines}


@app.command()
@_pipe_safe
def batch(
    ctx: typer.Context,
    file: str = typer.Argument("-", metavar="FILE", help="One need per line; - for stdin."),
    population: list[str] = PopulationOpt,
    condition: list[str] = ConditionOpt,
    setting: list[str] = SettingOpt,
    location: str = LocationOpt,
    near: str = NearOpt,
    open_now: bool = OpenNowOpt,
    open_at: str = OpenAtOpt,
    language: str = LanguageOpt,
    free: bool = FreeOpt,
    age: Optional[int] = AgeOpt,
    online: bool = OnlineOpt,
    in_person: bool = InPersonOpt,
    engine: Engine = EngineOpt,
    fmt: BatchFormat = typer.Option(BatchFormat(BATCH_FORMATS[0]), "--format", "-f",
                                    help="ndjson (one object per line), json, csv, tsv, or "
                                         "html (one handout page per need, in one file)."),
    quiet: bool = QuietOpt,
    output: str = OutputOpt,
    force: bool = ForceOpt,
    full: bool = AllOpt,
    lang: Optional[Lang] = LangOpt,
) -> None:
    """Answer one need per line, streaming: peerfind batch needs.txt > answers.ndjson."""
    from .answer.batch import run_batch
    from .output import writer_for
    from .output.base import StreamWriter

    state = _state(ctx)
    stream = _open_input(file, state.env)
    try:
        with _output_to(state.env, "" if quiet else output, force=force) as env:
            sink = None if quiet else writer_for(fmt.value, env.stdout,
                                                 options=_writer_options(state, fmt.value, full))
            assert sink is None or isinstance(sink, StreamWriter)
            run_batch(state.kb(), stream, env, sink,
                      **_answer_options(population, condition, setting, location, near,
                                        engine, _filters(open_now, open_at, language, free,
                                                         age, online, in_person), state.env,
                                        lang))
    finally:
        if stream is not state.env.stdin and file != "-":
            stream.close()


def _open_input(file: str, env: Environment) -> Any:
    if file == "-":
        return getattr(env.stdin, "buffer", env.stdin)
    path = Path(file)
    try:
        if path.is_dir():
            raise UsageError(f"{file}: is a directory, expected a file of needs")
        return open(path, "rb")
    except OSError as exc:
        raise UsageError(f"{file}: {os_error_message(exc)}") from None


@app.command("list")
@_pipe_safe
def list_entries(
    ctx: typer.Context,
    section: Section = typer.Argument(..., help="What to list."),
    fmt: Format = typer.Option(Format(AUTO), "--format", "-f"),
    output: str = OutputOpt,
    force: bool = ForceOpt,
    lang: Optional[Lang] = LangOpt,
) -> None:
    """List the ids and names in one section: peerfind list populations."""
    from .commands import write_list

    state = _state(ctx)
    with _output_to(state.env, output, force=force) as env:
        write_list(_kb_in(state, lang), section.value, state.resolve(fmt, output), env)


@app.command()
@_pipe_safe
def show(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="Any id, e.g. veterans or clubhouses."),
    fmt: Format = typer.Option(Format(AUTO), "--format", "-f"),
    output: str = OutputOpt,
    force: bool = ForceOpt,
    lang: Optional[Lang] = LangOpt,
) -> None:
    """Show everything the knowledge base says about one entry: peerfind show veterans."""
    from .commands import write_show

    state = _state(ctx)
    with _output_to(state.env, output, force=force) as env:
        write_show(_kb_in(state, lang), entry_id, state.resolve(fmt, output), env)


@app.command()
@_pipe_safe
def about(ctx: typer.Context,
          fmt: Format = typer.Option(Format(AUTO), "--format", "-f"),
          output: str = OutputOpt, force: bool = ForceOpt,
          lang: Optional[Lang] = LangOpt) -> None:
    """Explain peer support: principles, roles, terms and history: peerfind about."""
    from .commands import write_about

    state = _state(ctx)
    with _output_to(state.env, output, force=force) as env:
        write_about(_kb_in(state, lang), state.resolve(fmt, output), env)


@app.command()
@_pipe_safe
def crisis(ctx: typer.Context,
           fmt: Format = typer.Option(Format(AUTO), "--format", "-f"),
          output: str = OutputOpt, force: bool = ForceOpt,
          lang: Optional[Lang] = LangOpt) -> None:
    """Print the crisis lines now, with no other input: peerfind crisis."""
    from .commands import write_crisis

    state = _state(ctx)
    with _output_to(state.env, output, force=force) as env:
        write_crisis(_kb_in(state, lang), state.resolve(fmt, output), env)


@app.command()
@_pipe_safe
def guide(ctx: typer.Context, engine: Engine = EngineOpt,
          lang: Optional[Lang] = LangOpt) -> None:
    """Find peer support by answering a few questions (also: peerfind alone on a terminal)."""
    from .guide import run_guide

    state = _state(ctx)
    if not (state.env.stdin_isatty and state.env.stdout_isatty):
        raise UsageError("guide asks questions, so it needs a terminal; without one, try: "
                         "peerfind search \"what you are looking for\"")
    raise typer.Exit(run_guide(state.kb(), state.env, engine.value,
                               lang.value if lang else None))


@app.command()
@_pipe_safe
def validate(
    ctx: typer.Context,
    files: Optional[list[Path]] = typer.Argument(
        None, metavar="FILE", help="Knowledge-base files (default: the built-in one)."),
) -> None:
    """Check knowledge-base files and report every problem: peerfind validate local.yaml."""
    from .commands import run_validate

    state = _state(ctx)
    raise typer.Exit(run_validate(list(files or ()), state.builtin, state.env))


_OUTPUT_HELP = "Where to write: a .db file (a SQLite listing store, for any size), a .yaml " \
    "knowledge-base file, or - for stdout."


@app.command("import-hsds")
@_pipe_safe
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
    from .commands import run_import

    state = _state(ctx)
    run_import(state.kb(), path, output, keep_all, state.env, force=force, directory=directory,
               updated=updated)


@app.command("import-meetings")
@_pipe_safe
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
    from .commands import run_import

    state = _state(ctx)
    run_import(state.kb(), path, output, True, state.env, kind="meetings", force=force,
               directory=directory, updated=updated, fellowship=fellowship)


@app.command()
@_pipe_safe
def schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of search and batch results: peerfind schema."""
    from .commands import write_schema

    write_schema(_state(ctx).env)


