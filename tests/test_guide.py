"""The guided conversation, driven by a script of what a person types (the pseudo-terminal walk
is in test_guide_tty.py): the questions asked, what is searched, crisis words at any question,
saving a handout, and leaving with Ctrl-C or Ctrl-D."""

from __future__ import annotations

import io

import pytest

from peerfind.env import Environment
from peerfind.errors import UsageError
from peerfind.guide import Conversation, Services, language_of
from peerfind.language.phrases import phrases

EN = phrases("en")
ES = phrases("es")


class Script:
    """Lines a person types; then Ctrl-D (EOFError) or Ctrl-C (KeyboardInterrupt)."""

    def __init__(self, *lines: str, end: type[BaseException] = EOFError) -> None:
        self.lines = list(lines)
        self.end = end

    def readline(self) -> str:
        if not self.lines:
            raise self.end
        return self.lines.pop(0) + "\n"


class Fake:
    """Services that record what the conversation asked of them."""

    def __init__(self, crisis_words=("kill myself",)) -> None:
        self.searched: list[tuple] = []
        self.shown: list[bool] = []
        self.crises = 0
        self.saved: dict[str, str] = {}
        self.crisis_words = crisis_words

    def services(self, out: io.StringIO) -> Services:
        def show(result, everything):
            self.shown.append(everything)
            out.write(f"[answer for {result['need']}]\n")

        def show_crisis(lang):
            self.crises += 1
            out.write("[CRISIS LINES]\n")

        def save(path, text):
            if path in self.saved:
                raise UsageError(f"{path}: already exists; add --force to replace it")
            self.saved[path] = text

        return Services(
            answer=lambda need, place, lang: self.searched.append((need, place, lang)) or
            {"need": need},
            show=show, show_crisis=show_crisis,
            is_crisis=lambda text: any(w in text for w in self.crisis_words),
            handout=lambda result: f"<html>{result['need']}</html>", save=save,
            today="2026-11-29")


def talk(*lines: str, end=EOFError, fake: Fake | None = None, lang=None):
    fake = fake or Fake()
    out = io.StringIO()
    env = Environment(stdout=out, stderr=io.StringIO(), stdin=io.StringIO(),
                      stdout_isatty=False, environ={"NO_COLOR": "1"})
    status = Conversation(env, fake.services(out), lang=lang, stream=Script(*lines, end=end)).run()
    return status, out.getvalue(), fake


def test_for_me_searches_the_words_as_typed_then_quits():
    status, out, fake = talk("new mom feeling overwhelmed", "1", "Austin, TX", "4")
    assert status == 0
    assert fake.searched == [("new mom feeling overwhelmed", "Austin, TX", "en")]
    assert fake.shown == [False]
    for question in ("guide.need", "guide.whom", "guide.where", "guide.next"):
        assert EN[question] in out
    assert EN["guide.lang"] not in out  # the words were clearly English
    assert out.rstrip().endswith(EN["guide.bye"])


def test_for_someone_else_asks_who_and_says_it_in_the_need():
    status, out, fake = talk("he drinks every night", "2", "my husband", "", "4")
    assert EN["guide.who"] in out
    assert fake.searched == [("my husband: he drinks every night", "", "en")]


def test_the_language_is_asked_only_when_the_words_do_not_say():
    status, out, fake = talk("ptsd", "2", "1", "veteran", "Norfolk", "4")
    assert EN["guide.lang"] in out
    assert fake.searched[0][2] == "es"
    assert ES["guide.whom"] in out  # the rest of the conversation follows the choice


def test_spanish_words_get_spanish_questions():
    status, out, fake = talk("mi hijo usa drogas y estoy preocupada", "1", "", "4")
    assert fake.searched[0][2] == "es"
    assert ES["guide.whom"] in out and ES["guide.where"] in out


def test_lang_chosen_before_the_first_question_is_kept():
    fake = Fake()
    out = io.StringIO()
    env = Environment(stdout=out, stderr=io.StringIO(), stdin=io.StringIO(),
                      stdout_isatty=False, environ={"NO_COLOR": "1"})
    conversation = Conversation(env, fake.services(out), lang="es",
                                stream=Script("new mom feeling overwhelmed", "1", "", "4"))
    conversation.chosen = "es"  # what peerfind guide --lang es does (guide.run_guide)
    conversation.run()
    assert fake.searched[0][2] == "es"
    assert EN["guide.lang"] not in out.getvalue() and ES["guide.lang"] not in out.getvalue()


