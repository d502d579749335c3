"""Messages the model is unsure about, so the bot asks back with topic buttons.

Which short message falls below the confidence threshold depends on the
trained model, so tests probe these in order and use the first that gets
buttons; they fail only if none does.
"""

from typing import Callable, List

UNSURE = ["fechas y sectores", "cuantas", "programa", "quiero información", "mipymes", "cifras",
          "cuantas fechas", "datos del programa", "beneficios", "informacion"]


def clarifying_phrase(say: Callable[[str], List[dict]]) -> str:
    """The first of UNSURE whose reply has buttons; `say(text)` returns the bot's messages."""
    for phrase in UNSURE:
        if any(m.get("buttons") for m in say(phrase)):
            return phrase
    raise AssertionError(f"none of {UNSURE} gets clarification buttons from this model")
