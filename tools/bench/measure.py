"""One stack's figures: start-up, one user's latency, throughput, memory, a long conversation, F1."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

from actions.knowledge import load_knowledge
from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE
from tools import load
from tools.questions import SMALL_TALK, UNKNOWNS, facts, scripts
from tools.stack import MODEL, ROOT, VENV_BIN, Stack, http

WEBCHAT_CREDENTIALS = {
    "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True,
}
NAMES = {"rasa": "rasa run", "actions": "servidor de acciones"}
LONG_EARLY, LONG_LATE = 10, 300  # the turns of a long conversation compared (see ``around``)
LONG_PASSES = 2  # each compared window holds every question of the script this many times


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


def memory(stack: Stack) -> Dict[str, float]:
    return {name: group_rss_mb(proc.pid) for name, proc in stack.procs.items()}


def memory_text(mem: Dict[str, float]) -> str:
    return ", ".join(f"{NAMES.get(k, k)} {v:.0f} MB" for k, v in mem.items())


def print_memory(label: str, mem: Dict[str, float]) -> None:
    print(f"memoria residente{' ' + label if label else ''}: " + memory_text(mem))


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
            [str(VENV_BIN / "rasa"), "test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu/heldout.yml",
             "--out", out],
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


def single_user(url: str, rounds: int) -> List[float]:
    """Latency (ms) of every question of tools/questions.py, ``rounds`` times, one user at a time."""
    knowledge = load_knowledge(DEFAULT_KNOWLEDGE_FILE)
    questions = [t.question for t in facts(knowledge)] + list(UNKNOWNS) + list(SMALL_TALK)
    latencies = []
    for _ in range(rounds):
        who = f"bench-{uuid.uuid4().hex[:8]}"
        for q in questions:
            t = time.perf_counter()
            status, _ = http("POST", f"{url}/webhooks/rest/webhook", {"sender": who, "message": q})
            latencies.append((time.perf_counter() - t) * 1000)
            assert status == 200, status
    return latencies


def throughput(url: str, concurrency: int, check_answers: bool = True) -> load.LoadReport:
    # Twice as many conversations as run at once, so the measure is not only the ramp.
    return asyncio.run(load.run_load(
        [url], conversations=2 * concurrency, turns=4, concurrency=concurrency, channel="rest",
        duration_limit=300, timeout=60, check_answers=check_answers,
    ))


# The throughput figure is the median of this many runs, for every bot alike:
# one run of 400 answers moved by ±15 % from one minute to the next on these
# shared machines.
THROUGHPUT_RUNS = 3


@dataclass
class Throughput:
    median: load.LoadReport  # the run whose answers/s is the median
    runs: List[float]  # answers/s of each run, in order
    wrong: int  # over all runs
    errors: int

    def text(self) -> str:
        return (f"{self.median.throughput:.1f} respuestas/s (mediana de {len(self.runs)}: "
                + ", ".join(f"{r:.1f}" for r in self.runs) + f"), p50 {self.median.percentile(0.5):.0f} ms, "
                f"p95 {self.median.percentile(0.95):.0f} ms")


def throughput_runs(url: str, concurrency: int, check_answers: bool = True) -> Throughput:
    reports = [throughput(url, concurrency, check_answers) for _ in range(THROUGHPUT_RUNS)]
    median = sorted(reports, key=lambda r: r.throughput)[len(reports) // 2]
    return Throughput(median, [r.throughput for r in reports], sum(r.wrong for r in reports),
                      sum(r.errors for r in reports))


def long_script() -> list:
    """The turns the long conversation repeats: tools/questions.py's conversations, one after another."""
    return [t for conversation in scripts(load_knowledge(DEFAULT_KNOWLEDGE_FILE)) for t in conversation]


def long_window() -> int:
    return LONG_PASSES * len(long_script())


