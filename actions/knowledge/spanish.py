"""Spanish formatting and matching helpers (no Rasa, no facts)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from typing import Iterable, Optional, Sequence

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)


def number(n: int) -> str:
    """5375 -> '5.375': Peru (and the source) group thousands with a dot."""
    return f"{n:,}".replace(",", ".")


def join(items: Sequence[str], conjunction: str = "y") -> str:
    """['a', 'b', 'c'] -> 'a, b y c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def dates(days: Sequence[dt.date]) -> str:
    """Dates of one month -> '10, 12, 17 y 19 de noviembre de 2020'."""
    days = sorted(days)
    groups = []  # consecutive runs of the same month and year
    for d in days:
        if groups and (groups[-1][0].month, groups[-1][0].year) == (d.month, d.year):
            groups[-1].append(d)
        else:
            groups.append([d])
    parts = []
    for i, g in enumerate(groups):
        text = join([str(d.day) for d in g]) + f" de {MONTHS[g[0].month - 1]}"
        last_of_year = i == len(groups) - 1 or groups[i + 1][0].year != g[0].year
        parts.append(text + (f" de {g[0].year}" if last_of_year else ""))
    return join(parts)


def strip_accents(text: str) -> str:
    """Lower case without accents; punctuation and spacing kept as typed."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: how users type."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", strip_accents(text))).strip()


def best_match(query: str, candidates: Iterable[str], cutoff: float = 0.8) -> Optional[str]:
    """The candidate that ``query`` names, tolerant of accents, plurals, typos.

    Compares folded forms, whole and by word ("sector textil" names "textil";
    "panaderias" names "panadería"); returns the candidate as written.
    """
    q = fold(query)
    if not q:
        return None
    folded = {fold(c): c for c in candidates}
    if q in folded:
        return folded[q]
    words = q.split()
    for f, original in folded.items():
        if f and (f" {f} " in f" {q} "):
            return original
    pool = list(folded)
    probes = [q] + words + [" ".join(words[i:i + 2]) for i in range(len(words) - 1)]
    for probe in probes:
        hit = difflib.get_close_matches(probe, pool, n=1, cutoff=cutoff)
        if hit:
            return folded[hit[0]]
    return None
