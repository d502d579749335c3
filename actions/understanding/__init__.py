"""Understanding what a message asks, in the words people really write.

No Rasa here (like ``actions.knowledge``): ``understand`` takes the raw text,
the topic of the bot's last answer and the knowledge, and returns what to say.

1. ``normalise``: fold accents, undo elongations and typos, digits for numbers;
   cut the message into its questions (a greeting and a self-introduction
   before the question are left out, two questions become two).
2. ``frames``: read each question as *what is asked* about *what*, narrowed
   by *where or which*, with any premise it states.
3. ``resolve``: look the frame up in the knowledge file: the fact, "Sí"/"No"
   and the fact for a premise, or "la fuente no lo indica" where the file has
   no value for it.  A question that names no thing takes the thing of the
   previous question or answer ("¿y en total?").

The intent the NLU model predicts is used by the action only when this finds
nothing (actions/actions.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

from actions.knowledge.answers import Answer
from actions.knowledge.spanish import fold
from actions.knowledge.loader import Knowledge
from actions.understanding.frames import Frame
from actions.understanding.message import read_message
from actions.understanding.normalise import add_words
from actions.understanding.context import answer_all, thing_of_topic
from actions.understanding.resolve import Resolver
from actions.understanding.scope import TASK, anchored, elsewhere, english


@dataclass(frozen=True)
class Understanding:
    answer: Optional[Answer]  # what to say, or None: nothing this layer can answer
    frames: Tuple[Frame, ...]
    asks_source: bool  # "¿de dónde sacaste eso?"
    anchored: bool  # the message (or the conversation) names this assistant's subject
    foreign: Tuple[str, ...]  # words of the message it could not place
    foreign_nouns: Tuple[str, ...]  # of those, the ones where a noun stands ("un vuelo a Bruselas")
    off_topic: bool = False  # every question of it is about another subject
    english: bool = False  # written in English (not only a few English words in Spanish)


def _fill(f: Frame, context: Optional[str]) -> Optional[Frame]:
    """A question that names no thing is about the thing of the conversation.

    A question word alone ("¿cuántas?") is not: it is asked back."""
    if not f.thing and f.asks == "where" and len(f.text.split()) == 1 and context in (
            "duration", "programme", "creator", "institutions", "countries"):
        return replace(f, thing="programme", inherited=True)  # "¿cuántos años duró?" "¿y dónde?": in the 18 countries
    if not f.thing and len(f.text.split()) == 1 and f.asked and not (context and f.asks in ("which", "what")) and not (
            context == "event" and f.asks in ("where", "when", "hour", "how")):
        return None  # "¿cuántas?" alone; "¿cuáles?" after a topic asks for its list, "¿y dónde?" after the event
    if not f.thing and context and f.asks == "count" and _BACK.search(f.text):
        return replace(f, thing=context, total=False, inherited=True)  # "¿cuántos son en total los que mencionas?"
    if context == "event" and f.thing in ("money", "contact", "apply", "people", "person", "platform") and (
            "event" not in f.things):  # "¿y cuánto cuesta la entrada?" after the event
        return replace(f, things=f.things + ("event",))
    if context == "event" and f.thing in (None, "duration") and not re.search(r"\sprograma|al invest", f.text):
        return replace(f, thing="event", things=f.things + ("event",), inherited=True)  # "¿y cuántos días son?"
    if context in ("results", "focus", "role", "programme", "creator") and not f.thing and f.asks == "count":
        return replace(f, thing="mipymes", inherited=True)  # "¿qué lograron?" "¿y cuántas eran?"
    if context == "results" and f.asks in ("which", "what") and re.match(
            r"\s*(?:y\s+)?(?:con|entre)\s+(?:que|cuales)\s", f.text):
        return replace(f, thing="alliances", inherited=True)  # "¿con qué empresas o entidades?" after the alliances
    if context == "countries" and f.thing == "mipymes" and f.follow_on and not (f.peru or f.total) and len(
            f.text.split()) <= 3:  # "¿en cuántos países?" "¿y mipymes?": in all of them
        return replace(f, total=True)
    if context == "new_programme" and f.thing == "names" and len(f.things) == 1:  # "¿y cómo se llamará?"
        return replace(f, thing="new_programme", things=f.things + ("new_programme",), inherited=True)
    if context == "new_programme" and f.thing == "sectors" and not (f.sector or f.other_sector):
        return replace(f, thing="new_programme", things=f.things + ("new_programme",))  # "¿y para qué sector?"
    if context == "results" and f.thing == "new_programme" and not re.search(
            r"\s(programa|fase|edicion|etapa|anunci\w*|futuro|proximo)\s", f.text):  # "¿y qué desarrollaron de nuevo?"
        return replace(f, thing="results", things=f.things + ("results",))
    if context == "organisations" and (f.thing == "role" or f.thing == "programme" and re.search(
            r"\s(hizo|hicieron|hace|aporto|papel|rol)\s", f.text)):  # "¿y qué papel tuvo?" after an organisation
        return replace(f, thing="organisations", things=f.things + ("organisations",), inherited=True)
    if f.thing and context == "event" and f.thing in ("creator", "focus", "results", "activities") and not re.search(
            r"\sprograma|al invest", f.text):  # "¿y para qué se organizó?" after the event
        return replace(f, things=f.things + ("event",))
    if f.thing and not (f.thing == "programme" and context and (f.narrowed() or f.asks == "count")):
        return f
    if f.total and f.asks == "count" and context not in resolve_countable():  # "¿cuántas en total?"
        return replace(f, thing="mipymes")
    if context:
        return f.with_thing(context)
    # No conversation yet: the likeliest thing, which is not evidence of our subject.
    if f.peru or f.total or ((f.country or f.place or f.sector or f.other_sector) and (
            f.asks == "count" or f.premise.number)):  # "¿cuántas panaderías participaron?"
        return replace(f, thing="mipymes")
    if f.asks == "when" and _WILL_START.search(f.text):  # "¿y cuándo empezaría?": only the new programme is to come
        return replace(f, thing="new_programme")
    if f.asks == "when" or f.ordinal is not None:
        return replace(f, thing="event")
    if f.eu:
        return replace(f, thing="creator")
    return f if f.thing else None


# A start still to come: the article announces only one thing for the future, the new programme.
_WILL_START = re.compile(r"\s(?:empez|comenz|arranc|inici|lanz|sald)\w*(?:aria|eria|iria|ara|era|ira|aran|eran|iran)\s")
# "los que mencionas", "esos": what the last answer listed.
_BACK = re.compile(r"\s(?:los|las)\s+que\s+(?:mencion|nombr|dij|list|pusi|diste)\w*\s|\s(?:de\s+)?(?:esos|esas)\s*$")


# The knowledge object whose words the corrector has learnt (the object itself: an id
# may be reused once a reloaded file's old object is gone).
_TAUGHT: List[Knowledge] = []


def _teach(k: Knowledge) -> None:
    """The article's own words are never "another subject" ("esfuerzo conjunto"); once per
    knowledge file loaded (the store reloads it when the file changes)."""
    if _TAUGHT and _TAUGHT[0] is k:
        return
    add_words([o.acronym for o in k.organisations] + [o.name for o in k.organisations] + list(k.sectors)
              + list(k.sentences.values()))
    read_message.cache_clear()  # what was read before may read otherwise now
    _TAUGHT[:] = [k]


def understand(text: str, k: Knowledge, last_topic: Optional[str] = None, today: Optional[dt.date] = None,
               intent: Optional[str] = None, previous: Optional[str] = None) -> Understanding:
    """What the message asks and what to answer; ``intent`` is the NLU model's guess, used
    only to tell another subject from ours when the words alone are not enough;
    ``previous`` is the user's message before this one ("¿Participó Adex?" "¿y la CCL?")."""
    _teach(k)
    resolver = Resolver(k, today)
    context = thing_of_topic(last_topic)
    frames: List[Frame] = []
    answers: List[Answer] = []
    asks_source = False
    message = read_message(text)
    capitals = message.capitals
    foreign = [w for s in message.read for w in s.n.foreign]
    nouns = [w for s in message.read for w in s.n.foreign_nouns]
    off = []
    before = _last_question(previous)
    for n, frame in message.questions:
        if frame.thing == "source":
            asks_source = True
            continue
        frame, before = _like(frame, before), frame
        frame = _in_message(frame, message.background, last_topic, first=not answers)
        if context == "new_programme" and frame.thing is None and frame.asks in ("when", "where", "hour", "how") and (
                " region " not in frame.text) and not _WILL_START.search(frame.text):
            # ("¿en qué región?" asks of the lines of intervention; "¿cuándo empezaría?" of the programme)
            context = "event"  # "¿qué se anunció en el cierre y cuándo fue?": the event's date
        filled = _fill(frame, context)
        if filled is None:
            frames.append(frame)
            if elsewhere(frame, n, context, intent, capitals):  # "¿qué es el Mercosur?"
                off.append(frame)
            continue
        frames.append(filled)
        if elsewhere(filled, n, context, intent, capitals):
            off.append(filled)
            continue
        answer = resolver.resolve(filled)
        if answer is not None:
            answers.append(answer)
            context = thing_of_topic(answer.topic) or context
    if TASK.search(f" {fold(text)} "):  # the whole message: the task may sit in a sentence that asks nothing
        answers, off = [], off or list(frames)  # "tradúceme al inglés: pequeña empresa familiar": all of it is the task
    if off and answers and not any(anchored(f) for f in frames if f not in off):
        answers = []  # "¿Qué es Erasmus+ y cómo postulo?": the second question is about the first
    in_english = english(text)
    return Understanding(None if in_english else (answer_all(answers) if answers else None), tuple(frames),
                         asks_source, any(anchored(f) for f in frames), tuple(foreign), tuple(nouns),
                         off_topic=bool(off) and not answers, english=in_english)


