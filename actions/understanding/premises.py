"""What a yes/no question states, and checking it against the knowledge file.

"¿fueron 8 proyectos?", "¿más de 5 mil empresas?", "¿el foco era fortalecer las
capacidades productivas?": the premise a question states (``read_premise``),
the figure each answer rests on, and how a stated figure or phrase is
compared with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from actions.knowledge import spanish
from actions.knowledge.loader import Knowledge
from actions.understanding import lexicon as lx

MONTH = re.compile(r"(?<=\s)(?:" + "|".join(lx.MONTHS + lx.MONTHS_EN) + r")(?=\s)")
# "más de 5000", "unas 300", "casi 50000", "5000 y pico": how a premise's number is meant.
QUALIFIED_NUMBER = re.compile(
    r"(?<=\s)(?:(mas de|mas que|sobre|arriba de|encima de|menos de|menos que|debajo de|por debajo de|"
    r"como|unas|unos|aproximadamente|alrededor de|cerca de|casi|al menos|minimo|maximo|hasta|"
    r"(?:pasaron|paso|pasan|pasa|superaron|supero|superan|supera|excedieron|excede|exceden)(?:\s+de)?(?:\s+l[ao]s)?)\s+)?"
    r"(\d+)"
    r"(\s+(?:y pico|y tantas|y tantos|y algo|y mas|o mas))?(?=\s)")
FRACTIONS = {"mitad": 50, "tercio": 33, "la mayoria": 60, "mayor parte": 60, "cuarta parte": 25, "un cuarto": 25,
             "quinta parte": 20, "decima parte": 10}
# Regions outside the programme's ("¿eran de África?").
ELSEWHERE = re.compile(r"\s(africa|asia|oceania|norteamerica|america del norte|estados unidos|medio oriente|"
                       r"europa del este|la india|australia)\s")

@dataclass(frozen=True)
class Premise:
    number: Optional[int] = None
    bound: str = ""  # "", "more", "less", "about"
    years: Tuple[int, ...] = ()
    only: bool = False  # "¿solo para Sudamérica?", "¿solo en Perú?"
    big: bool = False  # "¿era para grandes empresas?"
    elsewhere: bool = False  # "¿los países eran de África?"
    names: Tuple[str, ...] = ()  # folded phrases the question names as a value (ONU, Trujillo…)
    months: Tuple[int, ...] = ()
    format: Optional[str] = None  # "virtual" or "presencial"


def read_premise(text: str, named: Tuple[str, ...]) -> Premise:
    number, bound, years = None, "", []
    for m in QUALIFIED_NUMBER.finditer(text):
        value = int(m.group(2))
        counted = m.group(1) or re.match(r"\s+(personas|empresas|mipymes|mypes|asistentes|participantes|"
                                         r"conectados|negocios|instituciones)\s", text[m.end():])
        if 1990 <= value <= 2035 and not counted:  # "en 2020"; not "como 2000 personas"
            years.append(value)
            continue
        if number is not None:
            continue
        number = value
        word = m.group(1) or ""
        more = ("mas", "sobre", "arriba", "encima", "al menos", "minimo", "pas", "super", "exce")
        bound = ("more" if word.startswith(more) or m.group(3)
                 else "less" if word.startswith(("menos", "debajo", "por debajo", "maximo", "hasta"))
                 else "about" if word else "")
    for word, value in FRACTIONS.items():
        if number is None and f" {word} " in text:
            number, bound = value, "about"
    if number is None and re.search(r"\s(un solo|una sola|un unico|una unica|solo un|solo una)\s", text):
        number = 1
    months = tuple(sorted({(lx.MONTHS + lx.MONTHS_EN).index(m.group(0)) % 12 + 1 for m in MONTH.finditer(text)}))
    fmt = None
    both = re.search(r"\s(presencial|virtual|online|cara a cara|en persona)\s+o\s+(?:por\s+(?:la\s+|el\s+)?)?"
                     r"(presencial|virtual|online|en linea|hibrido|computadora|zoom|internet)\s", text)
    if both:  # "¿virtual o presencial?" asks which, it states neither
        pass
    elif re.search(r"\s(presencial|presenciales|en persona|cara a cara|fisico|fisica|hibrido|hibrida)\s", text):
        fmt = "presencial"
    elif re.search(
        r"\s(virtual|virtuales|online|on line|en linea|zoom|remoto|remota|a distancia|internet|meet|teams|streaming|"
        r"computadora)\s",
        text,
    ):
        fmt = "virtual"
    only = bool(re.search(r"\s(unica|unico|la sola|el solo|exclusiv\w*)\s", text)) or bool(
        re.search(r"(?<!\sno)\s(solo|solamente|unicamente)\s", text) and (named or re.search(
        r"\s(sudamerica|america del sur|centroamerica|peru|aca|aqui|europa|lima|sur|micro\w*)\s", text)))
    big = bool(re.search(r"\s(grandes|gran empresa|corporaciones|transnacionales|multinacionales|grandazos|grandotes|"
                         r"grandotas|peces gordos)\s", text))
    return Premise(number=number, bound=bound, names=named, months=months, format=fmt, years=tuple(years), only=only,
                   big=big, elsewhere=bool(ELSEWHERE.search(text)))


def checks_at_end(text: str, premise: Premise) -> bool:
    """"¿cuántas fueron, más de 5 mil?", "¿cuántas instituciones, fueron 110?": a count that ends stating
    the figure it expects."""
    return premise.number is not None and bool(re.search(
        r"\s(?:mas de|menos de|como|unos|unas|casi|cerca de|alrededor de|(?:fueron|eran|son|fue|era)"
        r"(?:\s+como|\s+unos|\s+unas)?)\s+\d+\s*(?:mil)?\s*(?:no|verdad|cierto)?\s*$|"
        r"\s\d+\s*(?:mil)?\s+(?:nomas|no mas|nada mas|solamente)\s*$",
        text))


# What the source gives as a figure, to check a premise's number.
FIGURES: Dict[str, Callable[[Knowledge], int]] = {
    "beneficiaries_peru": lambda k: k.peru["beneficiaries"].value,
    "beneficiaries_total": lambda k: k.programme["beneficiaries_total"].value,
    "peru_share": lambda k: k.peru["share_percent"].value,
    "countries": lambda k: k.programme["countries"].value,
    "duration": lambda k: k.programme["duration_years"].value,
    "projects": lambda k: k.peru["projects"].value,
    "organisations": lambda k: len(k.organisations),
    "institutions": lambda k: k.programme["institutions"].value,
    "event_dates": lambda k: len(k.closing_event["dates"].value),
    "event_days": lambda k: len(k.closing_event["dates"].value),
}


# Words every value shares with the subject: they tell no value from another.
_SUBJECT_WORDS = ("empresar", "mipymes", "programa")


def _named(text: str, value: str, skip: Tuple[str, ...] = ()) -> int:
    """How many of a value's long words (over five letters, accents folded) the question names.

    Eight letters are compared: "empresariales" must not match "empresas"."""
    return sum(f" {w[:8]}" in text for w in set(spanish.fold(value).split()) if len(w) > 5 and not w.startswith(skip))


def best_overlap(text: str, values) -> Optional[int]:
    """The value the question names with the most of its words ("¿diversificaron sus mercados?"), if any."""
    scores = [_named(text, v, _SUBJECT_WORDS) for v in values]
    best = max(range(len(scores)), key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] else None


def overlaps(text: str, values) -> bool:
    """Whether the question names one of the values by any of its long words (subject words included)."""
    return any(_named(text, v) for v in values)


def holds(value: int, stated: int, bound: str) -> bool:
    if bound == "more":
        return value > stated
    if bound == "less":
        return value < stated
    if bound == "about":
        return abs(value - stated) <= max(1, 0.1 * value)
    return value == stated
