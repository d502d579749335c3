"""report.csv: the same lists as the page, for a spreadsheet (UTF-8 with BOM, so Excel shows the accents)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import List

from tools.report.analysis import Analysis
from tools.report.formats import channels_text, dates_text, intents_text, reasons_text, when
from tools.report.grouping import Group

CSV_COLUMNS = [
    "seccion", "veces", "pregunta", "otras_formas", "motivo", "lo_que_entendio_el_modelo",
    "canales", "fechas", "respuesta", "respuesta_nombre", "conversacion",
]


def write_csv(path: Path, a: Analysis, groups: List[Group], tz: dt.timezone) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for g in groups:
            w.writerow([
                "sin_respuesta", g.count, g.label, " | ".join(g.variants(20)), reasons_text(g.reasons),
                intents_text(g.top_intents()), channels_text(g.channels), dates_text(g.first, g.last), "", "", "",
            ])
        for r in a.down_ratings():
            w.writerow([
                "valoracion_negativa", 1, r.rated.text if r.rated else "", "", "👎", "",
                r.channel, when(r.ts, tz), "\n".join(r.rated.bot_texts) if r.rated else "",
                ", ".join(x for x in (r.rated.responses if r.rated else []) if x), r.sender,
            ])
