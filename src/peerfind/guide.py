"""The guided conversation: `peerfind` alone on a terminal, or `peerfind guide`.

A few plain questions (what is going on; for whom; where; the language only when the words do
not say), then the usual answer and a numbered menu: show everything, save a printable
handout, search again, quit. Crisis words at any question bring the crisis lines at once.

The prompts are rich's `Prompt`: rich is already a dependency, and its prompts are plain lines
(a question, then what you type), so they read well with a screen reader, need no colour and no
cursor tricks, fit 80x24, and keep no history (lines are read from the terminal as typed,
without readline, which nothing here imports). Ctrl-C leaves at once (exit 130), Ctrl-D too
(exit 0).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, cast

from .env import Environment
from .errors import UsageError
from .exitcodes import ExitStatus
from .language.phrases import LANGUAGES, phrases

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase

# Words that say which language a need is written in: short, frequent and not shared.
_MARKERS = {
    "en": {"i", "im", "my", "me", "the", "and", "is", "am", "are", "with", "for", "of", "to",
           "feel", "feeling", "need", "help", "want", "our", "he", "she", "his", "her", "they",
           "who", "been", "have", "has", "after", "about", "too", "much", "can", "dont"},
    "es": {"yo", "mi", "mis", "el", "la", "los", "las", "y", "es", "estoy", "soy", "con",
           "para", "por", "de", "del", "que", "siento", "necesito", "ayuda", "quiero", "mío",
           "hijo", "hija", "esposo", "esposa", "tiene", "tengo", "muy", "mucho", "también",
           "porque", "está", "ella", "ellos", "nuestro", "sin", "cuando", "pero"},
}


def language_of(text: str) -> str | None:
    """The language the words are clearly written in, or None when they do not say."""
    words = set(re.findall(r"[^\W\d_]+", text.lower().replace("'", "")))
    hits = {lang: len(words & markers) for lang, markers in _MARKERS.items()}
    if re.search(r"[ñ¿¡áéíóú]", text.lower()):
        hits["es"] += 2
    best = max(hits, key=lambda lang: hits[lang])
    if hits[best] and all(n < hits[best] for lang, n in hits.items() if lang != best):
        return best
    return None


@dataclass
class Services:
    """What the conversation needs from the rest of peerfind, handed in (tests pass fakes)."""

    answer: Callable[[str, str, str | None], dict]   # need, location, lang -> result dict
    show: Callable[[dict, bool], None]                # result, everything? -> prints it
    show_crisis: Callable[[str | None], None]         # lang -> prints the crisis lines
    is_crisis: Callable[[str], bool]
    handout: Callable[[dict], str]                    # result -> the handout's HTML
    save: Callable[[str, str], None]                  # path, text (refuses to overwrite)
    today: str                                        # for the default file name


class Conversation:
    def __init__(self, env: Environment, services: Services, lang: str | None = None,
                 stream: TextIO | None = None) -> None:
        from .output.terminal import make_console

        self.env = env
        self.services = services
        self.lang = lang
        # The language the person chose (--lang, or asked once); the words never override it.
        self.chosen: str | None = None
        # None reads the terminal (see _Keyboard); a test passes a script whose readline() raises
        # EOFError (Ctrl-D) or KeyboardInterrupt (Ctrl-C) where a person would press them.
        self.stream = stream
        self.console = make_console(env.stdout, colour=env.colour, width=None)

    @property
    def words(self) -> dict:
        return phrases(self.lang)

    def run(self) -> int:
        """Talk until the person quits; the exit status."""
        try:
            self.say(self.words["guide.intro"])
            while self.once():
                pass
            self.say(self.words["guide.bye"])
            return ExitStatus.OK
        except KeyboardInterrupt:
            self.console.print()
            return ExitStatus.INTERRUPTED
        except EOFError:
            self.console.print()
            return ExitStatus.OK

    def once(self) -> bool:
        """One search: the questions, the answer, the menu. False when the person quits."""
        words = self.words
        need = self.ask_text(words["guide.need"], required=True, hint=words["guide.need.hint"])
        self.lang = self.chosen or language_of(need) or self.lang_asked()
        words = self.words
        if self.choose(words["guide.whom"], [words["guide.whom.self"],
                                             words["guide.whom.other"]]) == 2:
            who = self.ask_text(words["guide.who"])
            if who:
                need = f"{who}: {need}"
        place = self.ask_text(words["guide.where"])
        result = self.services.answer(need, place, self.lang)
        self.console.print()
        self.services.show(result, False)
        while True:
            choice = self.choose(words["guide.next"], [
                words["guide.next.all"], words["guide.next.save"], words["guide.next.again"],
                words["guide.next.quit"]])
            if choice == 1:
                self.services.show(result, True)
            elif choice == 2:
                self.save(result)
            else:
                return choice == 3

    # -- questions --------------------------------------------------------------------------

    def lang_asked(self) -> str:
        """The language the person chose; asked once, when words first leave it open."""
        if self.chosen is None:
            codes = list(LANGUAGES)
            self.chosen = codes[self.choose(self.words["guide.lang"],
                                            list(LANGUAGES.values())) - 1]
        return self.chosen

    def ask_text(self, question: str, required: bool = False, hint: str = "") -> str:
        """A free answer. Crisis words in it show the crisis lines before anything else."""
        while True:
            self.console.print()
            self.say(question, style="bold")
            if hint:
                self.say(hint)
            answer = self._input().strip()
            if answer and self.services.is_crisis(answer):
                self.console.print()
                self.services.show_crisis(self.lang or language_of(answer))
                self.console.print()
                self.say(self.words["guide.crisis.more"])
            if answer or not required:
                return answer
            self.say(self.words["guide.need.empty"])

    def choose(self, question: str, options: list[str]) -> int:
        """A numbered choice, 1-based; the numbers are typed, so any terminal works."""
        self.console.print()
        self.say(question, style="bold")
        for number, option in enumerate(options, start=1):
            self.say(f"  {number}  {option}")
        numbers = [str(n) for n in range(1, len(options) + 1)]
        while True:
            answer = self._input().strip()
            if answer in numbers:
                return int(answer)
            if answer and self.services.is_crisis(answer):
                self.services.show_crisis(self.lang)
            self.say(self.words["guide.choose.bad"])

    def save(self, result: dict) -> None:
        words = self.words
        text = self.services.handout(result)
        default = f"peer-support-{self.services.today}.html"
        while True:
            self.console.print()
            self.say(words["guide.file"].format(default=default), style="bold")
            path = self._input().strip() or default
            try:
                self.services.save(path, text)
            except UsageError as exc:
                reason = str(exc)
                self.say(words["guide.file.exists"] if "already exists" in reason
                         else words["guide.file.bad"].format(reason=reason))
                continue
            self.say(words["guide.saved"].format(path=path))
            return

    # -- plain lines in and out ---------------------------------------------------------------

    def say(self, line: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(line, style=style if self.env.colour else ""))

    def _input(self) -> str:
        """One line typed after "> ", the question already said on its own line above."""
        from rich.prompt import Prompt
        from rich.text import Text

        prompt = Prompt(Text("> "), console=self.console, show_default=False)
        prompt.prompt_suffix = ""
        stream = self.stream if self.stream is not None else _keyboard(self.env, self.console)
        return str(prompt(default="", stream=cast("TextIO | None", stream)))


class _Keyboard:
    """Lines typed at a terminal, read so that Ctrl-C always leaves at once.

    `input()` can miss a Ctrl-C pressed just as it starts to read: the signal is handled, and
    the read it should have cut short begins after it and waits for Enter. Here the signal
    also writes to a pipe (`signal.set_wakeup_fd`) that the read waits on with the terminal,
    so it wakes, and the KeyboardInterrupt comes at the next line of Python. Ctrl-D on an
    empty line is EOFError, as with `input()`."""

    def __init__(self, fd: int, encoding: str, flush: Callable[[], None]) -> None:
        self.fd, self.encoding, self.flush = fd, encoding, flush

    def readline(self) -> str:
        import os
        import select
        import signal

        self.flush()  # the "> " before the wait
        wake, woken = os.pipe()
        os.set_blocking(woken, False)
        previous = signal.set_wakeup_fd(woken, warn_on_full_buffer=False)
        try:
            typed = b""
            while not typed.endswith(b"\n"):
                ready, _, _ = select.select([self.fd, wake], [], [])
                if wake in ready:
                    os.read(wake, 512)  # a signal: its handler runs before the next wait
                    continue
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    if not typed:
                        raise EOFError
                    break
                typed += chunk
        finally:
            signal.set_wakeup_fd(previous)
            os.close(wake)
            os.close(woken)
        return typed.decode(self.encoding, errors="replace")


def _keyboard(env: Environment, console: Any) -> _Keyboard | None:
    """The terminal's keyboard (None: `input()`, where it cannot be waited on with a pipe,
    as on Windows, or when stdin is not a terminal)."""
    import os

    if os.name == "nt" or not env.stdin_isatty:
        return None
    try:
        fd = env.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return _Keyboard(fd, getattr(env.stdin, "encoding", None) or "utf-8", console.file.flush)


def locale_language(environ) -> str | None:
    """The language of the locale (LC_ALL, LC_MESSAGES, LANG) when there are words for it."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else None
    return None


