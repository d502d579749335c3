"""Messages the bot asks back about, with topic buttons.

A question word without a subject ("cuantas") is asked back by the
understanding layer whatever the model; the others depend on the trained
model.  Tests probe these in order and use the first that gets buttons; they
fail only if none does.
"""

from typing import Callable, List

UNSURE = ["cuantas", "fechas y sectores", "programa", "quiero información", "mipymes", "cifras",
          "cuantas fechas", "datos del programa", "beneficios", "informacion"]


def clarifying_phrase(say: Callable[[str], List[dict]]) -> str:
    """The first of UNSURE whose reply has buttons; `say(text)` returns the bot's messages."""
    for phrase in UNSURE:
        if any(m.get("buttons") for m in say(phrase)):
            return phrase
    raise AssertionError(f"none of {UNSURE} gets clarification buttons from this model")