def _last_question(previous: Optional[str]) -> Optional[Frame]:
    questions = read_message(previous).questions if previous else []
    return questions[-1][1] if questions else None


def _like(f: Frame, before: Optional[Frame]) -> Frame:
    """"¿y la CCL?", "¿y en toda la región?": an ellipsis asks what the question before it asked."""
    if before is not None and before.organisation and before.thing in ("projects", "mipymes") and (
            not f.thing and not f.organisation and f.total and set(f.asked) <= {"count"} and "count" in before.asked):
        # "¿cuántos llevó la CCL?" "¿y en total?": all four organisations', in Peru
        return replace(f, thing=before.thing, things=(before.thing,), total=False)
    short = len(f.text.split()) <= 4 or re.match(r"\s(?:y|e)\s+(?:en|a nivel|para|de|por)\s", f.text)
    if before is None or not f.follow_on or f.asked or f.stated or not (f.things or f.narrowed()) or not short or (
            len(f.text.split()) > 8 or re.search(r"\s(que|cual|cuales|como|cuando|donde|quien|cuant\w*)\s", f.text)):
        return f
    return replace(f, asked=before.asked, yes_no=before.yes_no, stated=before.yes_no and before.stated)


def _in_message(frame: Frame, background: List[Frame], last_topic: Optional[str], first: bool) -> Frame:
    """A question with what the rest of the message and the last answer leave to it."""
    frame = _borrow(frame, background)
    if any(anchored(b) and (set(b.things) & set(frame.things) or frame.thing in (
            "contact", "apply", "person", "money", "people")) for b in background):
        frame = replace(frame, inherited=True)  # "…conectarme al evento de cierre… ¿me pasas el link de la sesión?"
    if last_topic == "organisation" and first and frame.asks == "count" and not frame.organisation and (
            frame.thing in ("projects", "mipymes") and not (frame.peru or frame.total)) and (
            frame.thing == "projects" and len(frame.text.split()) <= 5 or re.search(
                r"\s(esa|ese|esta|este|ella|dicha|atendio|apoyo|ayudo|llevo|hizo|tuvo|ejecuto)\s", frame.text)):
        # "¿la CCL participó?" "¿con cuántos proyectos?" (not "¿cuántas mypes peruanas se beneficiaron?")
        frame = replace(frame, organisation="esa organización")
    return frame


