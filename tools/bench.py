"""`make bench`: the figures quoted in notes and the README, measured now.

Prints training time (a forced training into a temporary folder), start-up time
of the action server and of `rasa run` up to the first answer, resident memory
of both servers, reply latency (median, p95) over the end-to-end questions for a
single user, throughput and latency p50/p95/p99 with 50 conversations at once
(tools/load.py, every answer checked), and the intent macro F1 on the held-out
NLU set.  Each figure is printed next to its target (not asserted).

The servers run on 127.0.0.1 with the stores of docs/scaling.md: a SQLite file
in a temporary folder and the in-memory lock, unless TRACKER_STORE_URL /
LOCK_STORE_URL are set (then the bench writes its conversations there).
REST_RATE_LIMIT is 0 for the bench's `rasa run` (one sender asks every question).

    python -m tools.bench [--skip-train] [--rounds 3] [--concurrency 50] [--soak MINUTES]

``--soak MINUTES`` (at most 240; not part of `make test`) then keeps a steady
load for that long and prints the resident memory of each process at its start
and end, and the answers, errors and latency of the soak.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.test_rest import FACTS, UNKNOWNS  # noqa: E402  the questions the e2e tests check
from tests.support.stack import MODEL, VENV_BIN, Stack, http  # noqa: E402
from tools import load  # noqa: E402

SMALL_TALK = ["hola", "gracias", "¿eres un robot?", "que puedes hacer?", "¿qué clima hará mañana?"]

# Targets from the production issue: printed next to the figures, never asserted.
TARGET_STARTUP_S = 20.0
TARGET_P50_MS = 40.0
TARGET_P95_MS = 100.0
TARGET_ANSWERS_PER_S = 50.0

MAX_SOAK_MINUTES = 240.0
SOAK_CONCURRENCY = 10  # conversations at once during a soak: steady, not a stress test
SOAK_BATCH_CONVERSATIONS = 200  # one load run; runs repeat until the soak's time is up
SOAK_CHANNELS = ("rest", "socketio")
WEBCHAT_CREDENTIALS = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True}


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def group_rss_mb(pid: int) -> float:
    """Resident memory of a server: its process and any process it started (same group)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pid:  # process group id (the servers run in their own session)
            total += rss_mb(int(entry.name))
    return total or rss_mb(pid)


def percentile(values, q):
    return load.percentile(values, q)


