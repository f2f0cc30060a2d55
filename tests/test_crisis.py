"""Crisis detection: every crisis phrasing shows the crisis lines; idioms do not alarm."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerfind import search
from peerfind.answer.crisis import CrisisDetector, crisis_lines, detector_for
from peerfind.knowledge.index import required_pieces

CASES = yaml.safe_load((Path(__file__).resolve().parent / "eval" / "crisis.yaml").read_text())


def test_sets_are_large_enough():
    assert len(CASES["crisis"]) >= 40 and len(CASES["not_crisis"]) >= 40


@pytest.mark.parametrize("need", CASES["crisis"])
def test_crisis_detected(kb, need):
    assert detector_for(kb).detect(need), need


@pytest.mark.parametrize("need", CASES["not_crisis"])
def test_not_crisis(kb, need):
    assert not detector_for(kb).detect(need), need


def test_crisis_lines_come_from_checked_facts(kb):
    for org in crisis_lines(kb):
        assert org.source and org.checked, org.id
        assert org.type == "crisis-line", org.id


def test_no_press_3_anywhere():
    text = (Path(__file__).resolve().parents[1] / "data" / "resources.yaml").read_text().lower()
    assert "press 3" not in text


def test_crisis_resources_in_json(kb):
    data = search("i want to end my life", kb=kb).to_dict()
    assert data["crisis"]["detected"] is True
    phones = [r["phone"] for r in data["crisis"]["resources"]]
    assert "988" in phones


def test_veteran_in_crisis_gets_veterans_crisis_line(kb):
    data = search("im a vet and i want to kill myself", kb=kb).to_dict()
    texts = [r["text"] for r in data["crisis"]["resources"]]
    assert "838255" in texts


def test_crisis_opens_text_output(run):
    result = run("search", "i want to end my life")
    assert result.code == 0
    assert "988" in "\n".join(result.out.splitlines()[:6])


def test_every_text_answer_ends_with_988_line(run):
    for args in (["search", "vet"], ["search", "zzzz qqqq"], ["crisis"]):
        last = run(*args).out.rstrip().splitlines()[-1]
        assert "988" in last


def test_crisis_command_lists_the_lines(run):
    out = run("crisis").out
    for number in ("988", "741741", "838255"):
        assert number in out


# -- gates: a pattern is compiled only for needs that could match it ------------------------

SHIPPED = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "resources.yaml")
                         .read_text())["crisis"]
PATTERNS = [(kind, n) for kind in ("patterns", "exclusions") for n in range(len(SHIPPED[kind]))]


@pytest.mark.parametrize(("kind", "n"), PATTERNS)
def test_every_match_passes_its_gate(kb, kind, n):
    """Text made to match a pattern always holds one piece of each of its gate's sets."""
    pattern, gate = getattr(kb.crisis, kind)[n], kb.index["crisis"][kind][n]
    compiled = re.compile(pattern)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern))
    def check(text):
        for match in (m.group() for m in compiled.finditer(text)):
            assert all(any(piece in match for piece in pieces) for pieces in gate or ())

    check()


def test_gates_are_selective(kb):
    """Most patterns have a gate, and an everyday need opens none of them."""
    gates = kb.index["crisis"]["patterns"]
    assert sum(gate is not None for gate in gates) >= len(gates) - 2
    detector = CrisisDetector(kb.crisis, kb.index["crisis"])
    assert detector._patterns.regex_for(" marine vet drinking too much ") is None


def test_gate_gives_no_promise_it_cannot_keep():
    assert required_pieces("(?i)kill myself") is None  # case folding
    assert required_pieces(r"\w+\d*") is None  # nothing literal
    assert required_pieces("a[") is None  # not a pattern at all
    gate = required_pieces("(plan|planning|want) to (die|go)")
    assert sorted(gate) == [[" to "], ["die", "go"], ["plan", "want"]]
    assert gate[-1] == ["die", "go"]  # the rarest first


NEEDS = [case["need"] for case in yaml.safe_load(
    (Path(__file__).resolve().parent / "eval" / "needs.yaml").read_text())]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(CASES["crisis"] + CASES["not_crisis"] + NEEDS), min_size=1,
                max_size=3).map(" ".join))
def test_gated_detection_agrees_with_running_every_pattern(kb, text):
    gated = CrisisDetector(kb.crisis, kb.index["crisis"])
    ungated = CrisisDetector(kb.crisis, None)
    assert gated.detect(text) == ungated.detect(text)


# -- word lists --------------------------------------------------------------------------------

