"""``python -m tests.report.tracker_store_gen``: a generated store and its ground truth, by hand."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from tests.report.tracker_store_gen.sources import ROOT
from tests.report.tracker_store_gen.writer import DEFAULT_END, generate

DEFAULT_OUT = ROOT / "results" / "report" / "generated-tracker.db"


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tests.report.tracker_store_gen",
        description="Genera una base de conversaciones de Rasa de prueba y los números que el informe debe dar.",
    )
    ap.add_argument("-n", "--conversations", type=int, default=20000)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="SQLite file to (re)create")
    ap.add_argument("--db-url", help="write into this SQLAlchemy database instead (adds to an existing events table)")
    ap.add_argument("--truth", type=Path, help="ground-truth JSON (default: next to --out, .truth.json)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--end", type=dt.date.fromisoformat, default=DEFAULT_END, help="last day (AAAA-MM-DD)")
    ap.add_argument("--days", type=int, default=30)
    args = ap.parse_args(argv)
    truth_path = args.truth or args.out.with_suffix(".truth.json")
    started = time.perf_counter()
    out = None if args.db_url else args.out
    truth = generate(args.conversations, out, truth_path, args.seed, args.end, args.days, args.db_url)
    print(
        f"{truth['conversations']} conversaciones, {truth['events']} eventos en {args.db_url or args.out} "
        f"({time.perf_counter() - started:.1f} s); verdad: {truth_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
