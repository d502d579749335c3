"""Messages the bot asks back about, with topic buttons.

A question word without a subject ("cuantas") is asked back by the
understanding layer whatever the model; the others depend on the trained
model.  Tests probe these in order and use the first that gets buttons; they
fail only if none does.  TITLE_FACTS: what the answer of each
topic button must contain.
"""

from typing import Callable, List

UNSURE = ["cuantas", "fechas y sectores", "programa", "quiero información", "mipymes", "cifras",
          "cuantas fechas", "datos del programa", "beneficios", "informacion"]

# Clarification button title -> a fact its answer must contain.
TITLE_FACTS = {
    "Qué es el programa": "Unión Europea",
    "Quién creó el programa": "Comisión Europea",
    "Objetivo del programa": "productivas, asociativas y empresariales",
    "Por qué importan las mipymes": "social, económico, productivo y tecnológico",
    "Resultados para las mipymes": "productividad",
    "Mipymes peruanas beneficiadas": "5.375",
    "Mipymes beneficiadas en total": "49.000",
    "Porcentaje de mipymes en Perú": "11 %",
    "Países participantes": "18 países",
    "Duración del programa": "4 años",
    "Proyectos en Perú": "6 proyectos",
    "Instituciones participantes": "110 instituciones",
    "Organizaciones ejecutoras": "Adex",
    "Sectores más activos": "textil",
    "Fechas del evento de cierre": "noviembre de 2020",
    "Formato del evento de cierre": "virtual",
}


def clarifying_phrase(say: Callable[[str], List[dict]]) -> str:
    """The first of UNSURE whose reply has buttons; `say(text)` returns the bot's messages."""
    for phrase in UNSURE:
        if any(m.get("buttons") for m in say(phrase)):
            return phrase
    raise AssertionError(f"none of {UNSURE} gets clarification buttons from this model")
