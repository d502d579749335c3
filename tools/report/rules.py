"""What counts as what in `make report` (docs/report.md, docs/ratings.md): names, labels, the grouping key.

The rating contract comes from actions/constants.py; the Spanish labels here
are the report's own (read by the people who keep the assistant, not by users).
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional, Sequence

from actions import constants as c
from actions.knowledge.spanish import fold

# --- the ratings contract (docs/ratings.md) ---------------------------------------
RATING_VALUES = (c.RATING_UP, c.RATING_DOWN)
# What the widget / Telegram send: Rasa's "/intent{json}" payload (an optional
# "@confidence" is allowed by Rasa's RegexMessageHandler, so here too).
RATE_PAYLOAD = re.compile(r"^\s*/" + c.RATE + r"(?:@[0-9.]+)?\s*(\{.*\})?\s*$", re.DOTALL)

# --- what makes a question unanswered ------------------------------------------------
SOURCE_SILENT = "utter_source_silent"
CLARIFY_RESPONSES = frozenset({"utter_clarify", "utter_default"})
BAD_INPUT_PREFIX = "utter_bad_input_"
SOCIAL_INTENTS = frozenset({c.GREET, c.GOODBYE, c.THANKS})

# Reason ids, in order of precedence, with their Spanish labels.
REASONS = {
    "bad_input": "Mensaje ilegible (vacío, muy largo o sin palabras)",
    "fallback": "No entendida (el bot pidió aclarar)",
    "other_language": "En otro idioma",
    "out_of_scope": "Fuera de tema",
    "source_silent": "La fuente no lo indica",
}

# Readable names for intents (topics from actions/constants.py, plus the rest).
INTENT_TITLES = dict(c.TOPIC_TITLES)
INTENT_TITLES.update({
    c.ASK_TOTAL: "¿Y en total?",
    c.GREET: "Saludo",
    c.GOODBYE: "Despedida",
    c.THANKS: "Agradecimiento",
    c.BOT_CHALLENGE: "¿Eres un robot?",
    c.OUT_OF_SCOPE: "Fuera de tema",
    c.OTHER_LANGUAGE: "Otro idioma",
    c.NLU_FALLBACK: "No entendida",
    c.RATE: "Valoración",
})

EMPTY_LABEL = "(mensaje vacío o sin palabras)"
NO_INTENT = "(sin intención)"


class ReportError(Exception):
    """A problem the user can fix (missing file, bad date...): printed, exit 2."""


def normalize(text: str) -> str:
    """The grouping key: lower case, no accents, no punctuation (``_`` included), single spaces."""
    return " ".join(fold(text).replace("_", " ").split())


def intent_title(name: Optional[str]) -> str:
    if not name:
        return NO_INTENT
    title = INTENT_TITLES.get(name)
    return f"{title} ({name})" if title else name


def rating_of(text: str, intent: Optional[str], entities: Sequence[Dict[str, Any]]) -> Optional[str]:
    """'up'/'down' for a rating message, '?' for a rating with a bad value, else None."""
    match = RATE_PAYLOAD.match(text or "")
    if intent != c.RATE and not match:
        return None
    value = next((e.get("value") for e in entities if e.get("entity") == c.ENTITY_RATING), None)
    if value is None and match and match.group(1):
        try:
            payload = json.loads(match.group(1))
        except ValueError:
            payload = {}
        if isinstance(payload, dict):
            value = payload.get(c.ENTITY_RATING)
    value = str(value).strip().lower() if value is not None else ""
    return value if value in RATING_VALUES else "?"
