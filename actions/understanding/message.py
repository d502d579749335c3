"""Which sentences of a message are its questions, and what the others add to them.

People write a greeting, who they are and why they ask, then the question; or
announce it ("Dos preguntitas:"), or refine it after the question mark ("…
cuántas eran de acá? en porcentaje digo").  This module reads every sentence
(``normalise`` + ``frames.read``) and sorts them:

- the questions: written questions ("¿…?") and what follows them ("y …"); in a
  message with none, its sentences with a question word;
- an announcement ("quisiera saber dos cosas") is not a question of its own;
- a short fragment right after a question ("en porcentaje digo", "en total")
  narrows that question;
- the rest is background, which a question may borrow from (``_borrow`` in
  ``__init__``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import FrozenSet, List, Optional, Tuple

from actions.knowledge.spanish import strip_accents
from actions.understanding.frames import COMPANY_NAMED, Frame, read
from actions.understanding.normalise import Normalised, normalise, segments


@dataclass(frozen=True)
class Sentence:
    text: str
    marked: bool  # written as a question: "¿…?"
    n: Normalised
    frame: Optional[Frame]


@dataclass(frozen=True)
class Message:
    questions: Tuple[Tuple[Normalised, Frame], ...]  # in order
    background: Tuple[Frame, ...]  # sentences that are not questions, in order
    read: Tuple[Sentence, ...]  # what the words of another subject are looked for in
    capitals: FrozenSet[str]  # folded words written with a capital: names


def capitalised(text: str) -> FrozenSet[str]:
    """The words written with a capital (folded): a name, when the word is not one of ours."""
    return frozenset(strip_accents(w) for w in re.findall(r"\w+", text) if w[:1].isupper())


def _announces(f: Frame) -> bool:
    """"Quisiera saber dos cosas", "una consulta": a request with nothing asked of anything."""
    return not f.things and not f.narrowed() and set(f.asked) <= {"what"} and not f.yes_no


_TAG = re.compile(r"\s*(?:(?:y|o|fue|es|era|asi|eso|cierto|verdad|correcto|no|si|entonces|acaso|seguro)\s*)+")


def _tags_checked(sentences: List[Sentence]) -> List[Sentence]:
    """"…el sector agropecuario estuvo entre los más activos. ¿Fue así?", "…necesito el nombre
    completo de PeruCámaras. ¿Me lo podría indicar?": the sentence with content before it is the question."""
    out = list(sentences)
    for i, s in enumerate(out):
        # "¿Fue así?", "¿Me lo podría indicar?": a question with nothing of its own.
        if not (s.marked and (_TAG.fullmatch(s.n.text) or s.frame is None)):
            continue
        before = next((j for j in range(i - 1, -1, -1) if out[j].frame is not None and out[j].frame.things), None)
        if before is not None and not out[before].marked:
            b = out[before]
            out[before] = Sentence(b.text, True, b.n, read(b.n, True))
            out[i] = Sentence(s.text, False, s.n, None)
    return out


# A sentence about the asker's own business or self, with no question word.
_OWN = re.compile(r"\s*(?:oe\s+|oye\s+|hola\s+|mira\s+)?"
                  r"(?:mi|mis|nuestro|nuestra|nuestros|nuestras|tengo|tenemos|soy|somos)\s")


# "Dos preguntas:", "quiero saber dos cosas": what follows are that many questions.
_SEVERAL = re.compile(r"\s(?:2|3) (?:cosas|preguntas|preguntitas|consultas|datos|dudas)\s")


def _figure_only(f: Frame) -> bool:
    return f.thing is None and not f.asked and f.premise.number is not None and len(f.text.split()) <= 5 and (
        not f.narrowed()) and not f.follow_on  # not "¿y el 19 también?": a question of its own


def _fragment(f: Frame) -> bool:
    """"en porcentaje digo", "en total", "en el Perú nomás": a few words that narrow, no question."""
    return len(f.text.split()) <= 4 and not f.asked and not f.organisation and (
        f.peru or f.total or "share" in f.things)


# "o sea de qué rubros", "es decir, cuántas": the question said again, better.
_RESTATED = re.compile(r"\s*(?:o sea|osea|es decir|digo|mejor dicho)\s")


