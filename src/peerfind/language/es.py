"""Spanish: light stemming, number words and stated ages.

Exposes what every language module does (see `peerfind.language`): `CODE`, `stem`,
`NUMBER_WORDS`, `ages` and `may_state_age`; and `FUNCTION_WORDS`, read to tell a need's
language (choose.py).

Works on normalised text (lower case, accents and punctuation removed: see text.normalize), so
"adicción", "adiccion" and "ADICCIONES" meet. Like the English stemmer, `stem` is applied to
aliases and needs alike: it only has to bring inflections of one word together, never to find
a dictionary form.
"""

from __future__ import annotations

import re

from .normalize import fold

CODE = "es"

# Closed words of everyday Spanish (and the commonest verbs and family words of a need), read
# to tell a need's language. Words English writes alike count for neither (choose.py).
FUNCTION_WORDS = frozenset("""
    el la los las un una unos unas del al y o pero de en con por para sin sobre entre desde
    hasta hacia segun porque que quien cual cuando donde como yo tu usted el ella nosotros
    ellos ellas mi mis su sus tus nuestro nuestra le les lo nos te se ya muy mas es esta
    estoy estas estamos estan soy eres somos fue era tengo tiene tienen tenemos hay ser
    estar quiero quiere necesito necesita busco buscando ayuda alguien nadie nada algo todo
    todos siempre nunca tambien aqui ahora despues antes otra otro mucho poco cuando
    mama papa hijo hija hijos esposo esposa hermano hermana amigo amiga novio novia
    porfa favor hola gracias
""".split())

# Words that name the language in a need written in another one ("she only speaks Spanish").
NAMES = frozenset({"spanish", "espanol", "castellano", "hispanohablante"})


def is_word(word: str) -> bool:
    """Whether a word is a common Spanish word the speller must leave alone. No list yet: the
    Spanish aliases are few, and a Spanish need is not corrected into English ones."""
    return False

# After a plural -s, an -e left behind by these consonants belongs to the plural
# ("mujeres" -> "mujer", "adicciones" -> "adiccion"). The singular loses it too ("padre" ->
# "padr", "padres" -> "padr"), so both forms meet.
_PLURAL_E_AFTER = frozenset("rlndjy")
# Words whose final -s is not a plural.
_KEEP_S = ("is", "us", "ss")


def stem(word: str) -> str:
    """The light Spanish stem of one normalised word.

    - plurals: -s, -es, -ces ("veces" -> "vez"), -ciones ("adicciones" meets "adiccion");
    - gender: a final -o or -a ("veterano", "veterana" -> "veteran"; "hijo", "hija" -> "hij");
    - diminutives -ito/-ita and -cito/-cita, only when a stem of four letters is left
      ("abuelito" meets "abuelo", "papacito" meets "papa"), so "delito", "visita" and "mito"
      keep their own stems;
    - gerunds -ando/-iendo ("tomando" meets "toma" and "tomo").
    """
    if not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ces") and len(word) > 4:  # veces -> vez, luces -> luz
        word = word[:-3] + "z"
    elif word.endswith("s") and not word.endswith(_KEEP_S):
        word = word[:-1]
        if len(word) > 3 and word[-1] == "e" and word[-2] in _PLURAL_E_AFTER:
            word = word[:-1]
    elif len(word) > 4 and word[-1] == "e" and word[-2] in _PLURAL_E_AFTER:
        word = word[:-1]
    if len(word) > 5 and word.endswith(("ando", "iendo")):
        return word[:-4] if word.endswith("ando") else word[:-5]
    if len(word) >= 8 and word.endswith(("cito", "cita")):
        word = word[:-4]
    elif len(word) >= 7 and word.endswith(("ito", "ita")):
        word = word[:-3]
    if len(word) >= 4 and word[-1] in "oa":
        word = word[:-1]
    return word


# -- number words ---------------------------------------------------------------------------

_UNITS = {
    "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9,
}
_WORDS = {
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiun": 21, "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
    "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28,
    "veintinueve": 29, "cien": 100,
}
_TENS = {
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90,
}
# Older and spoken spellings: "diez y seis", "veinti seis".
_SPLIT_TEENS = {f"diez y {w}": 10 + n for w, n in _UNITS.items() if 6 <= n <= 9}
_SPLIT_TEENS.update({f"veinti {w}": 20 + n for w, n in _UNITS.items()})
_SPLIT_TEENS.update({f"veinte y {w}": 20 + n for w, n in _UNITS.items()})

# Every number word read as an age, to its value (the compound ones are read by the pattern).
NUMBER_WORDS = {**_WORDS, **_TENS}

_NUMBER = (
    r"\b(?:" + "|".join(sorted(_SPLIT_TEENS, key=len, reverse=True)) + r")\b"
    r"|\b(" + "|".join(_TENS) + r")(?: y (" + "|".join(_UNITS) + r"))?\b"
    r"|\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b"
)


def numbers_to_digits(text: str) -> str:
    """Spanish number words from ten to a hundred written as digits: "quince" -> "15",
    "setenta y dos" -> "72", "diez y seis" -> "16". Units alone ("dos") stay words: they are
    rarely ages and often something else ("dos hijos")."""

    def digits(hit: re.Match) -> str:
        whole, tens, unit, word = hit.group(0), hit.group(1), hit.group(2), hit.group(3)
        if whole in _SPLIT_TEENS:
            return str(_SPLIT_TEENS[whole])
        if tens:
            return str(_TENS[tens] + (_UNITS[unit] if unit else 0))
        return str(_WORDS[word])

    return re.sub(_NUMBER, digits, text)


