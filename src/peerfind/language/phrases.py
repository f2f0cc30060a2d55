"""The words of the handout and the guided conversation, one catalog per language.

Keys are stable names; values are what a person reads. `{name}` marks a value filled in at run
time. A translator works on one dict; code asks `phrases(lang)` and never holds a sentence.
Facts behind a sentence (911 and when to call it) are in ../shared/facts/more-resources.md.
"""

from __future__ import annotations

_EN = {
    "code": "en",
    # -- handout --------------------------------------------------------------------------
    "title": "Peer support: where to start",
    "for": "For",
    "for.self": "For you",
    "for.other": "About your {relation}",
    "for.someone": "About someone you know",
    "anyone": "anyone looking for peer support",
    "near": "near {place}",
    "made": "Made {date} with peerfind",
    "crisis.title": "Crisis and emergency lines",
    "crisis.title.read": "Talk to someone now",
    "crisis.intro": "Free and confidential, any time. You can also call or text 988 if you are "
                    "worried about someone else.",
    "emergency.title": "Call 911 now",
    "step": "What to do now, {number}",
    "emergency.kind": "emergency services",
    "emergency.when": "When a life is in danger right now, or after a possible overdose.",
    "emergency.language": "",
    "emergency.source": "fcc.gov text-to-911 pages; UNC Suicide Prevention Institute",
    "contacts.title": "Lines and groups for you",
    "local.title": "Near you, from your local directory",
    "searches.title": "Search for peer support",
    "searches.intro": "Type the words into any search engine, or scan the code with a phone.",
    "advice.title": "How to judge what you find",
    "sources.title": "Sources",
    "sources.note": "Numbers and addresses come from these sources, checked on the dates shown. "
                    "Hours and services change: call ahead. peerfind works offline and keeps "
                    "nothing you type.",
    "checked": "checked {date}",
    "contact.phone": "Call {value}",
    "contact.phone.text": "Call or text {value}",
    "contact.text": "Text {value}",
    "contact.text.keyword": "Text {keyword} to {value}",
    "contact.chat": "Chat online",
    "contact.tty": "TTY {value}",
    "contact.dial": "Dial {value}",
    "contact.email": "Email {value}",
    "field.hours": "Hours",
    "field.address": "Address",
    "field.schedule": "When",
    "field.distance": "Distance",
    "field.languages": "Languages",
    "field.eligibility": "Who can come",
    "field.organization": "Run by",
    "qr.label": "QR code for {address}",
    "months": ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"),
    "date": "{month} {day}, {year}",
    # -- guided conversation --------------------------------------------------------------
    "guide.intro": "Let's find peer support: help from people who have been there. Answer in "
                   "your own words. Nothing you type is kept. Ctrl-C leaves at any time.",
    "guide.need": "In your own words, what is going on?",
    "guide.need.hint": "For example: new mom feeling overwhelmed, or my son drinks too much.",
    "guide.need.empty": "Say it in a few words, or press Ctrl-D to leave.",
    "guide.whom": "Is this for you or for someone else?",
    "guide.whom.self": "For me",
    "guide.whom.other": "For someone else",
    "guide.who": "Who is it for? (for example: my son, my wife, a friend)",
    "guide.where": "Where? A city, ZIP code or state, or press Enter to skip.",
    "guide.lang": "Which language for the answer?",
    "guide.next": "What next?",
    "guide.next.all": "Show everything",
    "guide.next.save": "Save a printable handout",
    "guide.next.again": "Search again",
    "guide.next.quit": "Quit",
    "guide.choose.bad": "Type one of the numbers shown.",
    "guide.file": "File name for the handout (press Enter for {default})",
    "guide.file.exists": "That file already exists. Choose another name.",
    "guide.file.bad": "Could not save it there: {reason}. Choose another name.",
    "guide.saved": "Saved {path}. Open it in a web browser to print it.",
    "guide.crisis.more": "When you are ready, we can keep looking for peer support too.",
    "guide.bye": "Take care.",
}

