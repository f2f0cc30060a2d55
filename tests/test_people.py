"""Answers that fit the person: who is speaking, places in the words, emergencies, the first
screen. Unit tables of our own, then the measures on tests/eval/people.yaml and
tests/eval/crisis_people.yaml (real people's phrasing, written apart from the vocabulary)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from peerfind import search
from peerfind.answer.match import matcher_for

EVAL = Path(__file__).resolve().parent / "eval"
# Measured on the sets below (see the closing note of issue 17); the tests keep them from
# slipping back. Raise them as the matcher improves.
POPULATION_TOP1 = 0.85
CONDITION_RECALL = 0.92
CRISIS_RECALL = 0.95
EMERGENCY_911 = 0.95
FALSE_ALARMS = 0.05


def _read(kb, text):
    return matcher_for(kb).read(text)


def _populations(reading):
    return [m.id for m in reading.matches if m.kind == "population"]


# -- who is speaking ------------------------------------------------------------------------

@pytest.mark.parametrize("need, first, about, relation", [
    ("I'm not a veteran but my husband is, and he drinks every night", "family", "other", "spouse"),
    ("my 16 year old son is using drugs and skipping school", "family", "other", "child"),
    ("I'm 15 and my dad and I fight every day", "youth", "self", "parent"),
    ("My family won't accept that I'm bi", "lgbtq", "self", "relative"),
    ("im a veteran and i cant sleep", "veterans", "self", None),
    ("client is a 24 yo vet struggling with meth", "veterans", "other", "client"),
    ("mom of an addict, where do parents go", "family", "other", "someone"),
    ("sister is a meth addict and her kids live with me now", "family", "other", "sibling"),
    ("mom of two here and im exhausted", "family", "self", None),
    # A worker's note: the client's relatives are the client's, not the writer's.
    ("Pt 79F, lives alone since husband d. 2022, daughter in Denver called with concerns. "
     "Referral to senior peer companion program", "older-adults", "other", "client"),
])
def test_who_is_speaking(kb, need, first, about, relation):
    reading = _read(kb, need)
    assert _populations(reading)[0] == first
    assert reading.speaker.about == about
    assert reading.speaker.relation == relation


def test_the_writer_is_family_to_someone_else_who_is_a_new_parent(kb):
    """Family gives way to a new parent when the writer is one, not when the daughter is."""
    reading = _read(kb, "Daughter is 7 months pregnant and using heroin. I'm about to be a "
                        "grandma and I'm terrified.")
    assert reading.speaker.about == "other" and reading.speaker.writer == "family"


def test_the_other_persons_population_comes_second(kb):
    found = _populations(_read(kb, "I'm not a veteran but my husband is, and he drinks"))
    assert found.index("family") < found.index("veterans")


def test_a_negated_identity_with_nobody_else_is_dropped(kb):
    assert "veterans" not in _populations(_read(kb, "I'm not a veteran, I just want to talk"))


def test_json_says_who_the_need_is_about(kb):
    data = search("my wife drinks too much", kb=kb).to_dict()
    assert data["about"] == {"who": "other", "relation": "spouse", "words": ["my", "wife"],
                             "writer": "family"}
    assert {m["id"]: m["about"] for m in data["matches"]}["alcohol"] == "other"


def test_a_loss_is_the_writers_own(kb):
    reading = _read(kb, "since my wife passed away i cant sleep")
    assert reading.speaker.writer == ""  # grief, not a family member seeking help for her


@pytest.mark.parametrize("need, first", [
    # A partner of the writer's own gender.
    ("me (F22) and my gf want to come out to our families", "lgbtq"),
    ("I'm a 20 year old guy and my parents found out about my boyfriend", "lgbtq"),
    ("I'm a woman and my husband drinks every night", "family"),
    ("my girlfriend drinks too much and I'm worried", "family"),
    # A longer name beats the shorter one inside it.
    ("army wife here, husband just got orders for another deployment", "family"),
    # What the writer finds of someone already named is that person's.
    ("my 15 year old daughter stopped talking to us and I found a vape in her backpack",
     "family"),
    # What the writer says of themselves outweighs a negated word.
    ("not an addict, I just take a few extra Xanax on bad days. my sister is worried",
     "substance-use"),
    # Each age where it is said.
    ("My sister has anorexia. She's 16 and I'm 19 and nobody asks how I am", "youth"),
    # "our" is the writer's too, unless it names someone ("our two teenagers").
    ("my girlfriend and I just had our first baby and I feel nothing toward her", "new-parents"),
    ("My husband and I are divorcing. Our two teenagers are taking sides", "family"),
    # A death is the writer's own loss, not a trouble to help with.
    ("lost my battle buddy to suicide last year and i cant shake it", "veterans"),
    # A minor is a young person first, whatever else they face.
    ("im 16 and my mom drinks every night and i have to take care of my little brothers",
     "youth"),
    ("16 and gay and my parents are super religious. I haven't told them", "youth"),
    # "of mine" owns like "my"; carrying naloxone is a helper's act, not drug use.
    ("friend of mine is using fentanyl and i want to keep narcan on me just in case", "family"),
    ("My daughter uses heroin. I want to keep naloxone at home in case", "family"),
    # A person named in the plural or the possessive is a person named, not the writer's worry.
    ("18, just graduated and working at my uncle's body shop, i sleep all day", "youth"),
    ("19, autistic. My coworkers are nice but I eat lunch in my car. I want friends", "youth"),
    # A veteran's widow is family; a husband "on deployment" is a person named.
    ("I'm a veteran's widow. He took his own life in 2022 and I can't sleep in our bed",
     "family"),
    ("husband's on deployment, I just found out I'm pregnant, 2000 miles from my family",
     "new-parents"),
    # What the writer found before naming whose it was is that person's.
    ("found oxy in my 16 yr old son's backpack. what do I even do", "family"),
])
def test_who_the_writer_is(kb, need, first):
    assert _populations(_read(kb, need))[0] == first


@pytest.mark.parametrize("need, condition", [
    ("lost my little sister to leukemia when she was 12", "bereaved-parents"),
    ("my son died in a car crash last spring", "bereaved-parents"),
    ("my boyfriend is on fentanyl", "drug-use"),  # a kind of drug use
    ("my husband passed in march and the house is so quiet", "grief"),
    # A mental illness and substance use named together are co-occurring.
    ("I was diagnosed with PTSD in 2012 and I've been drinking a fifth a night since",
     "co-occurring"),
    ("I smoke weed all day and I have depression, is there a program for both", "co-occurring"),
])
def test_conditions_named_through_people_and_kinds(kb, need, condition):
    assert condition in [m.id for m in _read(kb, need).matches if m.kind == "condition"]


@pytest.mark.parametrize("need, population, condition", [
    ("perdí a mi hermana hace un año y no lo supero", "family", "bereaved-parents"),
    ("mi hijo murió en un accidente, hay grupos para padres", "family", "bereaved-parents"),
    ("soy mujer y mi novia y yo queremos casarnos pero mi familia no acepta", "lgbtq", None),
])
def test_the_same_readings_in_spanish(kb, need, population, condition):
    data = search(need, kb=kb).to_dict()
    assert data["input"]["lang"] == "es"
    assert [m["id"] for m in data["matches"] if m["kind"] == "population"][0] == population
    if condition:
        assert condition in [m["id"] for m in data["matches"] if m["kind"] == "condition"]


@pytest.mark.parametrize("need, condition", [
    ("my uncle molested me when I was a kid and I never told anyone", "sexual-assault"),
    ("my husband hits me and I am scared", "domestic-violence"),
    ("my husband makes me anxious", "anxiety"),
    ("my boyfriend is verbally abusive and checks my phone", "domestic-violence"),
])
def test_what_is_done_to_the_writer_is_theirs(kb, need, condition):
    reading = _read(kb, need)
    assert {m.id: m.role for m in reading.matches}[condition] == "self"
    assert reading.speaker.about == "self"


@pytest.mark.parametrize("need, condition", [
    ("my daughter asked me about her anxiety", "anxiety"),
    ("my daughter's boyfriend hits her and she won't leave", "domestic-violence"),
    ("found oxy in my son's backpack", "opioids"),
])
def test_what_someone_else_has_stays_theirs(kb, need, condition):
    assert {m.id: m.role for m in _read(kb, need).matches}[condition] == "other"


@pytest.mark.parametrize("need, absent", [
    # Idioms name nothing: the shorter aliases inside them are not read.
    ("my boss keeps cutting me off in meetings", "self-harm"),
    ("I have some questions about groups", "lgbtq"),
    ("I'm a senior in high school and stressed", "older-adults"),
    ("newly diagnosed with relapsing-remitting MS", "substance-use"),
    ("my voc rehab counselor says I should find a group", "substance-use"),
    # A common word is no typo of an alias it looks like.
    ("my court trial is next month and im scared", "tribal"),
    ("we moved to Queens last year and I have no friends here", "lgbtq"),
    ("my covid test came back negative but i feel awful", "tribal"),
    # Idioms: school years, a crowd, a past time.
    ("senior at a big ten school, been taking addy to study", "older-adults"),
    ("an army of moms on facebook told me to ask here", "veterans"),
    ("coke and booze every weekend since college, im 35 now", "college-students"),
    ("I use cocaine most weekends, where would I go without it going on my record",
     "justice-involved"),
    ("Our son died in a car crash at 17, two years ago. My husband and I grieve differently",
     "youth"),
])
def test_idioms_and_everyday_words_name_nothing(kb, need, absent):
    assert absent not in [m.id for m in _read(kb, need).matches]


@pytest.mark.parametrize("need, absent", [
    ("I'm not on drugs, I just fell behind on rent and live in my car", "drug-use"),
    ("I don't have PTSD, I want to say that up front. I just feel lost since I got out", "ptsd"),
    # A denial far from any person named is nobody's, not the person's named later.
    ("I'm not in crisis and I don't have PTSD, I want to say that up front. I retired from "
     "the Air Force last year and I feel completely lost. My wife says I mope around", "ptsd"),
])
def test_what_the_writer_denies_is_not_read(kb, need, absent):
    assert absent not in [m.id for m in _read(kb, need).matches]


def test_an_alias_that_is_the_whole_idiom_stands(kb):
    ids = [m.id for m in _read(kb, "newly diagnosed with relapsing-remitting MS").matches]
    assert "multiple-sclerosis" in ids


@pytest.mark.parametrize("need, first", [
    # One denial does not undo what the writer says elsewhere.
    ("I was never deployed. I was a reservist who sat at a desk", "veterans"),
    # A denied population that a condition they affirm implies.
    ("not an addict I don't think, but I'm smoking weed from wake and bake till bed",
     "substance-use"),
    # Ages as posts write them, and set apart by full stops.
    ("21F, got diagnosed with BPD last year", "youth"),
    ("Widower, 70. Lost my wife to cancer 18 months ago", "older-adults"),
    ("just kinda floating. 22. all my friends moved away after high school", "youth"),
    # An age that opens the need, before a word that does not count something.
    ("72 widower, evenings are the worst. lonely", "older-adults"),
    ("19 got sent home from boot camp bc of my knee and all my friends are gone", "youth"),
])
def test_what_the_writer_says_of_themselves(kb, need, first):
    assert _populations(_read(kb, need))[0] == first


@pytest.mark.parametrize("need, first", [
    ("I retired from the Air Force last year after 22 years and feel lost", "veterans"),
    ("got POTS and a connective tissue disorder, in pain every day", "chronic-illness"),
    ("got EDS and POTS, in pain every single day", "chronic-illness"),
    ("thinking about starting my transition at 34 and im scared of losing my job", "lgbtq"),
])
def test_words_that_look_like_others(kb, need, first):
    assert _populations(_read(kb, need))[0] == first


def test_an_organization_for_lgbtq_youth_is_not_for_every_young_person(kb):
    """The Trevor Project requires LGBTQ+: a straight teen in crisis is shown 988 and the
    Crisis Text Line, a gay teen The Trevor Project too."""
    straight = search("im 17 and i want to die", kb=kb).to_dict()
    gay = search("im 17 and gay and i want to die", kb=kb).to_dict()
    assert "trevor-project" not in [o["id"] for o in straight["crisis"]["resources"]]
    assert "trevor-project" in [o["id"] for o in gay["crisis"]["resources"]]
    leaving_jail = search("I'm 24, just got out of county, couch surfing", kb=kb).to_dict()
    assert "trevor-project" not in [o["id"] for o in leaving_jail["best_contacts"]]


def _contacts(kb, need):
    data = search(need, kb=kb).to_dict()
    return ([o["id"] for o in data["best_contacts"]],
            [o["id"] for o in data["crisis"]["resources"]])


def test_a_line_for_some_ages_or_people_is_not_for_everyone_in_the_population(kb):
    """The Trevor Project is for LGBTQ+ people under 25, Trans Lifeline for trans and
    questioning people: neither fits a gay man of 42, in the contacts or the crisis block."""
    best, crisis = _contacts(kb, "im 42 and gay, lonely since my partner died and i want to die")
    assert crisis and "trevor-project" not in crisis + best and "trans-lifeline" not in best
    best, crisis = _contacts(kb, "im 16 and gay and my parents are super religious")
    assert "trevor-project" in best and "trans-lifeline" not in best
    best, _ = _contacts(kb, "im trans (mtf) and my parents wont use my name")
    assert "trans-lifeline" in best
    # Without an age, the line for young people stays (the writer may well be one).
    best, _ = _contacts(kb, "gay and closeted in a small town")
    assert "trevor-project" in best


def test_a_parents_death_is_not_a_childs(kb):
    ids = [m.id for m in _read(kb, "my mom died last year").matches]
    assert "grief" in ids and "bereaved-parents" not in ids


# -- places in the words -------------------------------------------------------------------

@pytest.mark.parametrize("need, place", [
    ("I live outside Spokane and feel alone", "Spokane, WA"),
    ("in Dayton, Ohio, looking for a group", "Dayton, OH"),
    ("rural Wyoming, no groups anywhere", "Wyoming"),
    ("we live in Norfolk VA and my sponsor retired", "Norfolk, VA"),
    ("we live in VA, and my wife has anxiety", "Virginia"),
    ("in St. Louis and newly sober", "Saint Louis, MO"),
    ("living in a motel in Austin TX with my kids", "Austin, TX"),
])
def test_places_read_from_the_need(kb, need, place):
    reading = _read(kb, need)
    assert reading.place is not None and reading.place.display == place


@pytest.mark.parametrize("need", [
    "my VA counselor said to find a group", "mi hijo no va a la escuela", "i'm in recovery",
    "i want to feel normal again", "talk to me", "in my 60s and lonely",
])
def test_no_place_where_none_is_named(kb, need):
    assert _read(kb, need).place is None


def test_the_place_table_is_made_from_its_packages(tmp_path):
    pytest.importorskip("zipcodes", reason="the place table is remade only where zipcodes "
                                           "and us are installed (pip install zipcodes us)")
    pytest.importorskip("us", reason="pip install zipcodes us")
    import runpy

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_places.py"
    made = tmp_path / "places.tsv"
    runpy.run_path(str(script))["main"](made)
    from peerfind.answer.places import TABLE

    assert made.read_bytes() == TABLE.read_bytes()


def test_a_move_names_a_place(kb):
    reading = _read(kb, "moving to VA next month for my husband's job and im dreading it")
    assert reading.place is not None and reading.place.display == "Virginia"
    assert "veterans" not in _populations(reading)
    assert _read(kb, "we get care in VA hospitals").place is None


def test_va_as_a_place_is_not_veterans_affairs(kb):
    assert "veterans" not in _populations(_read(kb, "we live in Norfolk VA and drink too much"))
    assert "veterans" in _populations(_read(kb, "my VA counselor says i drink too much"))


def test_a_place_in_the_words_becomes_the_location(run):
    r = run("search", "I live outside Spokane and drink too much", "--format", "json")
    import json

    data = json.loads(r.out)
    assert data["location"] == {"value": "Spokane, WA", "from": "text"}
    assert all(s["query"].startswith("Spokane, WA") or "Spokane, WA" in s["query"]
               for s in data["searches"] if "location" not in s["placeholders"]
               and "Spokane" in s["query"])
    assert "Spokane, WA" in r.err  # the note says what was taken
    given = json.loads(run("search", "I live outside Spokane", "-l", "Tacoma, WA",
                           "--format", "json").out)
    assert given["location"] == {"value": "Tacoma, WA", "from": "option"}


# -- searches ------------------------------------------------------------------------------

def test_searches_never_repeat_a_word(kb):
    for need in ("warmline", "youth peer support for youth", "family support for my family",
                 "veterans peer support groups for veterans"):
        for s in search(need, kb=kb).to_dict()["searches"]:
            words = [w.casefold() for w in s["query"].split() if not w.startswith("[")]
            assert len(words) == len(set(words)), s["query"]


# -- crisis and emergencies ----------------------------------------------------------------

def test_an_emergency_leads_with_911_and_steps(kb):
    data = search("my friend took a bottle of pills and isnt breathing", kb=kb).to_dict()
    assert data["emergency"]["detected"]
    assert data["emergency"]["resources"][0]["contacts"][0]["value"] == "911"
    steps = [s for k in data["emergency"]["kinds"] for s in k["steps"]]
    assert 2 <= len(steps) <= 4 and all(s["source"] for s in steps)
    assert data["crisis"]["detected"]  # 988 follows


def test_someone_else_in_danger_speaks_to_the_helper(kb):
    data = search("my daughter texted me she wants to kill herself", kb=kb).to_dict()
    assert data["crisis"]["detected"] and data["crisis"]["about"] == "other"
    mine = search("i want to kill myself", kb=kb).to_dict()
    assert mine["crisis"]["about"] == "self"
    assert data["crisis"]["message"] != mine["crisis"]["message"]


@pytest.mark.parametrize("need, emergency", [
    ("she took a bunch of pills and now shes having a seizure", True),
    ("he shot up in the bathroom and his breathing is so shallow", True),
    ("my roommate is holding a knife right now and screaming", True),
    ("someone broke into our apartment and he has a gun", True),
    ("i just found him hanging in the garage", True),
    ("my son has seizures from epilepsy, looking for parents like me", False),
    ("my breathing gets slow and deep when i meditate", False),
    ("i need a new kitchen knife right now lol", False),
])
def test_emergencies_read_as_kinds(kb, need, emergency):
    assert search(need, kb=kb).to_dict()["emergency"]["detected"] is emergency


@pytest.mark.parametrize("need", [
    "my parents would be better off if i wasnt around",
    "everyone would be happier when im gone",
    "gave all my books to my sister, i wont need them",
    "been saying goodbye to everyone at work this week",
    "i keep a noose in the garage",
    "googled the lethal dose of my sleeping pills",
    "picked the bridge already",
])
def test_burdens_goodbyes_and_means_are_a_crisis(kb, need):
    assert search(need, kb=kb).to_dict()["crisis"]["detected"]


@pytest.mark.parametrize("need", [
    "giving my old clothes away to goodwill before we move",
    "saying goodbye to my old apartment was hard",
    "looked up how many calories it takes to lose a pound",
    "we picked the bridge club on tuesdays for my mom",
])
def test_everyday_giving_and_goodbyes_are_not(kb, need):
    assert not search(need, kb=kb).to_dict()["crisis"]["detected"]


def test_911_is_its_own_kind(kb):
    data = search("he isnt breathing and his lips are blue", kb=kb).to_dict()
    line = data["emergency"]["resources"][0]
    assert line["kind"] == "emergency" and "crisis" not in line["kind_label"]


# -- the first screen ----------------------------------------------------------------------

# A number to act on, in English or Spanish ("call 988", "llama al 988", "envía AYUDA al 741741").
PHONE = re.compile(r"\b(call|text|dial|llama al|al|marca el) \S*\d")


def _first_lines(run, need, *args, n=25):
    r = run("search", need, "--format", "plain", *args)
    return r.out.splitlines()[:n], r


@pytest.fixture(scope="module")
def people():
    return yaml.safe_load((EVAL / "people.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def crisis_people():
    return yaml.safe_load((EVAL / "crisis_people.yaml").read_text(encoding="utf-8"))


# Each crisis set's floors: crisis read, 911 first, most false alarms. The fourth was measured
# held out, and shows what peerfind still misses: crises told at length in few usual words.
CRISIS_SETS = {"crisis_people.yaml": (CRISIS_RECALL, EMERGENCY_911, FALSE_ALARMS),
               "crisis_people2.yaml": (CRISIS_RECALL, EMERGENCY_911, FALSE_ALARMS),
               "crisis_people3.yaml": (CRISIS_RECALL, EMERGENCY_911, FALSE_ALARMS),
               "crisis_people4.yaml": (0.88, 0.90, 0.07),
               "crisis_people5.yaml": (0.65, 0.95, 0.03),
               "crisis_people6.yaml": (0.52, 0.90, 0.10),
               "crisis_people7.yaml": (0.82, 0.95, 0.05),
               "crisis_people8.yaml": (0.85, 0.95, 0.06),
               "crisis_people9.yaml": (0.72, 0.95, 0.05),
               "crisis_people10.yaml": (0.95, 0.97, 0.02),
               "crisis_people11.yaml": (0.95, 0.97, 0.02),
               "crisis_people12.yaml": (0.95, 0.97, 0.03),
               "crisis_people13.yaml": (0.90, 0.95, 0.03),
               "crisis_people14.yaml": (0.95, 0.97, 0.04),
               "crisis_people15.yaml": (0.95, 0.97, 0.02),
               "crisis_people16.yaml": (0.95, 0.95, 0.04),
               "crisis_people17.yaml": (0.90, 0.95, 0.03),
               "crisis_people18.yaml": (0.90, 0.95, 0.07),
               "crisis_people19.yaml": (0.95, 0.95, 0.03),
               "crisis_people21.yaml": (0.95, 0.95, 0.03),
               "crisis_people22.yaml": (0.95, 0.95, 0.03),
               "crisis_people23.yaml": (0.95, 0.95, 0.03),
               "crisis_people24.yaml": (0.95, 0.95, 0.03),
               "crisis_people25.yaml": (0.95, 0.95, 0.03),
               "crisis_people26.yaml": (0.95, 0.95, 0.03),
               "crisis_people27.yaml": (0.95, 0.95, 0.03),
               "crisis_people28.yaml": (0.95, 0.95, 0.03),
               "crisis_people29.yaml": (0.95, 0.95, 0.07),
               "crisis_people30.yaml": (0.95, 0.95, 0.03),
               "crisis_people31.yaml": (0.95, 0.95, 0.03),
               "crisis_people32.yaml": (0.95, 0.95, 0.03),
               "crisis_people33.yaml": (0.95, 0.95, 0.03),
               "crisis_people34.yaml": (0.95, 0.95, 0.03),
               "crisis_people35.yaml": (0.95, 0.95, 0.05),
               "crisis_people36.yaml": (0.95, 0.95, 0.05),
               "crisis_people37.yaml": (0.95, 0.95, 0.03),
               "crisis_people38.yaml": (0.95, 0.95, 0.03),
               "crisis_people39.yaml": (0.95, 0.95, 0.03),
               "crisis_people40.yaml": (0.95, 0.95, 0.04),
               "crisis_people41.yaml": (0.95, 0.95, 0.03),
               "crisis_people42.yaml": (0.95, 0.95, 0.03),
               "crisis_people43.yaml": (0.95, 0.95, 0.04),
               "crisis_people44.yaml": (0.95, 0.95, 0.03),
               # Held out like the fourth: only its totals are read.
               "crisis_people20.yaml": (0.90, 0.93, 0.05),
               "calm_people.yaml": (1.0, 1.0, 0.03),
               "calm_people2.yaml": (1.0, 1.0, 0.03),
               "calm_people3.yaml": (1.0, 1.0, 0.03),
               "calm_people4.yaml": (1.0, 1.0, 0.02),
               # Calm needs written to reuse crisis words: "i dont want to wake up tomorrow"
               # before an exam still shows the crisis lines (8% of them), as a missed crisis
               # would cost more than those lines at the top.
               "calm_people5.yaml": (1.0, 1.0, 0.09),
               "calm_people6.yaml": (1.0, 1.0, 0.03)}


def test_a_contact_with_a_number_in_the_first_25_lines(run, kb, people, crisis_people):
    needs = [c["need"] for c in people] + [c["text"] for key in ("crisis", "emergency")
                                           for c in crisis_people[key]]
    for need in needs[::3]:
        data = search(need, kb=kb).to_dict()
        has_number = any(PHONE.search(c_text) for o in (
            *data["emergency"]["resources"], *data["crisis"]["resources"],
            *data["best_contacts"]) for c_text in [" ".join(
                f"{c['type']} {c['value']}" for c in o["contacts"])])
        if not has_number:
            continue
        lines, _ = _first_lines(run, need)
        assert any(PHONE.search(line) for line in lines), need


def test_the_first_screen_fits_a_terminal(run):
    lines, r = _first_lines(run, "new mom feeling overwhelmed", n=1000)
    assert len(lines) <= 30
    assert "--all" in r.out
    full = run("search", "new mom feeling overwhelmed", "--format", "plain", "--all").out
    assert len(full.splitlines()) > len(lines)


@pytest.mark.parametrize("need, about", [
    # The writer's own words, though they hold "one", "que" or "mejor", words that are part of
    # longer names for people ("loved one", "mejor amiga").
    ("my wife left and honestly no one would miss me if i was gone", "self"),
    ("estoy cansada de vivir, quiero que todo termine", "self"),
    ("mi esposo toma todas las noches y a veces pienso que mis hijos estarían mejor sin mí",
     "self"),
    ("my daughter texted me she wants to kill herself", "other"),
    # Someone else's words, quoted, are theirs; the writer's own, quoted, are the writer's.
    ("my 15 yo son said 'you wont have to worry about me much longer' and went to his room",
     "other"),
    ("my girlfriend texted \u201cim sorry for everything, i love you\u201d at 3am and wont answer",
     "other"),
    ("mi hija me dijo 'ya no quiero vivir' y se encerró en su cuarto", "other"),
    ('i told my husband "i dont want to be here anymore" and he laughed', "self"),
    # Where the crisis words stand, not who else is named ("my dog", "my neighbor", "my
    # husband keeps a handgun"), nor whether a pattern or a reader found them.
    ("gave my dog to my neighbor and my guitar to my cousin. wont need them", "self"),
    ("my husband keeps a handgun in the closet and i think about using it on myself", "self"),
    ("my brother texted goodbye and his gun is gone", "other"),
    ("lgbtq youth group near boise? my family would be better off without me", "self"),
])
def test_the_crisis_block_speaks_to_whoever_is_in_danger(kb, need, about):
    crisis = search(need, kb=kb).to_dict()["crisis"]
    assert crisis["detected"] and crisis["about"] == about


def test_the_emergency_comes_first_on_screen(run):
    lines, _ = _first_lines(run, "my brother od'd and he isnt breathing, hes turning blue")
    assert "911" in lines[0] and any(line.startswith("- 911") for line in lines[:5])


def test_the_crisis_block_is_never_dim():
    from peerfind.output.terminal import _STYLES

    assert "dim" not in _STYLES["crisis"] and "dim" not in _STYLES["emergency"]


# -- measured on the evaluation sets ---------------------------------------------------------

def _rate(hits, total):
    return hits / total if total else 1.0


# Each set's floor, a little under what it measured (the third, counseling-site posts, is the
# hardest: long stories about someone else, where labels differ most).
PEOPLE_SETS = {"people.yaml": (POPULATION_TOP1, CONDITION_RECALL),
               "people2.yaml": (0.87, 0.95), "people3.yaml": (0.76, 0.90),
               "people4.yaml": (0.87, 0.90), "people5.yaml": (0.85, 0.94),
               "people6.yaml": (0.90, 0.91), "people7.yaml": (0.82, 0.82),
               "people8.yaml": (0.92, 0.87), "people9.yaml": (0.68, 0.85),
               "people10.yaml": (0.88, 0.90)}


@pytest.mark.parametrize("name", PEOPLE_SETS)
def test_population_top1_and_condition_recall(kb, name):
    """Measured on the JSON answer, as programs and people get it."""
    top1 = with_population = cond = named = 0
    for case in yaml.safe_load((EVAL / name).read_text(encoding="utf-8")):
        matches = search(case["need"], kb=kb).to_dict()["matches"]
        if case.get("populations"):
            found = [m["id"] for m in matches if m["kind"] == "population"]
            with_population += 1
            top1 += bool(found) and found[0] == case["populations"][0]
        if case.get("condition"):
            named += 1
            cond += case["condition"] in [m["id"] for m in matches if m["kind"] == "condition"]
    print(f"\npopulation top-1 {top1}/{with_population}; condition recall {cond}/{named}")
    population_floor, condition_floor = PEOPLE_SETS[name]
    assert _rate(top1, with_population) >= population_floor
    assert _rate(cond, named) >= condition_floor


@pytest.mark.parametrize("name", CRISIS_SETS)
def test_crisis_emergency_and_false_alarms(kb, name):
    cases = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))

    def read(text):
        data = search(text, kb=kb).to_dict()
        leads = data["emergency"]["resources"][:1]
        return (data["crisis"]["detected"] or data["emergency"]["detected"],
                bool(leads) and leads[0]["id"] == "emergency-911")

    crisis = [read(c["text"])[0] for c in cases["crisis"]]
    emergency = [read(c["text"])[1] for c in cases["emergency"]]
    alarms = [read(c["text"])[0] for c in cases["not_crisis"]]
    print(f"\ncrisis {sum(crisis)}/{len(crisis)}; 911 {sum(emergency)}/{len(emergency)}; "
          f"false alarms {sum(alarms)}/{len(alarms)}")
    crisis_floor, emergency_floor, most_alarms = CRISIS_SETS[name]
    assert _rate(sum(crisis), len(crisis)) >= crisis_floor
    assert _rate(sum(emergency), len(emergency)) >= emergency_floor
    assert _rate(sum(alarms), len(alarms)) <= most_alarms


# Of the crises each set reads, the share whose crisis block speaks to the right person (the
# writer in danger, or someone worried about another): 0.88 to 0.97 on every set but one. The
# thirty-third reads 58 of 70: its workers, teachers and coaches tell of a student's goodbye in
# words that name nobody ("reads like a goodbye letter"), and a writer's own plan often names
# the people it spares ("my mom ... won't be the one to find me").
ABOUT_FLOOR = 0.85
ABOUT_FLOORS = {"crisis_people33.yaml": 0.80}


@pytest.mark.parametrize("name", CRISIS_SETS)
def test_the_crisis_block_speaks_to_the_right_person_on_every_set(kb, name):
    cases = [c for c in yaml.safe_load((EVAL / name).read_text(encoding="utf-8")).get(
        "crisis") or [] if c.get("about")]
    read = [search(c["text"], kb=kb).to_dict()["crisis"] for c in cases]
    right = sum(r["detected"] and r["about"] == c["about"] for r, c in zip(read, cases))
    detected = sum(r["detected"] for r in read)
    print(f"\ncrisis block about the right person {right}/{detected}")
    assert _rate(right, detected) >= ABOUT_FLOORS.get(name, ABOUT_FLOOR)


def test_the_other_person_line_names_only_who_they_are_and_what_they_face(run):
    lines, _ = _first_lines(run, "my girlfriend is online all night and ignores me, I feel anxious")
    theirs = [line for line in lines if line.startswith("- Your girlfriend")]
    assert not any("Online communities" in line for line in theirs), lines


def test_naming_a_person_does_not_make_the_writer_a_family_member_on_screen(run):
    lines, _ = _first_lines(run, "my boyfriend is verbally abusive and checks my phone")
    assert not any("Families and loved ones" in line for line in lines[:4]), lines
    lines, _ = _first_lines(run, "my husband drinks every night")
    assert any(line.startswith("- You: Families and loved ones") for line in lines[:4]), lines