def test_a_word_list_reaches_every_pattern_that_names_it(tmp_path):
    from peerfind import load_knowledge_base

    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "crisis:\n"
        "  words:\n"
        "    snack: [crisps, pretzels]\n"
        "  patterns:\n"
        "    - '\\bate all the {snack} at the party\\b'\n", encoding="utf-8")
    kb = load_knowledge_base([extra], use_cache=False)
    assert detector_for(kb).detect("I ate all the pretzels at the party")
    assert not detector_for(kb).detect("I ate all the apples at the party")


def test_a_pattern_naming_an_unknown_list_is_an_error(tmp_path):
    from peerfind.knowledge.patterns import expand_words

    crisis, problems = expand_words({"words": {"pills": ["pills"]},
                                     "patterns": [r"\btake all my {pils}\b"]})
    assert problems and "{pils}" in problems[0][1] and "pills" in problems[0][1]
    assert crisis["patterns"] == [r"\btake all my {pils}\b"]
    crisis, problems = expand_words({"words": {"pills": ["meds", "pills"]},
                                     "patterns": [r"\btake all my {pills} {0,3}\b"]})
    assert not problems and crisis["patterns"] == [r"\btake all my (?:pills|meds) {0,3}\b"]


def test_a_signal_word_that_is_not_a_regular_expression_is_an_error(tmp_path):
    from peerfind.knowledge.load import check_files

    bad = tmp_path / "bad.yaml"
    bad.write_text("crisis:\n  signals:\n    - id: odd\n      words: ['(unclosed']\n",
                   encoding="utf-8")
    _, _, problems = check_files([("bad.yaml", bad.read_bytes())])
    assert any("signals" in str(getattr(p, "path", "")) or "regular" in str(p) for p in problems)


# -- read and not read: shorthand, everyday words near crisis words, signals -------------------

@pytest.mark.parametrize("need", [
    # Texting shorthand and slips.
    "i just want 2 die",                      # texting shorthand
    "idk why im still here tbh. no1 would care if i was gone",
    "ive been thinkin bout endin it",         # dropped g's
    "feelin suicidle again idk what to do",  # two slips in a long word
    "im so done w life",
    # The same words as everyday ones, in crisis.
    "I want to end it all, I have pills saved",
    "no reason to live",
    "I wont be around much longer",
    "after im gone they will be better off",
    "im gonna od tonight",
    "thinking about ending it all tonight",
    # Crisis words spread over sentences (the signals).
    "Work has been brutal and the rent went up again. Some nights I stand out on the balcony a "
    "lot longer than I should, looking down.",
    "There's a rope in the shed. I keep thinking about it.",
    "I am done. I have everything I need. I just wanted someone to know.",
    "My son said he sees no future. Then he asked where I keep the hunting rifle.",
    "i tied the rope to the beam in the garage",
    # Calm words for leaving, sleep and a stranger's death, with a crisis after them.
    "logging off for good. discord friends, thanks for everything",
    "i could sleep forever and never wake up and no one would care",
    "the news said a man jumped from the overpass, i keep thinking i should do the same",
    "he pulled out a knife to cut the cake and now hes threatening mom with it",
    # A student's essay that is her own plan is no literature lesson.
    "a student turned in an essay describing how she would kill herself, she's sitting in my class",
    # A calm frame (a past act, a song, an intrusive thought, hospice) with a crisis inside it.
    "in 2019 i took all my pills and im doing it again tonight even though i was doing better",
    "i used to say i wanted to die and lately i want to again, that was before recovery though",
    "whats that song that goes i wanna die, its literally me right now",
    "i keep getting images of stabbing myself, i dont want to but im scared i will",
    "my dad is in hospice and keeps saying he wants to die, and he asked for his gun",
    # Slang said as a plan; affairs put in order; fine with not being around; a painless
    # drug asked about; a threat tied to a loss; a jest that is not one.
    "gonna catch the bus tonight for real, tell my mom i love her",
    "lost three buddies to suicide since we got back, sold my rifles, getting my affairs squared away",
    "not sure ill be around for my court date and honestly im fine with that",
    "which of the meds in the cabinet would be painless",
    "she says shell walk in front of a train if they take the kids",
    "kms before my exam lol but actually i have the pills saved",
    # Pills counted out; "people say" is no worker's quote.
    "people say like it gets better but i have my pills counted out for tonight",
    # Asked whether one wants to die, and no answer that says no.
    "my therapist asked if i want to die and i dont know how to answer, because yes",
    # A gun that is "not for protection"; the urge to cut; a date set for after a wedding.
    "got a pistol yesterday and it is not for protection",
    "sh urges so bad tonight",
    "set the date for after my brothers wedding so i dont ruin it",
    # Means looked up "not for the view"; not expecting to be around; unsafe; a day planned;
    # "if the chemo doesn't kill me"; going with a dying husband; pills kept under the tongue.
    "looked up the tallest parking garage near campus",
    "drove past the dam three times and it wasnt for the view",
    "i dont think ill be around long enough to finish the program",
    "i cant keep myself safe tonight",
    "saturday is when i planned it, i just wanted to tell someone",
    "if the chemo doesnt kill me i will",
    "when he goes, im going with him",
    "been hiding my meds under my tongue at the home",
    # A hanging told as now is no loss told from afterwards.
    "my brother hung himself tonight",
])
def test_read_as_a_crisis(kb, need):
    assert detector_for(kb).detect(need), need


