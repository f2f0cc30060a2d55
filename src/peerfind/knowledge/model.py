"""The knowledge base as typed objects.

Every entry has a stable kebab-case ``id``, a display ``name`` and ``aliases`` for matching.
The annotated fields *are* the schema: `schema.py` reads them to check YAML files, so adding a
field here documents it, validates it and loads it in one place.
"""

from typing import Any, ClassVar

from ..language.catalog import N_

Ids = tuple[str, ...]


class Record:
    """Plain data built from keywords. The annotated class attributes are the fields, and their
    values the defaults (all immutable, so instances can share them); a field without a
    default must be given.

    Not dataclasses: each dataclass compiles its methods when the module is imported, which
    cost more than the rest of an exact-id search.
    """

    fields: ClassVar[dict[str, Any]] = {}  # name -> type, parents' fields first
    required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__", {})
        cls.fields = {**cls.fields, **{name: kind for name, kind in own.items()
                                       if getattr(kind, "__origin__", kind) is not ClassVar}}
        cls.required = frozenset(name for name in cls.fields if not hasattr(cls, name))

    def __init__(self, **values: Any) -> None:
        if not (values.keys() <= self.fields.keys() and self.required <= values.keys()):
            unknown = ", ".join(sorted(values.keys() - self.fields.keys()))
            missing = ", ".join(sorted(self.required - values.keys()))
            raise TypeError(f"{type(self).__name__}: " + (f"unknown field {unknown}" if unknown
                                                          else f"missing field {missing}"))
        self.__dict__.update(values)


class Contact(Record):
    """One way to reach an organization or line."""

    type: str  # phone | text | chat | url | email | tty | dial
    value: str
    keyword: str = ""  # for text lines: "HOME" in "text HOME to 741741"
    label: str = ""  # "Spanish", "youth talkline", "then press 1"
    source: str = ""  # where this contact was read, when it differs from the entry's
    checked: str = ""  # ISO date it was checked, when it differs from the entry's
    confirmed: bool = True  # unconfirmed contacts are kept for the record, never printed
    # Language codes this contact serves ("es" for a Spanish line); empty means the
    # organization's own languages.
    languages: Ids = ()

    TYPES: ClassVar[frozenset[str]] = frozenset(
        {"phone", "text", "chat", "url", "email", "tty", "dial"}
    )


class Entry(Record):
    """What every section's entries share: identity, matching vocabulary and links to other
    entries. Each section's class below declares the few fields of its own."""

    id: str
    name: str
    aliases: Ids = ()
    # Aliases matched word for word, without stemming, where tense matters: "killed himself"
    # (a loss) must not meet "kill himself" (a crisis).
    exact_aliases: Ids = ()
    description: str = ""
    # Words that stand for this entry inside a guided search ("veterans", "bipolar").
    search_terms: Ids = ()
    # Links by id. A matched entry brings the settings, pathways, organizations and advice it
    # names; `populations` on a condition or setting means it implies those populations.
    settings: Ids = ()
    pathways: Ids = ()
    organizations: Ids = ()
    advice: Ids = ()
    populations: Ids = ()
    conditions: Ids = ()
    # Shown for every need (general pathways, settings, advice and lines).
    general: bool = False
    # When layering a local file: replace the built-in entry with this id instead of extending it.
    replace: bool = False
    # Ids that, when they match too, push this entry down: "lost my husband" is grief, not a
    # family member looking for help, so family yields to grief.
    yields_to: Ids = ()
    section: ClassVar[str] = ""
    kind: ClassVar[str] = ""

    @property
    def search_term(self) -> str:
        return self.search_terms[0] if self.search_terms else self.name.lower()


class Population(Entry):
    """Who someone is: the shared identity or experience that makes a peer."""

    section, kind = "populations", "population"

    ages: tuple[int, ...] = ()  # [youngest, oldest] when a need gives an age
    # [youngest, oldest]: a writer who gives an age in it is this population before all else
    # ("im 16 and my mom drinks": a teen first, whatever else they face).
    first_ages: tuple[int, ...] = ()


