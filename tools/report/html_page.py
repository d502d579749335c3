"""report.html: one self-contained page (inline CSS, inline SVG chart, no script, no font or file from the internet).

The page's fixed text and style are in template.html (``string.Template``,
``$name`` placeholders); the functions here write the parts that depend on
the data, every value HTML-escaped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
from pathlib import Path
from string import Template
from typing import List

from tools.report.analysis import Analysis
from tools.report.chart import svg_chart
from tools.report.formats import (
    channels_text, conf, dates_html, intents_text, number, pct, reasons_text, short, when,
)
from tools.report.grouping import Group
from tools.report.rules import REASONS, intent_title

TEMPLATE = Path(__file__).resolve().parent / "template.html"
HTML_MAX_GROUPS = 150
HTML_MAX_RATINGS = 200
e = html.escape


def _cards(a: Analysis) -> str:
    counts = a.rating_counts()
    return "\n".join([
        f'<div class="card"><b>{number(len(a.conversations))}</b>conversaciones</div>',
        f'<div class="card"><b>{number(a.questions)}</b>preguntas</div>',
        f'<div class="card ok"><b>{number(a.answered_count)}</b>respondidas '
        f'({pct(a.answered_count, a.questions)})</div>',
        f'<div class="card bad"><b>{number(a.unanswered_count)}</b>sin respuesta '
        f'({pct(a.unanswered_count, a.questions)})</div>',
        f'<div class="card ok"><b>{number(counts["up"])}</b>valoraciones positivas 👍</div>',
        f'<div class="card bad"><b>{number(counts["down"])}</b>valoraciones negativas 👎</div>',
    ])


def _unanswered(a: Analysis, groups: List[Group]) -> str:
    if not a.reasons:
        return '<p class="empty">Ninguna pregunta quedó sin respuesta.</p>'
    p = ['<table><tr><th>Motivo</th><th class="n">Preguntas</th><th class="n">%</th></tr>']
    for r, n in a.reasons.most_common():
        p.append(f'<tr><td>{e(REASONS[r])}</td><td class="n">{number(n)}</td>'
                 f'<td class="n">{pct(n, a.unanswered_count)}</td></tr>')
    p.append("</table>")
    p.append(
        f'<p class="small">{number(len(groups))} grupos de preguntas con palabras iguales o casi iguales '
        "(sin mayúsculas, tildes ni signos; parecido ≥ 85 %). Se muestran los "
        f"{min(len(groups), HTML_MAX_GROUPS)} más frecuentes; todos están en el CSV.</p>"
    )
    p.append(
        "<table><tr><th>Veces</th><th>Pregunta (y otras formas de escribirla)</th><th>Motivo</th>"
        "<th>Lo que entendió el modelo (confianza media)</th><th>Canales</th><th>Fechas</th></tr>"
    )
    for g in groups[:HTML_MAX_GROUPS]:
        variants = g.variants()
        more = f'<div class="small">{e(" · ".join(short(v) for v in variants))}</div>' if variants else ""
        p.append(
            f'<tr><td class="n">{number(g.count)}</td><td>{e(short(g.label))}{more}</td>'
            f"<td>{e(reasons_text(g.reasons))}</td><td>{e(intents_text(g.top_intents()))}</td>"
            f"<td>{e(channels_text(g.channels))}</td><td class=\"d\">{dates_html(g.first, g.last)}</td></tr>"
        )
    p.append("</table>")
    return "\n".join(p)


def _rated_responses(a: Analysis) -> List[str]:
    p = [
        f'<p class="small">{number(a.rating_events)} valoraciones recibidas; si una respuesta se valoró '
        "dos veces cuenta la última."
        + (f" {number(a.bad_ratings)} con un valor no válido (no cuentan)." if a.bad_ratings else "")
        + "</p>",
        '<table><tr><th>Respuesta del bot (último mensaje de la respuesta valorada)</th>'
        '<th class="n">Negativas 👎</th><th class="n">Positivas 👍</th><th class="n">% negativas</th></tr>',
    ]
    examples = a.response_examples()
    by_response = a.ratings_by_response()
    for name, cnt in sorted(by_response.items(), key=lambda kv: (-kv[1]["down"], -kv[1]["up"], kv[0])):
        total = cnt["down"] + cnt["up"]
        example = examples.get(name)
        hint = f'<div class="small">«{e(short(example, 120))}»</div>' if example else ""
        p.append(
            f'<tr><td>{e(name)}{hint}</td><td class="n">{number(cnt["down"])}</td>'
            f'<td class="n">{number(cnt["up"])}</td><td class="n">{pct(cnt["down"], total)}</td></tr>'
        )
    p.append("</table>")
    return p


def _down_ratings(a: Analysis, tz: dt.timezone) -> List[str]:
    downs = a.down_ratings()
    if not downs:
        return []
    shown = min(len(downs), HTML_MAX_RATINGS)
    latest = "la más reciente" if shown == 1 else f"las {shown} más recientes"
    p = [
        f"<h3>Respuestas valoradas con 👎: {latest} (todas en el CSV)</h3>",
        "<table><tr><th>Fecha</th><th>Pregunta</th><th>Respuesta valorada</th><th>Canal</th>"
        "<th>Conversación</th></tr>",
    ]
    for r in downs[:HTML_MAX_RATINGS]:
        q = r.rated.text if r.rated else "(sin pregunta previa)"
        ans = "\n".join(r.rated.bot_texts) if r.rated else ""
        names = ", ".join(x for x in (r.rated.responses if r.rated else []) if x)
        p.append(
            f'<tr><td class="n">{e(when(r.ts, tz))}</td><td>{e(q)}</td>'
            f'<td>{e(ans).replace(chr(10), "<br>")}<div class="small">{e(names)}</div></td>'
            f"<td>{e(r.channel)}</td><td class=\"small\">{e(r.sender)}</td></tr>"
        )
    p.append("</table>")
    return p


def _ratings(a: Analysis, tz: dt.timezone) -> str:
    if not a.ratings_by_response():
        return '<p class="empty">No hay valoraciones en el periodo.</p>'
    return "\n".join(_rated_responses(a) + _down_ratings(a, tz))


def _intents(a: Analysis) -> str:
    rows = a.top_intents()
    if not rows:
        return ""
    p = ['<table><tr><th>Intención</th><th class="n">Mensajes</th><th class="n">Confianza media</th></tr>']
    for name, n, c in rows:
        p.append(f'<tr><td>{e(intent_title(name))}</td><td class="n">{number(n)}</td>'
                 f'<td class="n">{conf(c)}</td></tr>')
    p.append("</table>")
    return "\n".join(p)


def render_html(a: Analysis, groups: List[Group], args: argparse.Namespace, tz: dt.timezone, source: str) -> str:
    period = "todo el historial"
    if args.since or args.until:
        period = f"{args.since or 'el inicio'} a {args.until or 'hoy'}"
    seen = ""
    if a.first_ts is not None:
        seen = f" Mensajes del {when(a.first_ts, tz)} al {when(a.last_ts, tz)}."
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        period=e(period), channel=e(args.channel or "todos"), utc_offset=f"{args.utc_offset:+g}", seen=e(seen),
        source=e(source), generated=dt.datetime.now(tz).strftime("%Y-%m-%d %H:%M"),
        cards=_cards(a), chart=svg_chart(a.per_day), unanswered=_unanswered(a, groups),
        ratings=_ratings(a, tz), intents=_intents(a),
    )
