"""The building blocks of an answer: a fact, the honest unknown, "Sí"/"No" before a fact.

``Resolver`` (resolve.py) and ``EventAnswers`` (event.py) look frames up with
these; they hold no decision of their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from actions.knowledge import answers as a
from actions.knowledge import spanish
from actions.knowledge.answers import Answer
from actions.knowledge.loader import Knowledge
from actions.understanding.frames import Frame
from actions.understanding.premises import FIGURES, holds
from actions.understanding.unknowns import NEAREST, SILENT_TOPICS


class Lookup:
    def __init__(self, k: Knowledge, today: Optional[dt.date] = None):
        self.k = k
        self.today = today or dt.date.today()

    # --- building blocks ------------------------------------------------------------
    def fact(self, key: str) -> Answer:
        return a.answer(self.k, key, self.today)

    def silent(self, reason: str, thing: str = "", **words: str) -> Answer:
        values = {"countries": spanish.number(self.k.programme["countries"].value),
                  "institutions": spanish.number(self.k.programme["institutions"].value), **words}
        topic = SILENT_TOPICS[reason].format(**values)
        return a.silent(self.k, topic, NEAREST[reason], self.today, thing=thing or reason)

    def verdict(self, yes: bool, answer: Answer) -> Answer:
        return a.with_verdict(yes, answer)

    def checked(self, f: Frame, key: str) -> Answer:
        """The fact, with "Sí"/"No" first when the question states a figure for it."""
        answer = self.fact(key)
        p = f.premise
        if not f.yes_no or p.number is None or key not in FIGURES:
            return answer
        return self.verdict(holds(FIGURES[key](self.k), p.number, p.bound), answer)


__all__ = ["Lookup"]