def may_state_age(words: list[str]) -> bool:
    """Whether normalised words may spell an age out ("quince", "setenta"): a cheap test that
    spares most needs the age patterns."""
    return any(w in NUMBER_WORDS or w.startswith(("dieci", "veinti")) for w in words)


# -- ages -----------------------------------------------------------------------------------

# After "tengo 15 años": words that make the number a length of time, not an age ("tengo 15
# años sin tomar", "llevo 3 años sobria", "tengo 20 años de casada").
_DURATION_AFTER = (
    r"(?! (?:sin|en|con|de (?!edad\b)|que|aqui|alla|aca|trabajando|viviendo|usando|tomando|"
    r"bebiendo|luchando|sufriendo|cuidando|sobri[oa]s?|limpi[oa]s?|casad[oa]s?|juntos|"
    r"separad[oa]s?|divorciad[oa]s?|enferm[oa]s?|asi|ya)\b)"
)
_YEARS = r"(?:anos?|anitos|abriles)"
# "de 17" alone is an age after a word for a person ("un chavo de 17", "mi hija de 3").
_PERSON = (
    r"(?:chav[oa]s?|cham[oa]s?|chamac[oa]s?|muchach[oa]s?|muchachit[oa]s?|chic[oa]s?|nin[oa]s?|"
    r"hij[oa]s?|hijastr[oa]s?|senor|senora|hombre|mujer|joven|adolescente|bebe|cipot[ea]s?|"
    r"morr[oa]s?|plebe|viejit[oa]s?|abuel[oa]s?|abuelit[oa]s?|papa|mama|pai|mai|espos[oa]|"
    r"herman[oa]s?|niet[oa]s?|sobrin[oa]s?|vato|nen[ea]s?|pelad[oa]s?|guaguas?|pibes?|pibas?)"
)
# Words before "de N años" that make it a length of time.
_NOT_AN_AGE_BEFORE = (
    r"(?:despues|antes|hace|durante|por|mas|menos|casi|cerca|alrededor|hasta|desde|luego|tras|"
    r"lleva|llevo|llevamos|pasaron|pasado|pasados|adentro|dentro|cargo|condena|sentencia)"
)
# Each pattern's group 1 is the age; group "other" is set when it is someone else's.
_AGE_PATTERNS = (
    # tengo 15 años, tengo 70, ya tengo 16 años; tiene 16 años (someone else)
    rf"\b(?:(?:yo )?tengo|(?P<other>tiene|tienen)) (\d{{1,3}})"
    rf"(?: {_YEARS}\b{_DURATION_AFTER}|\b(?! {_YEARS}\b){_DURATION_AFTER}"
    r"(?! (?:dias|semanas|meses|horas|veces|hijos|hijas|nietos|pesos|dolares|mil)\b))",
    # a mis 70, a mis 70 años; a sus 80 (someone else)
    r"\ba (?:mis|(?P<other>sus|su)) (\d{1,3})\b",
    # cumpli 70, acabo de cumplir 16, voy a cumplir 15; cumplio 80 (someone else)
    r"\b(?:cumpli|cumplo|cumplir|(?P<other>cumplio|cumple))(?: los)? (\d{1,3})\b",
    # una mujer de 68 años, un chavo de 17; someone else's after a possessive: "mi hijo de
    # 16 años", "mi chamo de 15". Not "después de 5 años", "más de 20 años".
    rf"(?P<who>\b(?:mi|mis|su|sus|nuestro|nuestra|nuestros|nuestras)(?: \w+){{0,2}} )?"
    rf"(?:\b(?!{_NOT_AN_AGE_BEFORE} )\w+ de (\d{{1,3}}) {_YEARS}\b"
    rf"|\b{_PERSON} de (\d{{1,3}})\b(?! (?:{_YEARS[3:-1]}|dias|semanas|meses|horas)\b))",
    # 15 años de edad
    rf"\b(\d{{1,3}}) {_YEARS} de edad\b",
)
# "en mis sesentas", "en mis 60s", "en sus setentas": a decade, read as its middle.
_DECADE = (
    r"\ben (?:(mis)|sus|los) (?:(\d)0 ?s|(treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|"
    r"noventa)s)\b"
)


def ages(text: str) -> list[tuple[int, bool]]:
    """Ages a Spanish need states ("tengo 15 años", "a mis 70", "mi hijo de 16 años"), in
    order, each with whether it is someone else's."""
    folded = numbers_to_digits(" ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split()))
    found: list[tuple[int, int, bool]] = []
    for pattern in _AGE_PATTERNS:
        for hit in re.finditer(pattern, folded):
            groups = hit.groupdict()
            value = next(g for g in hit.groups() if g and g.isdigit())
            someone_else = bool(groups.get("other") or groups.get("who"))
            found.append((hit.start(), int(value), someone_else))
    for hit in re.finditer(_DECADE, folded):
        decade = int(hit.group(2)) * 10 if hit.group(2) else _TENS[hit.group(3)]
        if decade:
            found.append((hit.start(), decade + 5, not hit.group(1)))
    unique = dict.fromkeys((age, other) for _, age, other in sorted(found))
    return [(age, other) for age, other in unique if 5 <= age <= 115]