@pytest.mark.parametrize("need", [
    # Shorthand alone.
    "i have 2 kids and no1 to watch them",
    "thinkin about a new job",
    "u up? my feet are killing me",
    # Everyday words near crisis words.
    "I wont be around for the holidays so I need a group I can join online",
    "my mom keeps asking what happens to the dog after shes gone, she is 90",
    "how do I make sure my kids are taken care of after im gone, I have stage 4 cancer",
    "I want to take all of my vacation days at once",
    "no reason to keep going to that church anymore",
    "said goodbye to all my friends before moving to Ohio",
    "we talked about ending it but decided to try counseling",
    "should I end it with my boyfriend? he cheated",
    "nobody would notice if i skipped the party",
    "i hope i dont wake up sick tomorrow",
    "want to sleep forever after this shift lol",
    "my grandpa is ready to die, he is 97 and in hospice",
    "there is no reason to live with him anymore, should I move out",
    "thinking about driving into work early",
    "my bf wont stop using and im scared hes gonna od",
    # Heavy words without a crisis.
    "My wife had an affair and I can't stop picturing it. She wants to work on things.",
    "I'm so tired of fighting with my landlord about the broken heater. Any tenant groups?",
    "My dad keeps his hunting rifles in the garage and I want him to lock them up, he drinks.",
    "I want to plan my own funeral so my kids don't have to, I'm healthy, just organized.",
    # A rope and a knife at their everyday work.
    "we tied the rope to the dock and went swimming",
    "my dad pulled out a knife to cut the cake now",
    "clocking out for good on friday, 32 years at the plant and im retiring",
    "Finally made my decision, I'm leaving my husband. Feels like a weight off.",
    "in 2015 i took too many pills, im 40 now and doing well, how do i share my story",
    # A bus to work; "2 yrs" is no "to yrs"; a past told from a better place; jests; a class.
    "gonna catch the bus to work, my car broke down",
    "3 yrs ago i tried to end it and last week i got my 3 year coin",
    "when i was homeless in 2016 i thought about ending it, now ive got an apartment and a job",
    "my daughter who was suicidal in the spring is doing much better now",
    "kms this quiz lol",
    "nursing school pharmacology: why is the lethal dose lower in older adults",
    # A gun kept for protection; a goodbye to a group; a week's pill organizer.
    "i put my gun on my nightstand for protection",
    "this is my goodbye to the group, off to college next week",
    "i have my pills counted out for the week in my organizer",
    "my therapist asked if i ever wish i wouldnt wake up and honestly no, i dont",
    # A shotgun kept for home protection; a band that would sound better without the writer.
    "my husband keeps a shotgun in the closet for home protection, is that normal",
    "the band would sound better without me on drums honestly",
    # A loss by hanging; a job, a landlord; tired "I could die"; a past told from now; a chart.
    "my uncle hung himself and i still cant talk about it with my family",
    "i cant do this anymore with my landlord, need legal aid",
    "so tired i could die after this double shift",
    "survived an overdose in 2016, now i run a harm reduction group",
    "her history of suicide attempts is in the chart, she is stable now",
])
def test_not_read_as_a_crisis(kb, need):
    assert not detector_for(kb).detect(need), need