_ES = {
    "code": "es",
    "title": "Apoyo entre pares: por dónde empezar",
    "for": "Para",
    "for.self": "Para usted",
    "for.other": "Sobre su {relation}",
    "for.someone": "Sobre alguien que usted conoce",
    "anyone": "cualquier persona que busque apoyo entre pares",
    "near": "cerca de {place}",
    "made": "Preparado el {date} con peerfind",
    "crisis.title": "Líneas de crisis y de emergencia",
    "crisis.title.read": "Hable con alguien ahora",
    "crisis.intro": "Gratis y confidencial, a cualquier hora. También puede llamar o enviar un "
                    "mensaje de texto al 988 si le preocupa otra persona.",
    "emergency.title": "Llame al 911 ahora",
    "step": "Qué hacer ahora, {number}",
    "emergency.kind": "servicios de emergencia",
    "emergency.when": "Cuando una vida corre peligro ahora mismo o puede haber una "
                      "sobredosis.",
    "emergency.language": "Si no habla inglés, diga «Spanish» y no cuelgue: le comunican con "
                          "un intérprete.",
    "emergency.source": "páginas de la FCC sobre text-to-911; UNC Suicide Prevention "
                        "Institute; centros locales del 911",
    "contacts.title": "Líneas y grupos para usted",
    "local.title": "Cerca de usted, según su directorio local",
    "searches.title": "Busque apoyo entre pares",
    "searches.intro": "Escriba estas palabras en cualquier buscador o escanee el código con "
                      "el teléfono.",
    "advice.title": "Cómo evaluar lo que encuentre",
    "sources.title": "Fuentes",
    "sources.note": "Los números y las direcciones vienen de estas fuentes, verificadas en las "
                    "fechas indicadas. Los horarios y los servicios cambian: llame antes de ir. "
                    "peerfind funciona sin internet y no guarda nada de lo que escribe.",
    "checked": "verificado el {date}",
    "contact.phone": "Llame al {value}",
    "contact.phone.text": "Llame o envíe un mensaje de texto al {value}",
    "contact.text": "Envíe un mensaje de texto al {value}",
    "contact.text.keyword": "Envíe {keyword} por mensaje de texto al {value}",
    "contact.chat": "Chat en línea",
    "contact.tty": "TTY {value}",
    "contact.dial": "Marque el {value}",
    "contact.email": "Correo: {value}",
    "field.hours": "Horario",
    "field.address": "Dirección",
    "field.schedule": "Cuándo",
    "field.distance": "Distancia",
    "field.languages": "Idiomas",
    "field.eligibility": "Quién puede ir",
    "field.organization": "A cargo de",
    "qr.label": "Código QR de {address}",
    "months": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
               "septiembre", "octubre", "noviembre", "diciembre"),
    "date": "{day} de {month} de {year}",
    "guide.intro": "Vamos a buscar apoyo entre pares: ayuda de personas que han pasado por lo "
                   "mismo. Conteste con sus propias palabras. No se guarda nada de lo que "
                   "escribe. Con Ctrl-C sale en cualquier momento.",
    "guide.need": "Con sus propias palabras, ¿qué está pasando?",
    "guide.need.hint": "Por ejemplo: soy mamá primeriza y me siento agobiada, o mi hijo toma "
                       "demasiado.",
    "guide.need.empty": "Dígalo en pocas palabras, o pulse Ctrl-D para salir.",
    "guide.whom": "¿Es para usted o para otra persona?",
    "guide.whom.self": "Para mí",
    "guide.whom.other": "Para otra persona",
    "guide.who": "¿Para quién es? (por ejemplo: mi hijo, mi esposa, un amigo)",
    "guide.where": "¿Dónde? Una ciudad, un código postal o un estado, o pulse Enter para "
                   "saltar esta pregunta.",
    "guide.lang": "¿En qué idioma quiere la respuesta?",
    "guide.next": "¿Qué quiere hacer ahora?",
    "guide.next.all": "Ver todo",
    "guide.next.save": "Guardar una hoja para imprimir",
    "guide.next.again": "Buscar otra vez",
    "guide.next.quit": "Salir",
    "guide.choose.bad": "Escriba uno de los números de la lista.",
    "guide.file": "Nombre del archivo (pulse Enter para usar {default})",
    "guide.file.exists": "Ese archivo ya existe. Elija otro nombre.",
    "guide.file.bad": "No se pudo guardar ahí: {reason}. Elija otro nombre.",
    "guide.saved": "Se guardó {path}. Ábralo en un navegador para imprimirlo.",
    "guide.crisis.more": "Cuando quiera, también podemos seguir buscando apoyo entre pares.",
    "guide.bye": "Cuídese.",
}

CATALOGS: dict[str, dict] = {"en": _EN, "es": _ES}
LANGUAGES = {"en": "English", "es": "Español"}


def phrases(lang: str | None) -> dict:
    """The catalog for `lang` ("es", "es-US", "es_US.UTF-8" all mean Spanish); English for
    any language without one."""
    code = (lang or "en").replace("-", "_").split("_")[0].split(".")[0].lower()
    return CATALOGS.get(code, _EN)


def long_date(day, lang: str | None) -> str:
    """A date as a person writes it: "November 29, 2026", "29 de noviembre de 2026"."""
    words = phrases(lang)
    return words["date"].format(month=words["months"][day.month - 1], day=day.day,
                                year=day.year)