@pytest.mark.parametrize("text, lang", [
    ("new mom feeling overwhelmed", "en"), ("my son drinks too much", "en"),
    ("necesito ayuda, mi hijo usa drogas", "es"), ("ya no aguanto más", "es"),
    ("ptsd", None), ("veteran", None), ("", None)])
def test_language_of(text, lang):
    assert language_of(text) == lang


@pytest.mark.parametrize("lines", [
    ("i want to kill myself", "1", "", "4"),           # the need
    ("i am sad", "2", "she says she will kill myself", "", "4"),  # who it is for
    ("i am sad", "1", "kill myself", "4"),                   # where
])
def test_crisis_words_at_any_question_show_the_crisis_lines_before_the_next(lines):
    status, out, fake = talk(*lines)
    assert fake.crises == 1
    crisis_at = out.index("[CRISIS LINES]")
    typed_at = max(i for i, line in enumerate(lines) if "kill myself" in line)
    following = [EN["guide.whom"], EN["guide.where"], "[answer for"][typed_at:]
    assert all(out.index(marker) > crisis_at for marker in following)


def test_show_everything_then_search_again():
    status, out, fake = talk("i feel lonely", "1", "", "1", "3", "i am grieving", "1", "", "4")
    assert fake.shown == [False, True, False]
    assert [s[0] for s in fake.searched] == ["i feel lonely", "i am grieving"]


def test_save_a_handout_with_the_default_name_and_never_over_a_file():
    fake = Fake()
    fake.saved["taken.html"] = "theirs"
    status, out, fake = talk("i feel lonely", "1", "", "2", "taken.html", "", "4", fake=fake)
    assert fake.saved["taken.html"] == "theirs"
    assert fake.saved["peer-support-2026-11-29.html"] == "<html>i feel lonely</html>"
    assert EN["guide.file.exists"] in out
    assert EN["guide.saved"].format(path="peer-support-2026-11-29.html") in out


def test_a_wrong_number_is_asked_again():
    status, out, fake = talk("i feel lonely", "7", "yes", "1", "", "4")
    assert out.count(EN["guide.choose.bad"]) == 2
    assert len(fake.searched) == 1


def test_an_empty_need_is_asked_again():
    status, out, fake = talk("", "   ", "i feel lonely", "1", "", "4")
    assert out.count(EN["guide.need.empty"]) == 2


def test_ctrl_d_leaves_quietly_with_status_0():
    status, out, fake = talk("i feel lonely", "1")
    assert status == 0 and fake.searched == []


def test_ctrl_c_leaves_at_once_with_status_130():
    status, out, fake = talk("i feel lonely", end=KeyboardInterrupt)
    assert status == 130 and fake.searched == []
    assert EN["guide.bye"] not in out


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGUSR1"), reason="no SIGUSR1 here")
def test_the_keyboard_waits_through_signals_and_says_when_input_ends():
    """The terminal reader (guide._Keyboard) waits on a pipe that signals write to, so a
    Ctrl-C never meets a read that has already begun; a signal whose handler returns lets it
    wait on, a line comes back whole, and an end of input with nothing typed is EOFError."""
    import os
    import signal
    import threading

    from peerfind.guide import _Keyboard

    seen = []
    previous = signal.signal(signal.SIGUSR1, lambda number, frame: seen.append(number))
    typed, keys = os.pipe()
    try:
        keyboard = _Keyboard(typed, "utf-8", lambda: None)
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGUSR1)).start()
        threading.Timer(0.4, os.write, (keys, "mamá primeriza\n".encode())).start()
        assert keyboard.readline() == "mamá primeriza\n" and seen == [signal.SIGUSR1]
        os.close(keys)
        with pytest.raises(EOFError):
            keyboard.readline()
    finally:
        signal.signal(signal.SIGUSR1, previous)
        os.close(typed)