class Condition(Entry):
    """What someone lives with or faces: a diagnosis, a substance, a loss, a health condition."""

    section, kind = "conditions", "condition"

    # Named together by one need, a condition of each list implies this one: a mental illness
    # and substance use are co-occurring ("PTSD, and I drink every night").
    implied_by: Ids = ()
    implied_with: Ids = ()


class Setting(Entry):
    """A kind of organization or place to look for (clubhouses, warmlines, VA peer specialists)."""

    section, kind = "settings", "setting"

    why: str = ""  # one line on why to look there
    mode: str = ""  # in-person | phone | online


class Pathway(Entry):
    """A guided search: a template with named placeholders such as {location} and {focus}."""

    section, kind = "pathways", "pathway"

    template: str = ""  # "{location} peer support groups {focus}"
    why: str = ""
    mode: str = ""  # in-person | virtual | ...
    where: str = "web"  # web (a search-engine URL is built) | app-store


class Role(Entry):
    """What peer supporters do (functions), where their careers lead, and who employs them."""

    section, kind = "roles", "role"

    group: str = ""  # function | career | employer


class Term(Entry):
    """A job title or word used for peer workers, with its definition."""

    section, kind = "terms", "term"

    definition: str = ""


class Principle(Entry):
    """A core principle of peer support."""

    section, kind = "principles", "principle"


class Topic(Entry):
    """Background for `peerfind about` (what a peer is, history, the workforce, certification)."""

    section, kind = "topics", "topic"

    group: str = ""  # about | history | career
    body: str = ""
    points: Ids = ()
    order: int = 0  # their order in `peerfind about`


class Advice(Entry):
    """How to judge what you find (e.g. online communities: moderation, guidelines, reviews)."""

    section, kind = "advice", "advice"

    points: Ids = ()


class Organization(Entry):
    """A named organization, line, directory or (from a local file) a local service."""

    type: str = "organization"  # see ORGANIZATION_TYPES
    audience: str = ""
    hours: str = ""
    contacts: tuple[Contact, ...] = ()
    source: str = ""
    checked: str = ""
    confirmed: bool = True
    # Local listings (own knowledge bases, HSDS imports).
    local: bool = False
    organization: str = ""  # the parent organization of a local service
    address: str = ""
    schedule: str = ""
    languages: Ids = ()
    eligibility: str = ""
    modes: Ids = ()  # in-person | phone | online
    # Populations a need must name, all of them, for the organization to be for it: The Trevor
    # Project is for LGBTQ+ young people, not for every young person.
    requires: Ids = ()
    # [youngest, oldest] it serves: a writer who gives an age outside them is not its audience
    # (The Trevor Project is for people under 25, not for a gay man of 42).
    ages: tuple[int, ...] = ()

    # Words a need must say, one of them, for the organization to fit: Trans Lifeline is for
    # trans and questioning people, not for every LGBTQ+ person.
    requires_words: Ids = ()

    def serves_age(self, age: int | None) -> bool:
        """Whether the writer's own age (None: not given) is one the organization serves."""
        return age is None or not self.ages or self.ages[0] <= age <= self.ages[1]

    section, kind = "organizations", "organization"


ENTRY_TYPES: tuple[type[Entry], ...] = (
    Population, Condition, Setting, Pathway, Organization, Role, Term, Principle, Topic, Advice,
)
SECTIONS: dict[str, type[Entry]] = {cls.section: cls for cls in ENTRY_TYPES}

