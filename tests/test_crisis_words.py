"""Crisis words in the phrasing people really use (issue 17): one table per kind, written for
these tests apart from the patterns. Each kind is guarded: the writer's own crisis, someone
else's, an overdose or other danger right now (911 first), and words that are not a crisis."""

from __future__ import annotations

import time

import pytest

from peerfind.answer.crisis import detector_for

SELF = [
    # Indirect words
    "honestly everyone would be happier without me around",
    "i feel like such a burden on my family all the time",
    "im so tired of existing",
    "whats the point of waking up tomorrow",
    "i dont see a reason to wake up anymore",
    "i wont be here much longer so it doesnt matter",
    "im done. i cant do life anymore",
    "i just cant do this life anymore",
    "how do i end things quickly",
    "there is no way out except dying",
    "the world is better without me in it",
    "they would all be better without me",
    "i just want it all to stop forever",
    # Plans and means
    "i have been stockpiling my sertraline pills for weeks",
    "ive been saving up my grandmas oxycodone",
    "counting my pills to see if i have enough",
    "i bought a rope yesterday",
    "i bought a gun last week and i know what its for",
    "i already know which bridge",
    "researching how much tylenol would do it",
    "what is the lethal dose of amitriptyline",
    "thinking of driving off the road on purpose",
    "i keep thinking about using my gun on myself",
    # Goodbyes
    "im writing notes to my kids and my sister",
    "i gave away my cat because i wont need her",
    "giving away all my stuff since i wont need it",
    "i told everyone i love them one last time",
    "deleted all my socials and left a note on the table",
    # Typos
    "i want to kil myself",
    "i want to dye",
    "feeling suicdal again",
    "thinking about sucide every day",
    "i wanna kill myslef",
    # Suicide with a person in it
    "suicide",
    "ive been thinking about suicide",
    "i have thoughts of suicide",
    "considering suicide tonight",
    "my suicide attempt was last year and the thoughts are back",
    "i feel suicidal",
    "suicide hotline number please",
    "i need the suicide hotline",
    "they put me on suicide watch and im still not ok",
    # A loss, and now present danger
    "my brother killed himself last year and now i want to too",
    "my family would honestly be better off if i was gone",
    "no reason to get up in the morning anymore",
    "i dont think ill be around much longer",
    "how many sleeping pills does it take to not wake up",
    "ive been hoarding my mom's percocets",
    "i have a rope in my closet for when i'm ready",
    "i looked up which bridge is highest",
    "gave my dog to my neighbor since i wont need him anymore",
    "idk how much longer i can keep going honestly might just end things",
    # Faith, a last refill, typed fast
    "Lord forgive me, but I'm ready to come home to You",
    "she said it doesnt matter, this is the last refill I'll need",
    "i cant do this anymroe. i want to dissapear for good",
]

OTHER = [
    "a guy in my group chat says hes going to jump tonight",
    "he said hes ready to go and gave away his medals",
    "my dad keeps talking about eating his gun",
    "my daughter texted me she wants to kill herself",
    "my friend is writing goodbye letters to everyone",
    "my husband bought a gun and says nobody would miss him",
    "my son has been stockpiling his adderall and seroquel",
    "my roommate says shes a burden to everyone",
    "my wife said she is thinking about suicide",
    "last year he said he finally understood why guys ate their guns",
    "on the phone tonight she told me she's going to finish the job this time",
    "my sister keeps saying she wouldn't be missed",
    "my uncle lost the farm and keeps saying he's worth more dead than alive",
    "how do i help a friend who says he's suicidal but made me promise not to tell",
]

OVERDOSE = [
    "my boyfriend is unconscious and i cant wake him",
    "she is barely breathing after using",
    "his lips are gray and he wont respond",
    "friend is having a seizure after using",
    "my mom took like 40 tylenol",
    "dad took a whole month of heart pills",
    "she took 30 pills an hour ago",
    "he is not responding to narcan",
    "my toddler got into the pills and is limp",
    "i just took 20 of my xanax",
    "my husband injected a lot more insulin than he should on purpose, now hes not making sense",
    "we used narcan twice its not working hes still blue",
    "found my teenager unconcious on the bedroom floor with an empty tylenol bottle",
    "wife on meth for days, chest pain, burning hot, now seizing on the kitchen floor",
    "heroin. my son. not waking up. please",
]

DANGER = [
    "he has a gun pointed at his head right now",
    "my brother is pointing a knife at my mom",
    "my friend is standing on the roof saying she will jump",
    "im on the bridge right now",
    "someone with a knife is breaking in",
    "a man with a gun is breaking into our house",
    "he is choking me",
    "my ex is strangling me",
    "the car is running in the closed garage and hes inside",
    "i have the pills in my hand about to swallow them",
    "i just cut my wrists and theres a lot of blood",
    "i found my brother hanging in the garage",
    "my dad is waving a gun around saying he'll kill us",
    "my brother just drove off drunk saying hes going to crash his car into a tree",
    "my brother texted goodbye and his gun is gone from the safe and he wont pick up",
    "the gun is loaded and in my lap. i dont want to be here",
    "standing at the railing of the golden gate. i cant do this anymore",
    "cut deep on my thigh and its spurting, towel isnt stopping it",
    "husband is drunk kicking me over and over im bleeding and he wont stop",
]

