"""`make report` / ``python -m tools.report``: options, the pass over the store, the two files, a summary line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from tools.report.analysis import Analysis
from tools.report.csv_file import write_csv
from tools.report.formats import number, pct
from tools.report.grouping import Group, group_unanswered
from tools.report.html_page import render_html
from tools.report.rules import ReportError
from tools.report.store import local_tz, parse_day, read_sqlalchemy, read_sqlite, time_bounds

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / "tracker.db"
DEFAULT_OUT = ROOT / "results" / "report"
DEFAULT_UTC_OFFSET = -5.0  # Peru, no daylight saving


def build(args: argparse.Namespace) -> Tuple[Analysis, List[Group], str]:
    tz = local_tz(args.utc_offset)
    since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
    if since and until and since > until:
        raise ReportError("--since va después de --until")
    lo, hi = time_bounds(since, until, tz)
    if args.db_url:
        rows = read_sqlalchemy(args.db_url, lo, hi)
        import sqlalchemy as sa

        source = repr(sa.engine.make_url(args.db_url))  # password hidden
    else:
        path = Path(args.db)
        rows = read_sqlite(path, lo, hi)
        source = str(path)
    analysis = Analysis(tz, args.channel).feed(rows).finish()
    groups = group_unanswered(analysis.unanswered, merge_similar=not args.no_merge)
    return analysis, groups, source


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m tools.report",
        description="Informe de preguntas sin respuesta y respuestas con 👎: report.html y report.csv.",
    )
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--db", default=str(DEFAULT_DB),
                       help="archivo SQLite del tracker store (por defecto tracker.db)")
    where.add_argument("--db-url", help="URL de SQLAlchemy, p. ej. postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="carpeta de salida (por defecto results/report)")
    ap.add_argument("--since", help="desde esta fecha AAAA-MM-DD (incluida)")
    ap.add_argument("--until", help="hasta esta fecha AAAA-MM-DD (incluida)")
    ap.add_argument("--channel", help="solo este canal: rest, webchat, socketio, telegram, cmdline...")
    ap.add_argument("--utc-offset", type=float, default=DEFAULT_UTC_OFFSET,
                    help="horas respecto de UTC (Perú: -5)")
    ap.add_argument("--no-merge", action="store_true", help="no juntar preguntas casi iguales (solo idénticas)")
    return ap.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        analysis, groups, source = build(args)
    except ReportError as e:
        print(f"make report: {e}", file=sys.stderr)
        return 2
    tz = local_tz(args.utc_offset)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(render_html(analysis, groups, args, tz, source), encoding="utf-8")
    write_csv(out / "report.csv", analysis, groups, tz)
    counts = analysis.rating_counts()
    elapsed = time.perf_counter() - started
    unanswered = analysis.unanswered_count
    print(
        f"{number(len(analysis.conversations))} conversaciones, {number(analysis.questions)} preguntas: "
        f"{number(unanswered)} sin respuesta ({pct(unanswered, analysis.questions)}) "
        f"en {number(len(groups))} grupos; valoraciones 👍 {number(counts['up'])} 👎 {number(counts['down'])}."
    )
    print(f"Informe: {out / 'report.html'}\nCSV:     {out / 'report.csv'}\n"
          f"({number(analysis.rows)} mensajes de usuario y del bot leídos; {elapsed:.1f} s)")
    return 0
