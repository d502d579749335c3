"""`make check` / ``python -m tools.check``: options, the checks, the exit code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Optional, Sequence

from tools.check.checks import MIN_EXAMPLES, report, run

ROOT = Path(__file__).resolve().parents[2]


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tools.check",
        description="Lo que le falta al asistente: hechos sin usar o sin prueba, intenciones sin ejemplos "
        "o sin prueba de conversación, respuestas que no están en español.",
    )
    ap.add_argument("--min-examples", type=int, default=MIN_EXAMPLES,
                    help=f"ejemplos mínimos por intención (por defecto {MIN_EXAMPLES})")
    ap.add_argument("--strict", action="store_true", help="los avisos también cuentan como faltas")
    args = ap.parse_args(argv)
    findings = run(ROOT, args.min_examples)
    report(findings)
    return 1 if findings.missing or (args.strict and findings.warnings) else 0
