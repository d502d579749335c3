"""Read one question as a frame: what is asked, about what, narrowed by what.

``read(text)`` takes one normalised question (normalise.py) and returns a
``Frame``, or None when the text names neither a thing nor a narrowing
(greetings, thanks, a self-introduction).  It does not decide the answer:
``resolve.py`` looks the frame up in the knowledge file, where a pair with no
value is the honest "la fuente no lo indica".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Pattern, Tuple

from actions.understanding import lexicon as lx
from actions.understanding.normalise import Normalised
from actions.understanding.premises import Premise, checks_at_end, read_premise


def _plurals(phrases: List[str]) -> List[str]:
    """"minero" -> "mineros", "textil" -> "textiles": people name trades in the plural."""
    out = list(phrases)
    for p in phrases:
        if " " not in p and p.isalpha():
            out.append(p + ("s" if p[-1] in "aeiou" else "es"))
    return out


def _pattern(phrases: List[str]) -> Pattern:
    alternatives = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(r"(?<=\s)(?:" + alternatives + r")(?=\s)")


def _table(table: Dict[str, List[str]]) -> Dict[str, Pattern]:
    return {key: _pattern(phrases) for key, phrases in table.items()}


ASKED = _table(lx.ASKED)
THINGS = _table(lx.THINGS)
SCOPES = _table(lx.SCOPES)
SECTORS = {key: _pattern(_plurals(words)) for key, words in lx.SECTOR_WORDS.items()}
ORGANISATIONS = _table(lx.ORGANISATION_WORDS)
EU = _table(lx.EU_WORDS)
OTHER_COUNTRY = _pattern(lx.OTHER_COUNTRIES)
PLACE_IN_PERU = _pattern(lx.PLACES_IN_PERU)
OTHER_SECTOR = _pattern(_plurals(lx.OTHER_SECTORS))
OTHER_ORGANISATION = _pattern(lx.OTHER_ORGANISATIONS)
ORDINAL = _pattern(list(lx.ORDINALS))
YES_NO_TAG = _pattern(lx.YES_NO_TAGS)
NUMBER = re.compile(r"(?<=\s)(\d+)(?=\s)")
# A question with one of these asks something; without, it may check a premise.
QUESTION_WORDS = frozenset({"count", "when", "where", "who", "which", "what", "how", "why", "hour"})
# Things a premise's figure can be checked against.
COUNTABLE = ("share", "projects", "countries", "institutions", "organisations", "duration", "mipymes")
STATING_VERB = re.compile(
    r"\s(participo|participaron|estuvo|estuvieron|estaba|estaban|entro|entraron|fue|fueron|"
    r"era|eran|hubo|es parte|forma parte|formo parte|incluyo|incluye|tuvo|tuvieron|salio|"
    r"se beneficio|se beneficiaron|apoyo|apoyaron|hay|habia|habra|tambien|chambeo|trabajo|"
    r"colaboro|estuvo|es|son|sera|seria|va|van|iba|iban|dirigia|dirigio|organizo|creo|"
    r"quiere decir|significa|se genero|se generaron|lograron|logro|era|eran|se puede|se podia|sirve|sirvio|servia)\s"
)
# "bacán, ¿y qué…?": words of surprise or address before the question word.
INTERJECTIONS = r"(?:(?:bacan|chevere|pucha|oe|oye|ya|ok|asu|uy|ay|ah|causa|pata|bueno|listo|mira|hola)\s+)*"
WH_START = re.compile(
    r"^\s*" + INTERJECTIONS +
    r"(?:y\s+|e\s+|pero\s+|entonces\s+)?(?:(?:a|en|de|con|para|por|desde)\s+)?(?:que|cual|cuales)\s"
)
# "la empresa Gloria", "Textiles Andinos SAC": a company the article does not name.
COMPANY_NAMED = re.compile(r"\b(?:empresa|compañía|compania|firma|marca|panadería|panaderia|bodega|taller|tienda|"
                           r"restaurante|carpintería|carpinteria|textilera|negocio|cooperativa)\s+(?:de\s+)?(?:[Ee]l\s+|[Ll]a\s+)?"
                           r"[A-ZÁÉÍÓÚÑ]|\b(?:SAC|S\.A\.C|EIRL|SRL|S\.A\.)\b")
# An organisation's name the article does not give ("la Sociedad Nacional de Pesquería").
ORGANISATION_NAME = re.compile(
    r"\s(?:la\s+|el\s+)?(?:sociedad|camara|asociacion|confederacion|federacion|gremio|consejo|"
    r"colegio|instituto|sistema|servicio|superintendencia|agencia|corporacion|"
    r"comite|fondo|oficina)(?:\s+(?:de|del|la|las|los|y|e|para))*"
    # A name's words, not the verb or preposition that follows it ("¿qué gremio trabajó con los panaderos?").
    r"(?:\s+(?!cuant|cual|que\b|como\b|donde\b|hicieron|hizo|fue|fueron|es\b|son\b|era|"
    r"participo|participaron|trabaj|apoy|ejecut|tuvo|tuvieron|dio\b|dieron|atendi|llev|ayud|organiz|estuv|"
    r"tiene|tienen|con\b|por\b|sin\b)[a-z]{3,}){1,4}"
)
# "¿cuántas hubo en cada uno?", "¿cuántas eran micro y cuántas pequeñas?": a breakdown the article does not give.
BREAKDOWN = re.compile(
    r"\s(cada uno|cada una|por cada|cada sector|cada organizacion|cada gremio|cada pais|"
    r"cada proyecto|cada camara|por tamano|por tipo|cuantas eran micro|cuantas micro|microempresas y|"
    r"eran microempresas|cuantas medianas|cuantas pequenas y|"
    r"cuantas pequenas|cuantas medianas|por separado|desglose|por organizacion|por sector|por pais|por proyecto|"
    r"por gremio|por camara|por region|por departamento|por ciudad|"
    r"cada ano|por ano|al ano|anualmente|ano por ano)\s"
)
# "¿cuántas micro, pequeñas y medianas empresas…?": the three sizes together are the mipymes, not a breakdown.
ALL_SIZES = re.compile(r"\smicro\w*\s+(?:y\s+)?pequenas\s+y\s+medianas\s")
# "¿fue Perú el país con más…?": comparisons between countries the article does not make.
COMPARISON = re.compile(r"\s(con mas|el que mas|la que mas|el mas|la mas|mayor numero|mayor cantidad|primer lugar|"
                        r"mas mypes|mas pymes|mas negocios|"
                        r"mas grande|"
                        r"mas beneficiado|mas beneficiadas|mas mipymes|mas empresas|ranking|segundo lugar)\s")
EU_AS_PLACE = re.compile(r"\s(?:la\s+)?(?:union europea|ue|europa)\s")


@dataclass(frozen=True)
class Frame:
    text: str
    asked: Tuple[str, ...]
    thing: Optional[str]
    things: Tuple[str, ...]
    peru: bool = False
    total: bool = False
    per_day: bool = False
    country: Optional[str] = None  # another country named
    place: Optional[str] = None  # a city or region of Peru named
    sector: Optional[str] = None  # a sector of the knowledge file (folded key)
    other_sector: Optional[str] = None  # a sector it does not list
    organisation: Optional[str] = None  # an acronym of the knowledge file
    organisations: Tuple[str, ...] = ()  # every one named ("¿Adex es lo mismo que la SNI?")
    breakdown: bool = False
    comparison: bool = False
    follow_on: bool = False  # "y …", "tb …": continues the conversation
    other_organisation: Optional[str] = None
    eu: Tuple[str, ...] = ()  # "funder" / "creator" named
    ordinal: Optional[int] = None
    yes_no: bool = False
    stated: bool = False  # it states something (a verb, a figure), not only names a thing
    premise: Premise = field(default_factory=Premise)
    foreign: Tuple[str, ...] = ()
    inherited: bool = False  # the thing came from the conversation, not this text

    @property
    def asks(self) -> str:
        """The main question word: count, when, where, who, what, which, how, why, hour or yesno."""
        for kind in ("hour", "count", "when", "where", "who", "why", "how", "what", "which"):
            if kind in self.asked:
                return kind
        return "yesno" if self.yes_no else "what"

    def narrowed(self) -> bool:
        return any((self.peru, self.total, self.per_day, self.country, self.place, self.sector,
                    self.other_sector, self.organisation, self.other_organisation, self.ordinal is not None))

    def with_thing(self, thing: str) -> "Frame":
        return replace(self, thing=thing, inherited=True)


def _blank(text: str, spans, fill: str = " ") -> str:
    """The text with the matched spans overwritten (positions kept): by spaces, or by '#'
    so that no pattern reads across them."""
    chars = list(text)
    for start, end, *_ in spans:
        chars[start:end] = fill * (end - start)
    return "".join(chars)


def _first_key(table: Dict[str, Pattern], text: str) -> Optional[Tuple[str, int, int, str]]:
    best = None
    for key, pattern in table.items():
        m = pattern.search(text)
        if m and (best is None or m.start() < best[1]):
            best = (key, m.start(), m.end(), m.group(0))
    return best


def _things(text: str, asked_ends: List[int]) -> Tuple[Optional[str], Tuple[str, ...]]:
    """The head thing (the first one right after a question word, else by THINGS' order) and all things named."""
    found = _found(text)
    if not found:
        return None, ()
    order = list(THINGS)
    names = tuple(sorted({k for _, _, k in found}, key=order.index))
    adjacent = _right_after(found, asked_ends)
    return (adjacent or names[0]), names


def _right_after(found: List[Tuple[int, int, str]], asked_ends: List[int]) -> Optional[str]:
    """The thing named right after a question word, or in a phrase that includes it ("cómo se llama")."""
    order = list(THINGS)
    for end in sorted(asked_ends):
        after = sorted((max(pos, end), order.index(k), k) for pos, stop, k in found if pos >= end - 1 or stop > end + 1)
        if after and after[0][0] - end <= 12:
            return after[0][2]
    return None


# "mi jefa me pidió…", "nuestro gerente": the asker's own people are not what is asked.
_OWN_PERSON = re.compile(r"\s(?:mi|mis|nuestro|nuestra|nuestros|nuestras|soy|somos|como)\s+"
                         r"(?:el\s+|la\s+|un\s+|una\s+)?"
                         r"(?=(?:jefe|jefa|gerente|director|directora|"
                         r"coordinador|coordinadora|presidente|presidenta|encargado|encargada|lider)\s)")


def _found(text: str) -> List[Tuple[int, int, str]]:
    own = [m.end() for m in _OWN_PERSON.finditer(text)]
    return [(m.start(), m.end(), key) for key, pattern in THINGS.items() for m in pattern.finditer(text)
            if not (key == "person" and m.start() in own)]


def _asked(text: str) -> Tuple[List[str], List[int]]:
    """The question words (count, when, who…) and where each ends."""
    spans = [(m.start(), m.end(), key) for key, pattern in ASKED.items() for m in pattern.finditer(text)]
    # "como" asks how only near the start, never before a number ("¿como 300?").
    how = ASKED["how"].search(text)
    if how and (how.start() > 12 or re.match(r"\s*(\d|unas|unos|mas|menos)", text[how.end():])):
        spans = [s for s in spans if s[2] != "how"]
    # After a stated figure, "donde"/"cuando" open a relative clause, not a question:
    # "¿eran 15 países donde se hizo?" checks the figure.
    figure = next((m for m in re.finditer(r"\s(\d+)\s+\w+", text) if not 1990 <= int(m.group(1)) <= 2035), None)
    if figure:
        spans = [s for s in spans if s[2] not in ("where", "when", "who") or s[0] < figure.start()]
    # "que" opens a which-question only at the start ("¿qué sectores…?").
    wh = WH_START.search(text)
    if wh:
        spans.append((wh.start(), wh.end(), "what"))
    more = re.search(r"(?<!\slos)(?<!\slas)(?<!\slo)\s(?:que|cual|cuales) mas\s", text)
    if more and not wh:  # "¿y a nivel institucional qué más pudieron hacer?" (not "los que más")
        spans.append((more.start(), more.end(), "what"))
    asked = list(dict.fromkeys(k for _, _, k in sorted(spans)))
    if wh and "which" in asked and "what" in asked and not ASKED["what"].search(text):
        asked.remove("what")
    return asked, [e for _, e, _ in spans]


@dataclass(frozen=True)
class _Names:
    """What a question names: organisations, sectors and places, and the text without the
    organisations' names ("Cámara de Comercio de Lima" says nothing about Lima)."""

    rest: str
    organisation: Optional[str]
    organisations: Tuple[str, ...]
    other_organisation: Optional[str]
    eu: Tuple[str, ...]
    sector: Optional[str]
    other_sector: Optional[str]
    country: Optional[str]
    place: Optional[str]


def _names(text: str) -> _Names:
    organisation = _first_key(ORGANISATIONS, text)
    other_org = OTHER_ORGANISATION.search(text)
    if not other_org:  # a name beside the ones of the file: "la SNI es el Sistema Nacional de Inversiones"
        other_org = ORGANISATION_NAME.search(_blank(text, [m.span() for p in ORGANISATIONS.values()
                                                           for m in p.finditer(text)], fill="#"))
    rest = _blank(text, [(organisation[1], organisation[2])] if organisation else [])
    if other_org:
        rest = _blank(rest, [(other_org.start(), other_org.end())])
    sector = _first_key(SECTORS, rest)
    other_sector = OTHER_SECTOR.search(rest) if not sector else None
    country = OTHER_COUNTRY.search(rest)
    place = PLACE_IN_PERU.search(rest)
    return _Names(
        rest=rest,
        organisation=organisation[0] if organisation else None,
        organisations=tuple(k for k, p in ORGANISATIONS.items() if p.search(text)),
        other_organisation=other_org.group(0) if other_org else None,
        eu=tuple(k for k, p in EU.items() if p.search(text)),
        sector=sector[0] if sector else None,
        other_sector=other_sector.group(0) if other_sector else None,
        country=country.group(0) if country else None,
        place=place.group(0) if place else None,
    )


def _total_over_countries(rest: str, asked: List[str], text: str) -> Tuple[str, bool]:
    """"en todos los países" narrows a count ("¿cuántas en total, en los 18 países?");
    "¿cuáles son los 18 países?" asks for them."""
    spans = [m for m in SCOPES["total"].finditer(rest) if "paises" in m.group(0)]
    if not spans or "which" in asked or WH_START.search(text):
        return rest, False
    blanked = _blank(rest, [(m.start(), m.end()) for m in spans])
    left = _things(blanked, [])[1]
    # only when what is counted is another thing, or is left to the conversation
    if not left or any(t in ("mipymes", "projects", "share") for t in left):
        return blanked, True
    return rest, False


def _head(rest: str, asked: List[str], asked_ends: List[int], names: _Names) -> Tuple[Optional[str], Tuple[str, ...]]:
    """What the question is about: the thing after its question word, corrected by what it names."""
    thing, things = _things(rest, asked_ends)
    countable = [t for t in things if t in COUNTABLE]
    # "¿cuáles fueron las organizaciones responsables de los 6 proyectos?": a figure after "de los"
    # refers to what the question is about, it does not say what is asked.
    referred = re.search(r"\s(?:los|las)\s+\d+\s", rest) and _right_after(_found(rest), asked_ends)
    if thing not in COUNTABLE and countable and re.search(r"\s\d+\s", rest) and not referred:  # "¿a unas 49 mil?"
        thing = countable[0]
    elif thing not in COUNTABLE and countable and "count" in asked and not _right_after(_found(rest), asked_ends):
        # "en qué países se hizo, cuántos eran", "de las empresas que ayudaron, ¿cuántas eran de acá?"
        thing = min(countable, key=lambda t: THINGS[t].search(rest).start())
    if "money" in things and thing in COUNTABLE:  # "¿cada empresa recibió 10 mil soles?"
        thing = "money"
    # A figure is checked against what it counts: "¿se ejecutaron 6 proyectos?", "¿duró 4 años?".
    counted = re.search(r"\s\d+\s+(?:(?:las|los)\s+)?(%|por ciento|\w+)", rest)  # "¿eran 90 las instituciones…?"
    if counted:
        named_thing = _things(" " + counted.group(1) + " ", [])[0]
        if named_thing in COUNTABLE and not names.organisation and "money" not in things and not referred:
            thing = named_thing
        if re.search(r"\s\d+\s+de\s+(los|las)\s+\d+\s", rest) and names.organisation:  # "¿la CCL ejecutó 3 de los 6?"
            thing, things = "projects", things + ("projects",)
        if named_thing == "share" and "results" in things:  # "¿la productividad aumentó en 20 %?"
            thing = "improvement"
    if thing == "new_programme" and "results" in things and not re.search(
            r"\s(programa|fase|edicion|etapa|anunci\w*|futuro|proximo)\s", rest):  # "¿qué desarrollaron de nuevo?"
        thing = "results"
    if "who" in asked and re.search(r"\sa quien(?:es)?\s+(?:\w+\s+)?(?:beneficio|beneficiaba|beneficiaron|ayudo|"
                                    r"ayudaron|apoyo|apoyaron|atendio|atendieron|llego)\s", rest):
        thing, things = "mipymes", tuple(t for t in things if t != "results") + ("mipymes",)  # not the results
    if thing == "organisations" and "creator" in things and not names.organisation:  # "¿qué entidad lo creó?"
        thing = "creator"
    # A named organisation is what the question is about ("¿qué papel tuvo la SNI?",
    # "¿Adex participó en los proyectos?"), unless a count or a contact is asked of it.
    if names.organisation:
        if "organisations" not in things:
            things = things + ("organisations",)
        asks_of_it = ("count" in asked or "what" in asked or "which" in asked) and thing in ("mipymes", "projects") or (
            thing == "projects" and re.search(r"\s\d+\s+de\s+(los|las)\s+\d+\s", rest))  # "¿la CCL hizo 3 de los 6?"
        if (
            len(names.organisations) > 1 or thing not in ("contact", "people", "names", "money", "person")
        ) and not asks_of_it:
            thing = "organisations"
    if (names.sector or names.other_sector) and thing in (None, "programme", "mipymes") and "count" not in asked:
        thing, things = "sectors", things + ("sectors",)
    elif (names.sector or names.other_sector) and thing in (None, "programme") and "count" in asked:
        thing = "mipymes"  # "¿cuántas panaderías fueron parte del programa?": mipymes of that sector
    if thing in ("mipymes", "share") and "improvement" in things and "count" in asked:
        thing = "improvement"  # "¿en cuánto subieron las exportaciones de las mipymes?"
    return thing, things


# "¿quién lo creó, la Comisión Europea?", "¿qué se anunció, algún programa nuevo?": the
# question ends with the answer it expects, to be confirmed or denied.
_GUESS = re.compile(r",\s*(?:o\s+)?(?:[a-z]+\s+)?(?:algun|alguna|algunos|un|una|el|la|los|las|su|sus)\s+[a-z ]{3,40}$")


# "¿Fue la Comisión Europea quien lo creó?": a name to confirm, not a question of who.
_CLEFT = re.compile(r"\s(?:fue|era|es|fueron)\s+(?:la|el|los|las)\s+(?:\w+\s+){1,4}(?:quien|quienes|la que|el que)\s")
# "Como es el 5.0, el programa duró 5 años, ¿no?": a figure and a tag at the end check it, whatever "como" began.
_TAG_AT_END = re.compile(r"\s(?:no|verdad|cierto|correcto)\s*$")


def _guess_at_end(raw: str, asked: List[str]) -> bool:
    return bool(set(asked) & {"who", "what", "which"}) and "count" not in asked and bool(
        _GUESS.search(raw.strip(" ?¿!.")))


def read(n: Normalised, marked: bool = False) -> Optional[Frame]:
    """One normalised question as a frame, or None when it names nothing and asks nothing."""
    text = n.text
    asked, asked_ends = _asked(text)
    names = _names(text)
    rest, total_forced = _total_over_countries(names.rest, asked, text)
    rest = re.sub(r"\s(?:ademas|aparte|fuera) de (?:los |sus )?resultados\s", " ", rest)  # "¿qué más, además de…?"
    rest = re.sub(r"\ssac(?:aron|o) adelante\s", " llevaron adelante ", rest)  # who carried it out, not what they got
    # "¿cuál es el número exacto según la fuente?": where the answer comes from, not what is asked
    rest = re.sub(r"\s(?:segun|de acuerdo (?:a|con)|conforme a)\s+(?:la|tu|su)\s+(?:fuente|nota|articulo)\s", " ", rest)
    rest = re.sub(r"\sque\s+\w+\s+tan\s+\w+(?=\s)", " ", rest)  # "¡qué nombre tan raro!": an exclamation asks nothing
    thing, things = _head(rest, asked, asked_ends, names)
    country = names.country
    if COMPANY_NAMED.search(n.raw):
        things = things + ("names",)
    if EU_AS_PLACE.search(rest) and "countries" in things and "programme" not in things and not country:
        country = EU_AS_PLACE.search(rest).group(0)
    ordinal = ORDINAL.search(text)
    if ordinal and "names" in things:  # "¿y la segunda cómo se llama?": an item of the list just given
        things = tuple(t for t in things if t != "names")
        thing = None if thing == "names" else thing
    premise = read_premise(rest, tuple(x for x in (names.other_organisation, names.place, country) if x))
    if premise.number is not None and set(asked) - {"count"} and re.search(
            rf"\s(?:los|las)\s+{premise.number}\s", rest):  # "¿qué fortalecieron los 6 proyectos?": a reference
        premise = replace(premise, number=None, bound="")
    # A yes/no question states something to check (a figure, a month, a format,
    # a verb: "¿Adex participó?") or is written as a question with no question
    # word ("¿es un programa de cooperación?"); "la ccl" alone asks what it is.
    states = bool(premise.number is not None or premise.months or premise.format or premise.years
                  or YES_NO_TAG.search(text) or STATING_VERB.search(text))
    guess = _guess_at_end(n.raw, asked) or bool(_CLEFT.match(text))
    states = states or guess
    frame = Frame(
        text=text, asked=tuple(asked), thing=thing, things=things,
        peru=bool(SCOPES["peru"].search(rest)),
        # "la cámara de mi región" is the asker's region, not the programme's
        total=total_forced or bool(SCOPES["total"].search(re.sub(r"\s(?:mi|nuestra|tu|su)\s+region\s", " ", rest))),
        per_day=bool(SCOPES["per_day"].search(rest)),
        country=country, place=names.place, sector=names.sector, other_sector=names.other_sector,
        organisation=names.organisation, organisations=names.organisations,
        other_organisation=names.other_organisation, eu=names.eu,
        breakdown=bool(BREAKDOWN.search(text)) and not ALL_SIZES.search(text),
        comparison=bool(COMPARISON.search(text)),
        follow_on=bool(re.match(r"\s(y|tb|tambien|ademas|e|despues|luego|dame|dime|me das|me dices|pasame|"
                                r"si (?:fue|es|era|hubo|se|tuvo|habra|sera))\s", text)),  # "… y si fue virtual"
        ordinal=lx.ORDINALS[ordinal.group(0)] if ordinal else None,
        yes_no=(states or marked) and (not set(asked) & QUESTION_WORDS or checks_at_end(text, premise) or guess or (
            premise.number is not None and set(asked) <= {"how", "what"} and bool(_TAG_AT_END.search(text)))),
        stated=states, premise=premise, foreign=n.foreign,
    )
    if frame.thing is None and not frame.narrowed() and not frame.asked and not frame.eu and not frame.follow_on and (
            premise.number is None):  # "¿no eran 10?", "¿el 12 también?": a figure to check against the conversation
        return None
    return frame
