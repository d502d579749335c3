"""Checking what a yes/no question states against the knowledge file.

"¿fueron 8 proyectos?", "¿más de 5 mil empresas?", "¿el foco era fortalecer las
capacidades productivas?": the figure each answer rests on, and how a stated
figure or phrase is compared with it.
"""

from __future__ import annotations

from typing import Callable, Dict

from actions.knowledge import spanish
from actions.knowledge.loader import Knowledge

# What the source gives as a figure, to check a premise's number.
FIGURES: Dict[str, Callable[[Knowledge], int]] = {
    "beneficiaries_peru": lambda k: k.peru["beneficiaries"].value,
    "beneficiaries_total": lambda k: k.programme["beneficiaries_total"].value,
    "peru_share": lambda k: k.peru["share_percent"].value,
    "countries": lambda k: k.programme["countries"].value,
    "duration": lambda k: k.programme["duration_years"].value,
    "projects": lambda k: k.peru["projects"].value,
    "organisations": lambda k: len(k.organisations),
    "institutions": lambda k: k.programme["institutions"].value,
    "event_dates": lambda k: len(k.closing_event["dates"].value),
    "event_days": lambda k: len(k.closing_event["dates"].value),
}


def overlaps(text: str, values) -> bool:
    """Whether the question names one of the values (by its longest words, accents folded)."""
    words = {w for v in values for w in spanish.fold(v).split() if len(w) > 5}
    # Eight letters: "empresariales" must not match "empresas".
    return any(f" {w[:8]}" in text for w in words)


def holds(value: int, stated: int, bound: str) -> bool:
    if bound == "more":
        return value > stated
    if bound == "less":
        return value < stated
    if bound == "about":
        return abs(value - stated) <= max(1, 0.1 * value)
    return value == stated
