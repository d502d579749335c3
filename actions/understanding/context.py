"""How the answers fit the conversation: the topic a follow-up refers to, and one reply
for the several questions of one message.
"""

from __future__ import annotations

from typing import List, Optional

from actions.knowledge import answers as a
from actions.knowledge.answers import Answer

# The thing each answer is about, to read follow-ups ("¿y en total?").
TOPIC_THING = {
    "beneficiaries_peru": "mipymes", "beneficiaries_total": "mipymes", "peru_share": "share",
    "countries": "countries", "duration": "duration", "projects": "projects", "institutions": "institutions",
    "organisations": "organisations", "organisation": "organisations", "results": "results",
    "sectors": "sectors", "sector": "sectors", "event_dates": "event", "event_days": "event", "event_format": "event",
    "event_activities": "event", "new_programme": "new_programme", "programme": "programme",
    "creator": "creator", "focus": "focus", "mipyme_role": "role",
}


def thing_of_topic(topic: Optional[str]) -> Optional[str]:
    return TOPIC_THING.get(topic or "")


def answer_all(answers: List[Answer]) -> Answer:
    """Several answers as one reply, in order, without repeating one.  A later "¿…, no?"
    that confirms what was just answered puts its "Sí"/"No" in front of it instead."""
    kept: List[Answer] = []
    keys: List[tuple] = []
    for ans in answers:
        body = tuple(m for m in ans.messages if m.response not in a.VERDICTS)
        key = tuple((m.response, tuple(sorted(m.variables.items()))) for m in body)
        if key in keys:
            i = keys.index(key)
            if len(body) < len(ans.messages) and len(kept[i].messages) == len(body):
                kept[i] = ans  # the same answer, with its verdict
            continue
        keys.append(key)
        kept.append(ans)
    return a.joined(*kept)
