"""`make bench`: the figures quoted in notes and the README, measured now, next to a bare bot's.

Prints training time (a forced training into a temporary folder), start-up time
of the action server and of `rasa run` up to the first answer, resident memory
of both servers, reply latency (median, p95) over the end-to-end questions for a
single user, throughput and latency p50/p95/p99 with 50 conversations at once
(tools/load.py, every answer checked), the cost of a turn late in one long
conversation against an early one (turn 300 against turn 10), and the intent
macro F1 on the held-out NLU set.

The same start-up, latency, throughput and memory figures are measured, with
the same client and questions (REST on 127.0.0.1), on a bare `rasa init
--no-prompt` bot built once with this project's venv and kept in
``$BENCH_BARE_DIR`` (default /tmp/alinvest-bench-bare; rebuilt when Rasa's
version changes); a last table gives each figure, ours / bare, and the target
of issue 11.  Targets are printed, never asserted.

The servers run on 127.0.0.1 with the stores of docs/scaling.md: a SQLite file
in a temporary folder and the in-memory lock, unless TRACKER_STORE_URL /
LOCK_STORE_URL are set (then the bench writes its conversations there).
REST_RATE_LIMIT is 0 for the bench's `rasa run` (one sender asks every question).

    python -m tools.bench [--skip-train] [--no-bare] [--rounds 3] [--concurrency 50] [--long-turns 310] [--replicas 2] [--soak MINUTES]

``--replicas 2`` (the default) also measures the throughput through our
nginx (deploy/) over two replicas on PostgreSQL + Redis on 127.0.0.1 (a
throw-away database and key prefix; ``BENCH_PG``, ``BENCH_REDIS``), i.e. with
both cores of this machine busy; skipped, saying why, when they are missing.

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
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

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
# Issue 11: ours against a bare `rasa init` bot (ours / bare), and a long conversation.
TARGET_RATIOS = {"startup": 0.3, "p50": 0.6, "p95": 0.7, "throughput": 2.5}
TARGET_REPLICA_MB = 1024.0
TARGET_LONG_RATIO = 1.3
LONG_EARLY, LONG_LATE = 10, 300  # the turns compared; each the median of the ten turns around it
BARE_DIR = Path(os.environ.get("BENCH_BARE_DIR") or Path(tempfile.gettempdir()) / "alinvest-bench-bare")

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


def single_user(url: str, rounds: int) -> List[float]:
    questions = [q for q, _ in FACTS] + UNKNOWNS + SMALL_TALK
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


def long_conversation(stack: Stack, turns: int) -> List[float]:
    """Latency (ms) of each turn of one conversation of ``turns`` turns, every answer checked."""
    script = [t for conversation in load.scripts(load.load_knowledge(load.KNOWLEDGE_FILE)) for t in conversation]
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


def around(latencies: List[float], turn: int) -> float:
    """Median latency of the ten turns around ``turn`` (1-based: turns turn-4 .. turn+5)."""
    return statistics.median(latencies[max(0, turn - 5):turn + 5])


# --- the bare `rasa init` bot ------------------------------------------------------------------
class BareStack(Stack):
    """`rasa run` of the bare bot in BARE_DIR: its own model, Rasa's stock REST channel, no action server."""

    def __init__(self, workdir: Path, bare_dir: Path):
        super().__init__(workdir)
        self.bare_dir = bare_dir


    def start_rasa(self, timeout: float = 180) -> None:
        (self.workdir / "credentials.yml").write_text("rest:\n")
        (self.workdir / "endpoints.yml").write_text("{}\n")
        cmd = [
            str(VENV_BIN / "rasa"), "run", "--model", str(self.bare_dir / "models"), "--port", str(self.rasa_port),
            "--interface", "127.0.0.1", "--endpoints", str(self.workdir / "endpoints.yml"),
            "--credentials", str(self.workdir / "credentials.yml"),
        ]
        self._spawn("rasa", cmd)
        self._wait_http("rasa", f"{self.url}/", timeout, log_line="Rasa server is up and running")