NOT_CRISIS = [
    "suicide rate for veterans",
    "suicide barriers on bridges in my city",
    "1960s lincoln with suicide doors",
    "coach made us run suicide sprints",
    "whats the name of that old song suicide is painless",
    "i used to work the suicide hotline and burned out",
    "i dont want to die, i just want the anxiety to stop",
    "im safe, im not going to hurt myself",
    "my therapist asked if i was suicidal and im not",
    "my best friend shot himself in 2023",
    "he hung himself in the garage 2 years ago, i found him",
    "my cousin jumped off a bridge last spring",
    "how do i support my teen after her friends suicide",
    "i need a peer group for anxiety",
    "my husband is a vet and drinks every night",
    "my phone died and i cant call my sponsor",
    "i killed it at my interview today",
    "counting calories and pills for my diabetes",
    "looking for a dye for my hair",
    "looking for support after my dad died of cancer",
    "my teen is blue and sad lately",
    "my moms hair is turning gray",
    "i want to end things with my boyfriend",
    "my kid dyed her hair blue",
    "my ex choked me years ago and i still have nightmares",
    "my mom overdosed 3 years ago and i still miss her",
    # Pain of the body, a flat battery, a farewell at work, a trip away
    "cramps so bad today i legit want to die, heating pad isnt touching it",
    "My phone's about to die, call my wife's cell if you need me tonight",
    "wrote a goodbye letter to each of my students since im retiring after 32 years",
    "I won't be around next week, heading to a cabin with no cell service",
    # History, asking, denials, accidents
    "In 2014 I attempted suicide. Ten years later I work as a peer support specialist",
    "my daughter attempted suicide last year and is doing much better, how do i stop worrying",
    "How do I ask my 14 year old if she's ever thought about suicide without scaring her",
    "No self-harm, no suicidal thoughts, but my social anxiety is so bad I cant make calls",
    "I almost killed myself tripping over the cat on the stairs this morning",
    "I'm done with dating apps, they're killing my self esteem",
    "I cut myself for years as a teen, now 30 and clean 10 years, the scars bother me",
    "I want to give my things away and move into a tiny house",
    "My dog got into my Adderall. The emergency vet kept him overnight and he is fine now",
    # "Suicidal" denied, of clients, in the past, in a story
    "I don't feel suicidal, just stuck",
    "I wouldn't say I'm suicidal, more like numb",
    "I work with suicidal clients and I'm burning out",
    "my friend felt suicidal last month, she's in therapy now and doing well",
    "the book is about a suicidal teenager, is it ok for my 13 year old",
    "My dad keeps his hunting rifles in the garage and I want him to lock them up, he drinks",
    # Research, a word's meaning, a past on a form, questions about 988, others' posts
    "Writing my thesis on social media use and suicidal ideation in adolescents, any datasets?",
    "My 10 year old asked me what 'kill yourself' means after hearing it at school",
    "I have a suicide attempt in my past from when I was 17, do I disclose it for a clearance?",
    "She hasn't said anything about hurting herself and she sees the school counselor",
    "What is 988 actually for? Can I call if I'm stressed, or is it only for people who are suicidal?",
    "My hospice patient asked me today if I was afraid to die",
    "my friend says kms about literally everything, like losing her keys",
]


def _read(kb, need):
    return detector_for(kb).read(need)


@pytest.mark.parametrize("need", SELF + OTHER)
def test_crisis_read(kb, need):
    assert _read(kb, need).crisis, need


@pytest.mark.parametrize("need", OVERDOSE)
def test_overdose_read(kb, need):
    ids = [kb.crisis.emergencies[n].id for n in _read(kb, need).emergencies]
    assert "overdose" in ids, need


@pytest.mark.parametrize("need", DANGER)
def test_danger_read(kb, need):
    signal = _read(kb, need)
    assert signal.crisis and signal.emergencies, need


@pytest.mark.parametrize("need", NOT_CRISIS)
def test_not_crisis_read(kb, need):
    signal = _read(kb, need)
    assert not signal.crisis and not signal.emergencies, need


@pytest.mark.parametrize("need", SELF[:12] + OTHER[:3])
def test_emergency_not_raised_by_crisis_words_alone(kb, need):
    assert not _read(kb, need).emergencies, need


@pytest.mark.parametrize("need", [
    "a " * 500, "suicide " * 120, "kill " * 200, "stockpiling " * 80 + "x",
    "took " * 200, "i " * 500 + "want to die", "gun " * 250, "bought a " * 110,
    ("im on the " * 100)[:1000], "aaaa" * 250, "sucide kil dye " * 60])
def test_bounded_time_on_adversarial_input(kb, need):
    detector = detector_for(kb)
    start = time.perf_counter()
    detector.read(need[:1000])
    detector.read(need[:999] + "!")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("need", [
    "my son is gay", "my boy is deaf", "i sit with my diet", "rape survivor support",
    "my med list", "ten years sober", "my sister is on a diet",
    "need a group for exes of addicts", "the bridge club at church"])
def test_real_words_are_not_corrected_into_crisis(kb, need):
    assert not _read(kb, need).crisis, need


@pytest.mark.parametrize("typo, word", [
    ("myslef", "myself"), ("suicdal", "suicidal"), ("sucide", "suicide"),
    ("kll", "kill"), ("kil", "kill"), ("stockpilling", "stockpiling")])
def test_typos_are_put_right_before_the_gates(kb, typo, word):
    speller = detector_for(kb)._speller
    assert speller.correct(f"i {typo} now") == f"i {word} now"


@pytest.mark.parametrize("word", ["shoulder", "police", "hand", "shelter"])
def test_common_english_words_are_left_as_written(kb, word):
    # Each is a slip or two from a word of the crisis patterns ("shouldve", "policy"), but it
    # is a word of its own: what the person meant.
    speller = detector_for(kb)._speller
    assert speller.correct(f"he {word} now") == f"he {word} now"
