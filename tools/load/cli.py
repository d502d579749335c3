"""`make load` / ``python -m tools.load``: options, the run, the printed figures and the exit code."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

from tools.load.bounds import LoadError
from tools.load.results import LoadReport
from tools.load.run import run_load
from tools.load.socketio_client import SOCKETIO_PATH


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m tools.load",
        description="Load generator: many conversations at once, every answer checked against the knowledge file.",
    )
    ap.add_argument("--url", action="append", required=True,
                    help="bot server, http://127.0.0.1:PORT (repeatable: round-robin with failover over REST)")
    ap.add_argument("--conversations", type=int, default=20, help="conversations in all (default 20)")
    ap.add_argument("--turns", type=int, default=4, help="turns per conversation (default 4)")
    ap.add_argument("--concurrency", type=int, default=10, help="conversations at once (default 10)")
    ap.add_argument("--channel", choices=("rest", "socketio"), default="rest")
    ap.add_argument("--duration-limit", type=float, default=60.0,
                    help="send nothing new after this many seconds (default 60)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer (default 30)")
    ap.add_argument("--socketio-path", default=SOCKETIO_PATH, help="socket.io path (default /socket.io)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return ap.parse_args(argv)


def figures(report: LoadReport) -> dict:
    return {
        "channel": report.channel, "urls": report.urls, "answers": report.answers, "wrong": report.wrong,
        "errors": report.errors, "seconds": report.wall_seconds, "answers_per_second": report.throughput,
        "p50_ms": report.percentile(0.5), "p95_ms": report.percentile(0.95), "p99_ms": report.percentile(0.99),
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        report = asyncio.run(
            run_load(
                args.url, args.conversations, args.turns, args.concurrency, args.channel,
                args.duration_limit, args.timeout, socketio_path=args.socketio_path,
            )
        )
    except LoadError as e:
        print(f"tools.load: {e}", file=sys.stderr)
        return 2
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(figures(report), indent=2))
    return 0 if report.ok else 1
