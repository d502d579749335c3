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
from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

from actions.knowledge.answers import Answer
from actions.knowledge.loader import Knowledge
from actions.understanding import lexicon
from actions.understanding.frames import Frame, read
from actions.understanding.normalise import add_words, normalise, segments
from actions.understanding.resolve import Resolver, answer_all, thing_of_topic


@dataclass(frozen=True)
class Understanding:
    answer: Optional[Answer]  # what to say, or None: nothing this layer can answer
    frames: Tuple[Frame, ...]
    asks_source: bool  # "¿de dónde sacaste eso?"
    anchored: bool  # the message (or the conversation) names this assistant's subject
    foreign: Tuple[str, ...]  # words of the message it could not place


def _fill(f: Frame, context: Optional[str]) -> Optional[Frame]:
    """A question that names no thing is about the thing of the conversation."""
    if f.thing and not (f.thing == "programme" and context and (f.narrowed() or f.asks == "count")):
        return f
    if context:
        return f.with_thing(context)
    if f.peru or f.total or f.country or f.place:
        return f.with_thing("mipymes")
    if f.asks == "when" or f.ordinal is not None:
        return f.with_thing("event")
    if f.eu:
        return f.with_thing("creator")
    return f if f.thing else None


def understand(text: str, k: Knowledge, last_topic: Optional[str] = None, today: Optional[dt.date] = None) -> Understanding:
    add_words([o.acronym for o in k.organisations] + [o.name for o in k.organisations] + list(k.sectors))
    resolver = Resolver(k, today)
    context = thing_of_topic(last_topic)
    frames: List[Frame] = []
    answers: List[Answer] = []
    foreign: List[str] = []
    asks_source = False
    read_segments = []
    for segment in segments(text):
        n = normalise(segment.text)
        foreign.extend(n.foreign)
        frame = read(n)
        if frame is not None:
            read_segments.append((segment, frame))
    # A greeting or a self-introduction around the question ("soy dueña de una
    # panadería en Arequipa. ¿…?") is context, not a question of its own.
    questions = [f for s, f in read_segments if s.marked or f.asked]
    background = [f for s, f in read_segments if not (s.marked or f.asked)]
    for frame in questions or background:
        if frame.thing == "source":
            asks_source = True
            continue
        frame = _borrow(frame, background if questions else [])
        filled = _fill(frame, context)
        if filled is None:
            frames.append(frame)
            continue
        frames.append(filled)
        answer = resolver.resolve(filled)
        if answer is not None:
            answers.append(answer)
            context = filled.thing if filled.thing != "programme" else context
    anchored = any(_anchored(f) for f in frames)
    return Understanding(answer_all(answers) if answers else None, tuple(frames), asks_source, anchored, tuple(foreign))


def _borrow(f: Frame, background: List[Frame]) -> Frame:
    """"¿Mi rubro participó?" after "tengo una panadería": the sector named before."""
    if f.sector or f.other_sector or " mi " not in f.text:
        return f
    for b in background:
        if b.sector or b.other_sector:
            return replace(f, sector=b.sector, other_sector=b.other_sector, things=f.things + ("sectors",),
                           thing="sectors" if f.thing in (None, "mipymes", "programme") else f.thing)
    return f


def _anchored(f: Frame) -> bool:
    """Whether the question itself names the assistant's subject, not only a generic word."""
    if f.inherited or f.organisation or f.sector or f.eu or f.peru:
        return True
    return any(t not in lexicon.GENERIC_THINGS for t in f.things)


__all__ = ["Understanding", "understand", "replace"]
