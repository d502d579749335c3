"""`make bench` / ``python -m tools.bench``: options, then each measure in turn, printed as it is taken."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

from tools.bench.bare import BareStack, bare_bot
from tools.bench.cluster import cluster_throughput
from tools.bench.compare import TARGET_LONG_RATIO, issue_5_targets, mark, print_comparison
from tools.bench.measure import (
    LONG_EARLY, LONG_LATE, LONG_PASSES, around, bench_f1, bench_training, long_conversation, long_window, make_stack,
    measure,
)
from tools.bench.soak import MAX_SOAK_MINUTES, soak


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m tools.bench")
    ap.add_argument("--skip-train", action="store_true", help="do not measure training")
    ap.add_argument("--no-bare", action="store_true", help="do not measure the bare `rasa init` bot")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    ap.add_argument("--concurrency", type=int, default=50,
                    help="conversations at once for the throughput figure (default 50)")
    ap.add_argument("--replicas", type=int, default=2,
                    help="throughput also through nginx over this many replicas on PostgreSQL + Redis (1: skip)")
    least = LONG_LATE + long_window() // 2
    ap.add_argument("--long-turns", type=int, default=least,
                    help=f"turns of the long conversation (at least {least}; 0: skip)")
    ap.add_argument("--soak", type=float, metavar="MINUTES",
                    help=f"then a steady load for MINUTES (at most {MAX_SOAK_MINUTES:g}), with memory at start and end")
    args = ap.parse_args()
    if args.soak is not None and not 0 < args.soak <= MAX_SOAK_MINUTES:
        ap.error(f"--soak debe estar entre 0 y {MAX_SOAK_MINUTES:g} minutos")
    if not 1 <= args.replicas <= 4:
        ap.error("--replicas debe estar entre 1 y 4")
    if args.long_turns and not least <= args.long_turns <= 2000:
        ap.error(f"--long-turns debe ser 0 o estar entre {least} y 2000")
    return args


def measure_bare(args: argparse.Namespace) -> Dict[str, float]:
    bare_dir = bare_bot()
    with tempfile.TemporaryDirectory() as work:
        stack = BareStack(Path(work), bare_dir)
        try:
            return measure(stack, "rasa init", args.rounds, args.concurrency, check_answers=False, has_actions=False)
        finally:
            stack.stop()


def measure_ours(args: argparse.Namespace) -> Dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        stack = make_stack(Path(work))
        try:
            ours = measure(stack, "nuestro", args.rounds, args.concurrency, check_answers=True, has_actions=True)
            print(issue_5_targets(ours))
            if args.long_turns:
                latencies = long_conversation(stack, args.long_turns)
                width = long_window()
                early, late = around(latencies, LONG_EARLY, width), around(latencies, LONG_LATE, width)
                turns = os.environ.get("SESSION_MAX_TURNS") or "por defecto"
                print(
                    f"[nuestro] una conversación de {args.long_turns} turnos (SESSION_MAX_TURNS={turns}): "
                    f"turno {LONG_EARLY} {early:.0f} ms, turno {LONG_LATE} {late:.0f} ms (medianas de {width} turnos, "
                    f"{LONG_PASSES} pasadas por el guion), "
                    f"{late / early:.2f}× {mark(late / early, TARGET_LONG_RATIO)}; último turno {latencies[-1]:.0f} ms"
                )
            if args.soak:
                soak(stack, args.soak)
            return ours
        finally:
            stack.stop()


def main() -> None:
    args = parse_args()
    gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"máquina: {os.cpu_count()} núcleos, {gib:.0f} GiB, carga media {os.getloadavg()[0]:.1f}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    if not args.skip_train:
        print(f"entrenamiento (rasa train --force):   {bench_training():6.1f} s")
    bare: Optional[Dict[str, float]] = None if args.no_bare else measure_bare(args)
    ours = measure_ours(args)
    cluster = cluster_throughput(args.replicas, args.concurrency, args.rounds) if args.replicas > 1 else None
    if bare:
        print_comparison(ours, bare, cluster, args.replicas)
    f1 = bench_f1()
    print(f"NLU held-out (tests/nlu/heldout.yml): macro F1 {f1['macro_f1']:.3f}, exactitud {f1['accuracy']:.3f}")