# What each organization type means to a person reading the answer. A crisis line, a warmline
# and an information line are different things and are always labelled as such.
ORGANIZATION_TYPES: dict[str, str] = {
    "emergency": N_("emergency services: call when a life is in danger now"),
    "violence-hotline": N_("domestic or sexual violence hotline, not a mental-health crisis line"),
    "crisis-line": N_("crisis line"),
    "warmline": N_("warmline (peer-run, not a crisis line)"),
    "support-line": N_("support line (not a crisis line)"),
    "information-line": N_("information and referral line (not counseling)"),
    "directory": N_("directory"),
    "support-groups": N_("peer support groups"),
    "mutual-help": N_("mutual-help meetings"),
    "peer-services": N_("peer support services"),
    "family-support": N_("family peer support"),
    "advocacy": N_("advocacy organization"),
    "training": N_("training and certification"),
    "organization": N_("organization"),
    "local-service": N_("local service"),
}


class CrisisResource(Record):
    """A line shown in the crisis block; `populations` limits it to needs that matched them."""

    organization: str
    populations: Ids = ()


class EmergencyStep(Record):
    """One plain-language thing to do now, with the page it paraphrases."""

    text: str
    source: str = ""
    checked: str = ""


class Emergency(Record):
    """A kind of emergency (overdose, danger now): words that signal it and what to do while
    help comes. 911 leads the answer."""

    id: str
    name: str = ""
    patterns: Ids = ()  # regular expressions over normalised text, like crisis patterns
    steps: tuple[EmergencyStep, ...] = ()


class SignalKind(Record):
    """A kind of crisis word for needs no pattern reads: words of dying, means, a plan,
    turning it over, despair. Each different word counts `weight`, twice at most."""

    id: str
    weight: int = 1
    # A window of sentences is a crisis only with a word of an anchoring kind in it.
    anchor: bool = False
    # How many different words of the kind count (two guns are not twice the danger).
    most: int = 2
    words: Ids = ()  # pieces of regular expressions over normalised text


class Crisis(Record):
    """Crisis detection vocabulary and the lines shown first when it fires."""

    message: str = ""
    footer: str = ""
    # Regular expressions over normalised text (lower case, no accents or punctuation).
    patterns: Ids = ()
    # Idioms removed before `patterns` run ("killed it at my interview", "dying to").
    exclusions: Ids = ()
    # Single words that signal crisis even misspelt (matched with a small edit distance).
    keywords: Ids = ()
    # Texting shorthand read out before the patterns run, as "short=long" ("2=to", "no1=no one").
    shorthand: Ids = ()
    # Words right before crisis words that say it is not so ("not thinking about hurting
    # myself", "zero plans to", "no me quiero morir"): regular expressions that end where the
    # crisis words begin.
    denials: Ids = ()
    # For needs no pattern reads: a sentence, or two in a row, whose kinds of crisis words
    # add up to `signal_threshold` with an anchoring kind among them.
    signals: tuple[SignalKind, ...] = ()
    signal_threshold: int = 4
    resources: tuple[CrisisResource, ...] = ()
    # Said to people worried about someone else (988 is for them too).
    helper_message: str = ""
    # Said first when an emergency is read: call 911 now.
    emergency_message: str = ""
    emergencies: tuple[Emergency, ...] = ()
    # The lines an emergency leads with (911), before the crisis lines.
    emergency_resources: tuple[CrisisResource, ...] = ()


class Relation(Record):
    """A kind of person a writer may speak about ("spouse"), and the words that name them."""

    id: str
    words: Ids = ()
    # The population of a writer who speaks about this person's trouble ("family"), if any.
    writer: str = ""
    # Named even without "my" ("client is a 24 yo vet"), not only at the start of a clause.
    bare: bool = False
    # Named only right after a word for a person: "mom of an addict", not "a year of a PhD".
    after_person: bool = False
    # The condition of losing this person ("bereaved-parents" for a child or a sibling).
    loss: str = ""
    # Conditions this person does to the writer when named with them ("my boyfriend is
    # abusive": the writer's own), unless someone else is their object ("... hits her").
    does: Ids = ()