@pytest.mark.parametrize("need, crisis", [
    # Goodbyes, the writer's own and someone else's, read by the Spanish patterns alone.
    ("ya me despedí de mis hijos, no aguanto más", True),
    ("mi hermana se despidió de su familia anoche y apagó el teléfono", True),
    ("mi papá se despidió de todos por whatsapp y no contesta", True),
    # Goodbyes before a move.
    ("ya me despedí de todos en el trabajo porque me mudo a Texas", False),
    ("mi abuela se despidió de sus amigos de la iglesia, se va a vivir con mi tía", False),
    # A trip "para siempre" is no trip.
    ("ya me despedí de todos, me voy de viaje para siempre", True),
    # A past attempt told by someone well now; the same brought back to now.
    ("hace diez años intenté quitarme la vida, hoy estoy bien y quiero ayudar a otros", False),
    ("hace dos meses intenté matarme y lo voy a volver a intentar", True),
    ("cuando tenia 15 intente matarme y ahora tengo 17 y quiero volver a hacerlo", True),
    ("hace dos anos intente matarme y ya lo voy a volver a intentar aunque hoy estoy bien", True),
    # Taking oneself out of the way; not knowing why one goes on; a farewell with the pets
    # left in others' care.
    ("mi tío dice que se va a quitar de en medio", True),
    ("no sé pa qué sigo vivo", True),
    ("perdón por todo, ya me voy, cuiden a mis gatos", True),
    # Dying of shame over a message; a queue that "killed"; a past told from a better place.
    ("me quiero morir jajaja mandé el mensaje al chat equivocado", False),
    ("esa fila del banco me mató, tres horas", False),
    ("mi papá intentó quitarse la vida en el 2020 y ahora está mucho mejor", False),
    # Going on with one's studies; sorry, and off to bed; doing the same as a friend who got in.
    ("no sé para qué sigo estudiando esto", False),
    ("perdón por todo, me voy a dormir", False),
    ("mi amiga entró a la universidad y quiero hacer lo mismo", False),
    # "me mato" said of oneself, with the hours of a job in the same breath.
    ("me mato, ya no aguanto las horas en este trabajo", True),
    # "Para nada" after "no vale" is worthlessness, not a denial.
    ("mi tío dice que no vale para nada, que mejor se mata", True),
    # A way already thought out; an accident staged; deserving to die; a last night.
    ("ya tengo pensado cómo lo voy a hacer", True),
    ("quiero que parezca un accidente para que cobren el seguro", True),
    ("merezco morirme", True),
    ("esta es mi última noche, los quiero", True),
    # A thesis; a worker's note; a novel; the heat; a last night abroad.
    ("tesis sobre prevención del suicidio en jóvenes", False),
    ("el paciente niega ideación suicida", False),
    ("una novela donde el protagonista se suicida al final", False),
    ("ya no puedo más con este calor", False),
    ("esta es mi última noche en Madrid, mañana vuelvo", False),
])
def test_spanish_goodbyes_and_past_acts(kb, need, crisis):
    assert detector_for(kb.in_language("es")).detect(need) is crisis, need


def test_a_coworker_named_with_the_word_for_work_is_still_someone_else():
    need = "mi compa del trabajo anda buscando cuantas pastillas de tylenol son mortales, que hago"
    assert search(need).to_dict()["crisis"]["about"] == "other"


@pytest.mark.parametrize("need", [
    # A student, a classmate, a player: people a teacher, a coach or a pupil speaks for.
    "my classmate posted goodbye everyone it was nice knowing you and deleted it, i cant reach him",
    "one of my students turned in a poem that reads like a goodbye letter and said nothing will "
    "matter after friday",
])
def test_a_student_or_classmate_in_danger_is_someone_else(need):
    assert search(need).to_dict()["crisis"]["about"] == "other"


def test_someone_given_to_does_not_take_over_the_need():
    # The nephew is named, but what follows, with no subject, is the writer's own.
    need = "paid off my card, gave my guitar to my nephew, weirdly peaceful. sunday is the day"
    assert search(need).to_dict()["crisis"]["about"] == "self"


def test_a_farewell_posted_by_someone_else_speaks_to_the_writer_as_a_helper():
    # "mis hijos" inside the farewell are the brother-in-law's children, not the writer's.
    need = "mi cuñado puso en facebook gracias a todos, fue un placer, cuiden a mis hijos"
    assert search(need).to_dict()["crisis"]["about"] == "other"


@pytest.mark.parametrize("word, needle", [
    ("kill (?:my ?self|your ?self)", "kill"),
    ("(?:to|just|i) die", "die"),
    ("in (?:my|his|her) lap", "lap"),
    ("hunting rifles?", "hunting rifle"),
    ("stockpil\\w*", "stockpil"),
    ("(?:a|b)", ""),
])
def test_each_signal_word_has_a_piece_every_match_holds(word, needle):
    from peerfind.knowledge.patterns import needle as _needle

    assert _needle(word) == needle
    if needle:
        assert all(needle in m.group(0) for text in ("kill myself", "i die", "in his lap",
                                                      "hunting rifle", "stockpiling")
                   for m in re.finditer(word, text))


@pytest.mark.parametrize("need, read", [
    ("To be clear I have zero plans to hurt myself, I'm just lonely", False),
    ("I'm not thinking about hurting myself, I had a panic attack", False),
    # Denied words are not weighed again by the reader.
    ("I used to believe everyone would be better off without me", False),
    ("no me quiero morir ni nada, solo estoy triste", False),
    ("I don't know why but I want to die", True),
    ("I'm not okay. I want to die", True),
    ("no aguanto más, quiero morirme", True),
])
def test_words_that_deny_it_right_before_crisis_words(kb, need, read):
    assert bool(search(need, kb=kb).to_dict()["crisis"]["detected"]) is read, need