def _borrow(f: Frame, background: List[Frame]) -> Frame:
    """What the question leaves to the sentences before it: "sumando todos los países, ¿a
    cuántas llegó?" (the total), "… Adex. ¿Qué significa esa sigla?" (the organisation),
    "tengo una panadería, ¿mi rubro participó?" (the sector)."""
    # "en toda la región, no solo en Perú"
    if background and not (f.peru or f.total) and any(
            b.total and (not b.peru or " no solo " in b.text) for b in background):
        f = replace(f, total=True)
    if background and f.thing == "names" and background[-1].organisation and not f.organisation:
        b = background[-1]  # "…PeruCámaras… ¿cómo se llama completa esa institución?"
        return replace(f, organisation=b.organisation, organisations=b.organisations, thing="organisations",
                       things=f.things + ("organisations",))
    named = [b for b in background if b.thing or b.organisation]
    if named and f.thing is None and set(f.asked) <= {"which", "what"} and any("count" in b.asked for b in background):
        f = replace(f, asked=("count",))  # "…necesito la cifra exacta. ¿Cuál es?"
    if named and f.thing is None:
        b = named[-1]  # "El titular habla de 5.300 mipymes… necesito la cifra exacta. ¿Cuál es?"
        if b.thing in ("names", "organisations", "institutions") and not b.organisation:
            b = next((o for o in reversed(named) if o.organisation), b)  # "…la sigla PeruCámaras… el nombre completo"
        if b.organisation and not f.organisation:
            f = replace(f, organisation=b.organisation, organisations=b.organisations, thing="organisations",
                        things=f.things + ("organisations",))
        elif b.thing:  # with where it narrows to: "…cuántas empresas de Cajamarca… ¿Se tiene ese dato?"
            # "soy jefa de prensa de una municipalidad… difundir el evento de cierre. ¿En qué mes?": the asker's
            # own post and office introduce them; the other thing named is the subject.
            thing = b.thing if b.thing not in ("person", "ministry") else next(
                (t for t in b.things if t not in ("person", "ministry", "mipymes")), b.thing)
            place = f.place or (b.place if thing != "event" else None)  # the event had no place
            f = replace(f, thing=thing, things=f.things + b.things, place=place,
                        country=f.country or b.country)
    if f.thing == "share" and not f.peru and any("improvement" in b.things for b in background):
        f = replace(f, thing="improvement")  # "…cuánto aumentó la productividad… ¿Cuál fue ese porcentaje?"
    if _of_the_event(f, background):  # "sobre el evento de cierre: ¿cuántos días dura?"
        f = replace(f, thing="event" if f.thing != "people" else "people", things=f.things + ("event",))
    if f.thing == "sectors" and not (f.sector or f.other_sector) and any(
            re.search(r"\slineas de intervencion\s", b.text) for b in background):  # "…las líneas… ¿con qué sector?"
        return replace(f, thing="new_programme", things=f.things + ("new_programme",))
    if f.sector or f.other_sector or not re.search(r"\s(mi|ese|este|dicho)\s+(rubro|sector|negocio)\s|\s(ese|este)\s*$",
                                                   f.text):
        return f
    for b in background:
        if b.sector or b.other_sector:
            return replace(f, sector=b.sector, other_sector=b.other_sector, things=f.things + ("sectors",),
                           thing="sectors" if f.thing in (None, "mipymes", "programme") else f.thing)
    return f


def _of_the_event(f: Frame, background: List[Frame]) -> bool:
    """A question of the duration, the people or the activities after a sentence on the closing event is of the
    event ("hablemos del evento de cierre, ¿en qué año es?"), not of the programme ("¿cuántos años duró?")."""
    return f.thing in ("duration", None, "people", "activities") and not re.search(
        r"\sprograma|al invest", f.text) and not (re.search(r"\sanos?\s", f.text) and f.asks != "when") and any(
        "event" in b.things and re.search(r"\sevento|\sclausura", b.text) for b in background)


def resolve_countable():
    from actions.understanding.frames import COUNTABLE

    return COUNTABLE


__all__ = ["Understanding", "understand"]