def _narrowed_by(f: Frame, fragment: Frame) -> Frame:
    return replace(f, things=f.things + tuple(t for t in fragment.things if t not in f.things),
                   peru=f.peru or fragment.peru, total=f.total or fragment.total)


def _company(f: Frame) -> Frame:
    if f.thing in (None, "sectors", "mipymes", "names") or f.yes_no:
        return replace(f, thing="mipymes", things=f.things + ("names",), sector=None, other_sector=None)
    return f


@lru_cache(maxsize=512)  # pure; the previous message is read again for the next turn's ellipsis
def read_message(text: str) -> Message:
    sentences = [Sentence(s.text, s.marked, n, read(n, s.marked))
                 for s in segments(text) for n in (normalise(s.text),)]
    sentences = _tags_checked(sentences)
    found = [s for s in sentences if s.frame is not None]
    if any(s.marked for s in found):
        first = next(i for i, s in enumerate(found) if s.marked)
        # "¿cuál es el foco? tb quién lo creó": a question word after a written question, its "?" forgotten
        asked = [s for i, s in enumerate(found) if s.marked or s.frame.follow_on or (
            i > first and set(s.frame.asked) - {"what"} and s.frame.things)]
    else:
        asked = [s for s in found if s.frame.asked or s.frame.follow_on]
        # "dime el % de mipymes peruanas y la duración del programa": the thing named after "y" is asked too
        asked += [s for i, s in enumerate(found) if i and found[i - 1] in asked and s not in asked and s.frame.things
                  and re.match(r"\s(?:el|la|los|las)\s", s.n.text) and len(s.n.text.split()) <= 6]
        asked.sort(key=found.index)
    announced = next((i for i, s in enumerate(sentences) if _SEVERAL.search(s.n.text)), None)
    if announced is not None:  # "Quiero saber dos cosas: el número de … y el porcentaje …": each thing named is asked
        asked = [s for s in found if s in asked or (sentences.index(s) > announced and s.frame.things)]
    # "¿cuántas fueron? ¿más de 5 mil?": a figure alone right after a question checks it
    merged = [s for i, s in enumerate(asked) if i and _figure_only(s.frame)]
    if len(asked) > 1:  # "mi taller es chiquito, ¿cuánta plata me dan?": what the asker has, then the question
        asked = [s for s in asked if s is asked[-1] or s.frame.asked or not _OWN.match(s.n.text)]
    if len(asked) > 1:  # "Dos preguntitas: ¿…? ¿…?"
        asked = [s for s in asked if s.marked or not _announces(s.frame)] or asked
    kept = asked or found or sentences
    questions: List[Tuple[Normalised, Frame]] = []
    background: List[Frame] = []
    for s in found:
        if s in merged and questions and questions[-1][1].asks == "count" and not questions[-1][1].yes_no:
            n, f = questions[-1]
            questions[-1] = (n, replace(f, yes_no=True, stated=True, premise=s.frame.premise))
        elif s in asked:
            questions.append((s.n, s.frame))
        elif questions and _fragment(s.frame):
            n, f = questions[-1]
            questions[-1] = (n, _narrowed_by(f, s.frame))
        elif questions and _RESTATED.match(s.n.text) and s.frame.thing:
            questions[-1] = (s.n, s.frame)  # "¿qué negocitos fueron los que más…? o sea de qué rubros"
        else:
            background.append(s.frame)
    capitals = capitalised(text)
    if COMPANY_NAMED.search(text):  # "¿la empresa Gloria fue una de las beneficiadas?": a name it does not give
        questions = [(n, _company(f)) for n, f in questions]
    else:  # "¿Alicorp fue una de las beneficiadas?": a capitalised word it cannot place
        questions = [(n, _company(f) if f.yes_no and f.thing in (None, "mipymes") and capitals & set(n.foreign) else f)
                     for n, f in questions]
    if not questions:
        questions = [(s.n, s.frame) for s in kept if s.frame is not None]
    return Message(tuple(questions), tuple(background) if asked else (), tuple(kept), capitals)


__all__ = ["Message", "capitalised", "read_message"]