def long_conversation(stack: Stack, turns: int) -> List[float]:
    """Latency (ms) of each turn of one conversation of ``turns`` turns, every answer checked."""
    script = long_script()
    who = f"bench-long-{uuid.uuid4().hex[:8]}"
    latencies = []
    for i in range(turns):
        turn = script[i % len(script)]
        t = time.perf_counter()
        status, body = http("POST", f"{stack.url}/webhooks/rest/webhook", {"sender": who, "message": turn.question})
        latencies.append((time.perf_counter() - t) * 1000)
        reply = "\n".join(m.get("text", "") for m in body) if status == 200 and isinstance(body, list) else str(body)
        problem = f"HTTP {status}" if status != 200 else turn.check(reply)
        if problem:
            raise SystemExit(f"conversación larga, turno {i + 1} ({turn.question!r}): {problem}: {reply!r}")
    return latencies


def around(latencies: List[float], turn: int, width: int) -> float:
    """Median latency of ``width`` consecutive turns around ``turn`` (starting no earlier than turn 1).

    ``width`` is a whole number of passes over the script, so both windows hold
    the same questions the same number of times: with ten turns, which
    questions fell in each window moved the ratio by ±15 % on its own."""
    start = max(0, turn - width // 2)
    return statistics.median(latencies[start:start + width])


STARTS = 3  # start-up is the median of this many starts: one start moved by a third with the machine's load


def _start(stack: Stack, label: str, has_actions: bool, fig: Dict[str, float]) -> None:
    if has_actions:
        t0 = time.monotonic()
        stack.start_actions()
        fig["actions_startup"] = time.monotonic() - t0
        print(f"[{label}] arranque servidor de acciones:        {fig['actions_startup']:6.1f} s")
    starts = []
    for i in range(STARTS):
        if i:
            stack.stop_one("rasa")
        t1 = time.monotonic()
        stack.start_rasa()
        status, _ = http("POST", f"{stack.url}/webhooks/rest/webhook",
                         {"sender": f"bench-warmup-{i}", "message": "hola"})
        assert status == 200, status
        starts.append(time.monotonic() - t1)
    fig["startup"] = statistics.median(starts)
    print(f"[{label}] arranque rasa run hasta 1a respuesta: {fig['startup']:6.1f} s "
          f"(mediana de {STARTS}: {', '.join(f'{t:.1f}' for t in starts)} s)")
    if has_actions:
        stores = [line.split(" - ", 1)[-1].rstrip(".") for line in stack.log("rasa").splitlines()
                  if "Conversaciones en " in line or "Candado de conversaciones" in line]
        print(f"[{label}] almacenes: " + "; ".join(dict.fromkeys(stores)))


def measure(stack: Stack, label: str, rounds: int, concurrency: int, check_answers: bool,
            has_actions: bool) -> Dict[str, float]:
    """Start-up to the first answer, one user's p50/p95, throughput at `concurrency`, memory; printed as measured."""
    fig: Dict[str, float] = {}
    _start(stack, label, has_actions, fig)
    latencies = single_user(stack.url, rounds)
    fig["p50"], fig["p95"] = statistics.median(latencies), load.percentile(latencies, 0.95)
    print(f"[{label}] latencia de respuesta (1 usuario, n={len(latencies)}): "
          f"mediana {fig['p50']:.0f} ms, p95 {fig['p95']:.0f} ms")
    result = throughput_runs(stack.url, concurrency, check_answers)
    fig["throughput"] = result.median.throughput
    checked = f", incorrectas {result.wrong}" if check_answers else " (respuestas sin comprobar)"
    print(
        f"[{label}] rendimiento ({concurrency} conversaciones a la vez, REST, 1 réplica, "
        f"n={result.median.answers} por pasada): {result.text()}" + checked + f", errores {result.errors}"
    )
    mem = memory(stack)
    fig["memory"] = sum(mem.values())
    print_memory(f"[{label}] tras {len(result.runs)} pasadas", mem)
    return fig