def default_services(kb: KnowledgeBase, env: Environment, engine: str = "duckduckgo"
                     ) -> Services:
    """The real thing: the library's search, crisis check, text answer and handout."""
    from .answer.crisis import crisis_lines, detector_for, lines_for_every_page
    from .answer.finder import search
    from .answer.result import organization_dict
    from .output import result_document, write_document
    from .output.base import Document
    from .output.files import write_atomic
    from .output.handout import made_date
    from .output.html import write_html

    fmt = "text" if env.rich_output else "plain"

    def answer(need: str, place: str, lang: str | None) -> dict[str, Any]:
        return search(need, kb=kb, location=place, engine=engine, lang=lang,
                      environ=env.environ).to_dict()

    def show(result: dict[str, Any], everything: bool) -> None:
        doc = result_document(result, full=everything)
        if not everything:
            # The first screen without its "run again with --all" hint: here the menu offers it.
            screen = [block for block in doc.screen_blocks if block.key != "more"]
            doc = Document(doc.title, doc.data, lambda: screen, doc.footer)
        write_document(doc, fmt, env.stdout, colour=env.colour)

    def handout(result: dict[str, Any]) -> str:
        populations = {m["id"] for m in result["matches"] if m["kind"] == "population"}
        lines = [organization_dict(o) for o in lines_for_every_page(kb, populations)]
        out = io.StringIO()
        write_html(result, out, crisis_lines=lines, made=made_date(env.environ))
        return out.getvalue()

    def show_crisis(lang: str | None) -> None:
        # A few lines, so that 988 is still on an 80x24 screen when the next question comes.
        from rich.text import Text

        from .output.handout import contacts_in_language
        from .output.outline import contact_text
        from .output.terminal import make_console

        words = phrases(lang)
        console = make_console(env.stdout, colour=env.colour)
        red = "bold red" if env.colour else ""
        console.print(Text(words["crisis.title.read"], style=red))
        console.print(Text(kb.crisis.message))
        for org in crisis_lines(kb, set()):
            shown = contacts_in_language(organization_dict(org)["contacts"], words["code"])
            contacts = " · ".join(contact_text(c) for c in shown)
            console.print(Text(f"• {org.name}: {contacts}", style="bold" if env.colour else ""))
        console.print(Text(f"• 911 ({words['emergency.kind']}): "
                           f"{words['contact.phone'].format(value='911')}. "
                           f"{words['emergency.when']}"))

    return Services(
        answer=answer, show=show, show_crisis=show_crisis,
        is_crisis=detector_for(kb).detect, handout=handout,
        save=lambda path, text: write_atomic(path, text),
        today=made_date(env.environ).isoformat())


def run_guide(kb: KnowledgeBase, env: Environment, engine: str = "duckduckgo",
              lang: str | None = None) -> int:
    """The conversation, in `lang` (--lang) when given, else as the words or the locale say."""
    import signal

    # A person at the terminal leaves with Ctrl-C, even when peerfind was started from a
    # program that ignores it (a job started in the background inherits SIGINT ignored).
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    conversation = Conversation(env, default_services(kb, env, engine),
                                lang=lang or locale_language(env.environ))
    conversation.chosen = lang
    return conversation.run()
