"""`make bench ARGS="--soak MINUTES"`: a steady load for a while, memory at its start, along the way and at its end."""

from __future__ import annotations

import asyncio
import time
from typing import List

from tools import load
from tools.bench.measure import NAMES, memory, memory_text, print_memory
from tools.stack import Stack

MAX_SOAK_MINUTES = 240.0
SOAK_CONCURRENCY = 10  # conversations at once during a soak: steady, not a stress test
SOAK_BATCH_CONVERSATIONS = 200  # one load run; runs repeat until the soak's time is up
SOAK_CHANNELS = ("rest", "socketio")


def soak(stack: Stack, minutes: float) -> None:
    before = memory(stack)
    print(f"soak de {minutes:g} min, {SOAK_CONCURRENCY} conversaciones a la vez "
          "(tandas alternas REST / socket.io, respuestas comprobadas)")
    print_memory("al empezar", before)
    end = time.monotonic() + minutes * 60
    answers = errors = wrong = 0
    latencies: List[float] = []
    runs = 0
    while time.monotonic() < end:
        remaining = end - time.monotonic()
        # Batches alternate between the REST channel and the widget's socket.io.
        report = asyncio.run(load.run_load(
            [stack.url], conversations=SOAK_BATCH_CONVERSATIONS, turns=6, concurrency=SOAK_CONCURRENCY,
            channel=SOAK_CHANNELS[runs % len(SOAK_CHANNELS)], duration_limit=max(1.0, remaining), timeout=60,
        ))
        runs += 1
        answers, errors, wrong = answers + report.answers, errors + report.errors, wrong + report.wrong
        latencies += report.latencies()
        # A trend, not just two points: growth shows as a rising series.
        minute = (time.monotonic() - (end - minutes * 60)) / 60
        print(f"  min {minute:5.1f}: " + memory_text(memory(stack)), flush=True)
    after = memory(stack)
    print_memory("al terminar", after)
    growth = ", ".join(f"{NAMES.get(k, k)} {after[k] - before.get(k, 0):+.0f} MB" for k in after)
    print(f"  crecimiento: {growth}")
    p = load.percentile
    print(
        f"  {answers} respuestas correctas, {wrong} incorrectas, {errors} errores en {runs} tandas; "
        f"latencia ms p50 {p(latencies, 0.5):.0f}, p95 {p(latencies, 0.95):.0f}, p99 {p(latencies, 0.99):.0f}"
    )
