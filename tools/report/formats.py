"""How the report writes numbers, shares, dates and lists, the same in the page and in the CSV."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from typing import Optional, Sequence, Tuple

from actions.knowledge.spanish import number
from tools.report.rules import REASONS, intent_title

__all__ = ["number", "pct", "conf", "reasons_text", "intents_text", "channels_text", "short", "dates_text",
           "dates_html", "when"]


def pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.1f} %".replace(".", ",") if whole else "–"


def conf(x: float) -> str:
    return f"{100.0 * x:.0f} %"


def reasons_text(reasons: Counter) -> str:
    return "; ".join(f"{REASONS[r]} ({n})" for r, n in reasons.most_common())


def intents_text(rows: Sequence[Tuple[str, int, float]]) -> str:
    return "; ".join(f"{intent_title(name)} {conf(c)}" for name, _, c in rows)


def channels_text(channels: Counter) -> str:
    return "; ".join(f"{ch} ({n})" for ch, n in channels.most_common())


def short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dates_text(first: Optional[dt.date], last: Optional[dt.date]) -> str:
    if first is None:
        return ""
    return first.isoformat() if first == last else f"{first.isoformat()} a {last.isoformat()}"


def dates_html(first: Optional[dt.date], last: Optional[dt.date]) -> str:
    return html.escape(dates_text(first, last)).replace(" a ", "<br>a ")


def when(ts: float, tz: dt.timezone) -> str:
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")
