"""The report's chart: questions answered and unanswered per day, as inline SVG (no script, no file)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Dict, List

from actions.knowledge.spanish import number


def svg_chart(per_day: Dict[dt.date, List[int]]) -> str:
    """Stacked bars per day: answered (green) under unanswered (red); no script."""
    if not per_day:
        return '<p class="empty">No hay preguntas en el periodo.</p>'
    first, last = min(per_day), max(per_day)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    top = max(sum(per_day.get(d, (0, 0))) for d in days) or 1
    step = 10 ** max(len(str(top)) - 1, 0)
    while top / step > 5:
        step *= 2
    ymax = ((top + step - 1) // step) * step
    left, right, head, foot, height = 56, 12, 14, 44, 220
    bar = max(4, min(28, 900 // len(days)))
    gap = max(1, bar // 5)
    width = left + right + len(days) * (bar + gap)
    scale = height / ymax
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {head + height + foot}" '
        f'width="{width}" height="{head + height + foot}" '
        'aria-label="Preguntas respondidas y sin respuesta por día">'
    ]
    for k in range(0, ymax + 1, step):
        y = head + height - k * scale
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{number(k)}</text>'
        )
    label_every = max(1, len(days) // 12)
    for i, d in enumerate(days):
        ok, bad = per_day.get(d, (0, 0))
        x = left + i * (bar + gap)
        h_ok, h_bad = ok * scale, bad * scale
        y_ok = head + height - h_ok
        tip = f"{d.isoformat()}: {number(ok)} respondidas, {number(bad)} sin respuesta"
        out.append(f'<g><title>{html.escape(tip)}</title>')
        out.append(f'<rect x="{x}" y="{y_ok:.1f}" width="{bar}" height="{h_ok:.1f}" class="ok"/>')
        out.append(
            f'<rect x="{x}" y="{y_ok - h_bad:.1f}" width="{bar}" height="{h_bad:.1f}" class="bad"/></g>'
        )
        if i % label_every == 0:
            ty = head + height + 14
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{ty}" text-anchor="end" class="axis" '
                f'transform="rotate(-40 {x + bar / 2:.1f} {ty})">{d.strftime("%d/%m")}</text>'
            )
    out.append("</svg>")
    return "".join(out)