def mark(value: float, target: float, lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return f"(objetivo {'<' if lower_is_better else '≥'} {target:g}: {'cumple' if ok else 'NO cumple'})"


def env():
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")


def bench_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        t = time.monotonic()
        subprocess.run(
            [str(VENV_BIN / "rasa"), "train", "--data", "data", "--out", out, "--force", "--fixed-model-name", "bench"],
            cwd=ROOT, env=env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return time.monotonic() - t


def bench_f1() -> dict:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [str(VENV_BIN / "rasa"), "test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu/heldout.yml", "--out", out],
            cwd=ROOT, env=env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        report = json.loads((Path(out) / "intent_report.json").read_text())
    return {"macro_f1": report["macro avg"]["f1-score"], "accuracy": report["accuracy"]}


def make_stack(work: Path) -> Stack:
    # The production store classes on a SQLite file in `work` (the Stack's
    # default); TRACKER_STORE_URL / LOCK_STORE_URL, when set, take precedence
    # (stores/), so the same bench measures PostgreSQL + Redis.
    env = {"REST_RATE_LIMIT": "0"}
    env.update({name: os.environ[name] for name in ("TRACKER_STORE_URL", "LOCK_STORE_URL") if os.environ.get(name)})
    # REST for the measures; the widget's socket.io channel too, for the soak.
    credentials = {"channels.rest.RestInput": None, "channels.webchat.WebChatInput": WEBCHAT_CREDENTIALS}
    return Stack(work, credentials=credentials, env=env)


def memory(stack: Stack) -> Dict[str, float]:
    return {name: group_rss_mb(proc.pid) for name, proc in stack.procs.items()}


NAMES = {"rasa": "rasa run", "actions": "servidor de acciones"}


def print_memory(label: str, mem: Dict[str, float]) -> None:
    print(f"memoria residente{' ' + label if label else ''}: " + ", ".join(f"{NAMES.get(k, k)} {v:.0f} MB" for k, v in mem.items()))


def single_user(stack: Stack, rounds: int) -> List[float]:
    questions = [q for q, _ in FACTS] + UNKNOWNS + SMALL_TALK
    latencies = []
    for _ in range(rounds):
        who = f"bench-{uuid.uuid4().hex[:8]}"
        for q in questions:
            t = time.perf_counter()
            status, _ = http("POST", f"{stack.url}/webhooks/rest/webhook", {"sender": who, "message": q})
            latencies.append((time.perf_counter() - t) * 1000)
            assert status == 200, status
    return latencies


def throughput(stack: Stack, concurrency: int) -> load.LoadReport:
    # Twice as many conversations as run at once, so the measure is not only the ramp.
    return asyncio.run(load.run_load([stack.url], conversations=2 * concurrency, turns=4, concurrency=concurrency, channel="rest", duration_limit=300, timeout=60))


def soak(stack: Stack, minutes: float) -> None:
    before = memory(stack)
    print(f"soak de {minutes:g} min, {SOAK_CONCURRENCY} conversaciones a la vez (tandas alternas REST / socket.io, respuestas comprobadas)")
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
        now = memory(stack)
        print(f"  min {minute:5.1f}: " + ", ".join(f"{NAMES.get(k, k)} {v:.0f} MB" for k, v in now.items()), flush=True)
    after = memory(stack)
    print_memory("al terminar", after)
    growth = ", ".join(f"{NAMES.get(k, k)} {after[k] - before.get(k, 0):+.0f} MB" for k in after)
    print(f"  crecimiento: {growth}")
    print(
        f"  {answers} respuestas correctas, {wrong} incorrectas, {errors} errores en {runs} tandas; "
        f"latencia ms p50 {percentile(latencies, 0.5):.0f}, p95 {percentile(latencies, 0.95):.0f}, p99 {percentile(latencies, 0.99):.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-train", action="store_true", help="do not measure training")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    ap.add_argument("--concurrency", type=int, default=50, help="conversations at once for the throughput figure (default 50)")
    ap.add_argument("--soak", type=float, metavar="MINUTES", help=f"then a steady load for MINUTES (at most {MAX_SOAK_MINUTES:g}), with memory at start and end")
    args = ap.parse_args()
    if args.soak is not None and not 0 < args.soak <= MAX_SOAK_MINUTES:
        ap.error(f"--soak debe estar entre 0 y {MAX_SOAK_MINUTES:g} minutos")
    print(f"máquina: {os.cpu_count()} núcleos, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, carga media {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')}")
    if not args.skip_train:
        print(f"entrenamiento (rasa train --force):   {bench_training():6.1f} s")

    with tempfile.TemporaryDirectory() as work:
        stack = make_stack(Path(work))
        try:
            t0 = time.monotonic()
            stack.start_actions()
            t_actions = time.monotonic() - t0
            t1 = time.monotonic()
            stack.start_rasa()
            stack.text("bench-warmup", "hola")
            t_rasa = time.monotonic() - t1
            print(f"arranque servidor de acciones:        {t_actions:6.1f} s")
            print(f"arranque rasa run hasta 1a respuesta: {t_rasa:6.1f} s {mark(t_rasa, TARGET_STARTUP_S)}")
            log = stack.log("rasa")
            stores = [line.split(" - ", 1)[-1].rstrip(".") for line in log.splitlines() if "Conversaciones en " in line or "Candado de conversaciones" in line]
            print("almacenes: " + "; ".join(stores))

            latencies = single_user(stack, args.rounds)
            p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
            print(f"latencia de respuesta (1 usuario, n={len(latencies)}): mediana {p50:.0f} ms {mark(p50, TARGET_P50_MS)}, p95 {p95:.0f} ms {mark(p95, TARGET_P95_MS)}")
            print_memory("", memory(stack))

            report = throughput(stack, args.concurrency)
            print(
                f"rendimiento ({args.concurrency} conversaciones a la vez, REST, 1 réplica, n={report.answers}): "
                f"{report.throughput:.1f} respuestas/s {mark(report.throughput, TARGET_ANSWERS_PER_S, lower_is_better=False)}, "
                f"p50 {report.percentile(0.5):.0f} ms, p95 {report.percentile(0.95):.0f} ms, p99 {report.percentile(0.99):.0f} ms, "
                f"incorrectas {report.wrong}, errores {report.errors}"
            )
            print_memory(f"tras {report.answers} respuestas", memory(stack))
            if args.soak:
                soak(stack, args.soak)
        finally:
            stack.stop()
    f1 = bench_f1()
    print(f"NLU held-out (tests/nlu/heldout.yml): macro F1 {f1['macro_f1']:.3f}, exactitud {f1['accuracy']:.3f}")


if __name__ == "__main__":
    main()