class Gender(Record):
    """A gender as a writer says it of themselves ("woman", "guy"), and the partner words of
    that gender ("girlfriend", "husband")."""

    id: str
    words: Ids = ()
    partners: Ids = ()


class Vocabulary(Record):
    """Words the matcher treats specially (see answer/speaker.py and answer/places.py for the
    words that say who is speaking, about whom, and where)."""

    stopwords: Ids = ()
    # The writer speaking of themselves ("i", "im"), and of someone else ("he", "she").
    self_words: Ids = ()
    other_words: Ids = ()
    # Endings that carry the person into a word ("colgarme", "quitarse"): a Spanish infinitive
    # with its pronoun.
    self_endings: Ids = ()
    other_endings: Ids = ()
    # Words that make the next relation word someone else ("my", "our").
    possessives: Ids = ()
    # "not a veteran", "dont drink": a negation, and the words that may stand between.
    negations: Ids = ()
    negation_fillers: Ids = ()
    # Words that start a new clause ("but", "and").
    clause_words: Ids = ()
    relations: tuple[Relation, ...] = ()
    # The writer's gender and their partner's: the same one names `same_gender` (a population
    # id) for the writer ("I'm a woman and my girlfriend ...").
    genders: tuple[Gender, ...] = ()
    same_gender: str = ""
    # The words before a gender word that make it the writer's own ("im a woman", "as a guy").
    gender_markers: Ids = ()
    # Words after a person named at the start of a clause that make them the one spoken of
    # ("sister is a meth addict"), unlike the writer introducing themselves ("mom of two here").
    mention_verbs: Ids = ()
    # What the writer finds or sees of someone already named ("I found a vape in her
    # backpack"): the rest of the clause is about that person.
    report_verbs: Ids = ()
    # Words before someone the writer gives to or does for ("gave my guitar to my nephew"):
    # that person is named in the clause, and the clauses after it are the writer's again.
    recipient_words: Ids = ()
    # The writer as the one something is done to ("my uncle molested me", "me pega"): a
    # condition named right before or after one of these words is the writer's own.
    done_to: Ids = ()
    # Someone else as the one something is done to ("tell them", "help him along"): unlike
    # "she" or "himself", these do not make crisis words someone else's.
    objects: Ids = ()
    # Conditions that tell of a death: the writer's own, whoever died ("my wife passed"). The
    # first is the one a death names when no alias does ("lost my little sister").
    losses: Ids = ()
    # A death named with a person: "lost my ..." before, "... died" after.
    lost_words: Ids = ()
    death_words: Ids = ()
    # Words before a place name ("in", "near", "outside").
    place_words: Ids = ()
    # Everyday phrases whose words name nothing ("cutting back", "pot roast", "a senior in
    # high school"): no alias is read inside one.
    idioms: Ids = ()


class Meta(Record):
    name: str = "peerfind knowledge base"
    checked: str = ""
    sources: Ids = ()


PLACEHOLDERS_DEFAULT = {
    "location": "[your city/county]",
    "focus": "[specific condition/identity/experience]",
}


def allowed_keys(cls: type[Record]) -> tuple[str, ...]:
    """The keys a record of this class may have in a YAML file: its fields, in order."""
    return tuple(cls.fields)


def build_kwargs(record: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from a cleaned record: lists become tuples, contacts objects."""
    kwargs = {}
    for key, value in record.items():
        if key == "contacts":
            value = tuple(Contact(**c) for c in value)
        elif key in _NESTED:
            value = tuple(_NESTED[key](**build_kwargs(r)) for r in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[key] = value
    return kwargs


# Fields whose values are lists of records, by name.
_NESTED: dict[str, type[Record]] = {
    "resources": CrisisResource, "emergency_resources": CrisisResource, "relations": Relation, "genders": Gender, "signals": SignalKind,
    "emergencies": Emergency,
    "steps": EmergencyStep,
}