def rasa_version() -> str:
    out = subprocess.run([str(VENV_BIN / "python"), "-c", "import rasa; print(rasa.__version__)"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def bare_bot(bare_dir: Path = BARE_DIR) -> Path:
    """The bare `rasa init --no-prompt` bot (trained), built once per Rasa version."""
    stamp = bare_dir / ".bench-rasa-version"
    version = rasa_version()
    if stamp.is_file() and stamp.read_text().strip() == version and any((bare_dir / "models").glob("*.tar.gz")):
        return bare_dir
    building = bare_dir.with_name(bare_dir.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    print(f"construyendo el bot de referencia: rasa init --no-prompt en {bare_dir} (una vez, ~3 min)", flush=True)
    t = time.monotonic()
    with open(building / "init.log", "wb") as log:
        subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(building)], cwd=building, env=env(), check=True, stdout=log, stderr=subprocess.STDOUT)
    if not any((building / "models").glob("*.tar.gz")):
        raise SystemExit(f"rasa init no dejó un modelo en {building}/models (ver init.log)")
    (building / stamp.name).write_text(version + "\n")
    shutil.rmtree(bare_dir, ignore_errors=True)
    building.rename(bare_dir)
    print(f"  hecho en {time.monotonic() - t:.0f} s", flush=True)
    return bare_dir


def measure(stack: Stack, label: str, rounds: int, concurrency: int, check_answers: bool, has_actions: bool) -> Dict[str, float]:
    """Start-up to the first answer, one user's p50/p95, throughput at `concurrency`, memory; printed as measured."""
    fig: Dict[str, float] = {}
    if has_actions:
        t0 = time.monotonic()
        stack.start_actions()
        fig["actions_startup"] = time.monotonic() - t0
        print(f"[{label}] arranque servidor de acciones:        {fig['actions_startup']:6.1f} s")
    t1 = time.monotonic()
    stack.start_rasa()
    status, _ = http("POST", f"{stack.url}/webhooks/rest/webhook", {"sender": "bench-warmup", "message": "hola"})
    assert status == 200, status
    fig["startup"] = time.monotonic() - t1
    print(f"[{label}] arranque rasa run hasta 1a respuesta: {fig['startup']:6.1f} s")
    if has_actions:
        stores = [line.split(" - ", 1)[-1].rstrip(".") for line in stack.log("rasa").splitlines() if "Conversaciones en " in line or "Candado de conversaciones" in line]
        print(f"[{label}] almacenes: " + "; ".join(stores))
    latencies = single_user(stack.url, rounds)
    fig["p50"], fig["p95"] = statistics.median(latencies), percentile(latencies, 0.95)
    print(f"[{label}] latencia de respuesta (1 usuario, n={len(latencies)}): mediana {fig['p50']:.0f} ms, p95 {fig['p95']:.0f} ms")
    report = throughput(stack.url, concurrency, check_answers)
    fig["throughput"] = report.throughput
    print(
        f"[{label}] rendimiento ({concurrency} conversaciones a la vez, REST, 1 réplica, n={report.answers}): "
        f"{report.throughput:.1f} respuestas/s, p50 {report.percentile(0.5):.0f} ms, p95 {report.percentile(0.95):.0f} ms, "
        f"p99 {report.percentile(0.99):.0f} ms" + (f", incorrectas {report.wrong}" if check_answers else " (respuestas sin comprobar)") + f", errores {report.errors}"
    )
    mem = memory(stack)
    fig["memory"] = sum(mem.values())
    print_memory(f"[{label}] tras {report.answers} respuestas", mem)
    return fig


# --- two replicas behind nginx (both cores) ---------------------------------------------------
CLUSTER_PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
CLUSTER_REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")


def cluster_throughput(replicas: int, concurrency: int) -> Optional[Dict[str, float]]:
    """Throughput at ``concurrency`` through our nginx over ``replicas`` replicas on PostgreSQL + Redis.

    A throw-away database and a Redis key prefix of this run; None (and why)
    when PostgreSQL, Redis or nginx is not there.
    """
    import redis
    import sqlalchemy as sa

    from deploy.cluster import Balancer, ClusterError

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(CLUSTER_PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        redis.Redis.from_url(CLUSTER_REDIS, socket_timeout=5).ping()
    except (sa.exc.SQLAlchemyError, redis.exceptions.RedisError) as e:
        print(f"[nuestro ×{replicas} + nginx] omitido: PostgreSQL/Redis no disponibles ({e.__class__.__name__})")
        admin.dispose()
        return None
    prefix = f"bench{uuid.uuid4().hex[:10]}"
    env = {
        "REST_RATE_LIMIT": "0", "TRACKER_STORE_URL": str(sa.engine.make_url(CLUSTER_PG).set(database=name)),
        "LOCK_STORE_URL": CLUSTER_REDIS, "LOCK_STORE_KEY_PREFIX": prefix, "SQL_POOL_SIZE": "2", "SQL_MAX_OVERFLOW": "2",
    }
    stacks: List[Stack] = []
    balancer = None
    try:
        with tempfile.TemporaryDirectory() as work:
            for i in range(replicas):
                s = Stack(Path(work) / f"r{i}", env=env)
                s.endpoints = {
                    "action_endpoint": {"url": f"{s.action_url}/webhook"},
                    "tracker_store": {"type": "stores.EnvTrackerStore"}, "lock_store": {"type": "stores.EnvLockStore"},
                }
                stacks.append(s)
                s.start_actions()
                s.start_rasa()
            balancer = Balancer([f"127.0.0.1:{s.rasa_port}" for s in stacks], workdir=Path(work) / "nginx").start()
            http("POST", f"{balancer.url}/webhooks/rest/webhook", {"sender": "bench-warmup", "message": "hola"})
            report = throughput(balancer.url, concurrency)
            mem = [sum(memory(s).values()) for s in stacks]
            print(
                f"[nuestro ×{replicas} + nginx] rendimiento ({concurrency} conversaciones a la vez, REST por nginx, PostgreSQL + Redis, n={report.answers}): "
                f"{report.throughput:.1f} respuestas/s, p50 {report.percentile(0.5):.0f} ms, p95 {report.percentile(0.95):.0f} ms, "
                f"incorrectas {report.wrong}, errores {report.errors}; memoria por réplica " + ", ".join(f"{m:.0f} MB" for m in mem)
            )
            return {"throughput": report.throughput, "memory": max(mem)}
    except ClusterError as e:
        print(f"[nuestro ×{replicas} + nginx] omitido: {e}")
        return None
    finally:
        if balancer:
            balancer.stop()
        for s in stacks:
            s.stop()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        client = redis.Redis.from_url(CLUSTER_REDIS, socket_timeout=5)
        for key in list(client.scan_iter(match=prefix + "*")):
            client.delete(key)


def print_comparison(ours: Dict[str, float], bare: Dict[str, float], cluster: Optional[Dict[str, float]] = None, replicas: int = 2) -> None:
    rows = [
        ("arranque hasta 1a respuesta", "startup", "s", "{:.1f}", "≤", TARGET_RATIOS["startup"]),
        ("1 usuario, mediana", "p50", "ms", "{:.0f}", "≤", TARGET_RATIOS["p50"]),
        ("1 usuario, p95", "p95", "ms", "{:.0f}", "≤", TARGET_RATIOS["p95"]),
        ("50 conversaciones, respuestas/s", "throughput", "/s", "{:.1f}", "≥", TARGET_RATIOS["throughput"]),
        ("memoria residente por réplica", "memory", "MB", "{:.0f}", None, None),
    ]
    if cluster:
        ours = dict(ours, cluster_throughput=cluster["throughput"])
        bare = dict(bare, cluster_throughput=bare["throughput"])
        rows.insert(4, (f"  id., {replicas} réplicas + nginx", "cluster_throughput", "/s", "{:.1f}", "≥", TARGET_RATIOS["throughput"]))
    print("\nnuestro bot frente a un `rasa init` sin cambios (mismo cliente, REST en 127.0.0.1):")
    print(f"  {'medida':34} {'nuestro':>10} {'rasa init':>10} {'nuestro/init':>12}  objetivo")
    for name, key, unit, fmt, op, target in rows:
        ratio = ours[key] / bare[key] if bare.get(key) else float("nan")
        if op is None:
            ok = ours[key] <= TARGET_REPLICA_MB
            goal = f"≤ {TARGET_REPLICA_MB:.0f} MB: {'cumple' if ok else 'NO cumple'}"
        else:
            ok = ratio <= target if op == "≤" else ratio >= target
            goal = f"{op} {target:g}×: {'cumple' if ok else 'NO cumple'}"
        print(f"  {name:34} {fmt.format(ours[key]) + ' ' + unit:>10} {fmt.format(bare[key]) + ' ' + unit:>10} {ratio:12.2f}  {goal}")


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
    ap.add_argument("--no-bare", action="store_true", help="do not measure the bare `rasa init` bot")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    ap.add_argument("--concurrency", type=int, default=50, help="conversations at once for the throughput figure (default 50)")
    ap.add_argument("--replicas", type=int, default=2, help="throughput also through nginx over this many replicas on PostgreSQL + Redis (1: skip)")
    ap.add_argument("--long-turns", type=int, default=310, help=f"turns of the long conversation (at least {LONG_LATE + 5}; 0: skip)")
    ap.add_argument("--soak", type=float, metavar="MINUTES", help=f"then a steady load for MINUTES (at most {MAX_SOAK_MINUTES:g}), with memory at start and end")
    args = ap.parse_args()
    if args.soak is not None and not 0 < args.soak <= MAX_SOAK_MINUTES:
        ap.error(f"--soak debe estar entre 0 y {MAX_SOAK_MINUTES:g} minutos")
    if not 1 <= args.replicas <= 4:
        ap.error("--replicas debe estar entre 1 y 4")
    if args.long_turns and not LONG_LATE + 5 <= args.long_turns <= 2000:
        ap.error(f"--long-turns debe ser 0 o estar entre {LONG_LATE + 5} y 2000")
    print(f"máquina: {os.cpu_count()} núcleos, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, carga media {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')}")
    if not args.skip_train:
        print(f"entrenamiento (rasa train --force):   {bench_training():6.1f} s")

    bare: Optional[Dict[str, float]] = None
    if not args.no_bare:
        bare_dir = bare_bot()
        with tempfile.TemporaryDirectory() as work:
            stack = BareStack(Path(work), bare_dir)
            try:
                bare = measure(stack, "rasa init", args.rounds, args.concurrency, check_answers=False, has_actions=False)
            finally:
                stack.stop()

    cluster = None
    with tempfile.TemporaryDirectory() as work:
        stack = make_stack(Path(work))
        try:
            ours = measure(stack, "nuestro", args.rounds, args.concurrency, check_answers=True, has_actions=True)
            print(
                f"[nuestro] objetivos del issue 5: arranque {mark(ours['startup'], TARGET_STARTUP_S)}, mediana {mark(ours['p50'], TARGET_P50_MS)}, "
                f"p95 {mark(ours['p95'], TARGET_P95_MS)}, rendimiento {mark(ours['throughput'], TARGET_ANSWERS_PER_S, lower_is_better=False)}"
            )
            if args.long_turns:
                latencies = long_conversation(stack, args.long_turns)
                early, late = around(latencies, LONG_EARLY), around(latencies, LONG_LATE)
                print(
                    f"[nuestro] una conversación de {args.long_turns} turnos (SESSION_MAX_TURNS={os.environ.get('SESSION_MAX_TURNS') or 'por defecto'}): "
                    f"turno {LONG_EARLY} {early:.0f} ms, turno {LONG_LATE} {late:.0f} ms (medianas de 10 turnos), "
                    f"{late / early:.2f}× {mark(late / early, TARGET_LONG_RATIO)}; último turno {latencies[-1]:.0f} ms"
                )
            if args.soak:
                soak(stack, args.soak)
        finally:
            stack.stop()
    if args.replicas > 1:
        cluster = cluster_throughput(args.replicas, args.concurrency)
    if bare:
        print_comparison(ours, bare, cluster, args.replicas)
    f1 = bench_f1()
    print(f"NLU held-out (tests/nlu/heldout.yml): macro F1 {f1['macro_f1']:.3f}, exactitud {f1['accuracy']:.3f}")


if __name__ == "__main__":
    main()
