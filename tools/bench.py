"""`make bench`: the figures quoted in notes and the README, measured now.

Prints training time (a forced training into a temporary folder), start-up time
of the action server and of `rasa run` up to the first answer, resident memory
of both servers, reply latency (median, p95) over the end-to-end questions for a
single user, and the intent macro F1 on the held-out NLU set.
Everything runs on 127.0.0.1; nothing here is a test assertion.

    python -m tools.bench [--skip-train] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.test_rest import FACTS, UNKNOWNS  # noqa: E402  the questions the e2e tests check
from tests.support.stack import MODEL, VENV_BIN, Stack, http  # noqa: E402

SMALL_TALK = ["hola", "gracias", "¿eres un robot?", "que puedes hacer?", "¿qué clima hará mañana?"]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def env():
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")


def bench_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        t = time.monotonic()
        subprocess.run(
            [str(VENV_BIN / "rasa"), "train", "--domain", "domain", "--data", "data", "--out", out, "--force", "--fixed-model-name", "bench"],
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-train", action="store_true", help="do not measure training")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    args = ap.parse_args()
    print(f"máquina: {os.cpu_count()} núcleos, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; {time.strftime('%Y-%m-%d %H:%M')}")
    if not args.skip_train:
        print(f"entrenamiento (rasa train --force):   {bench_training():6.1f} s")

    with tempfile.TemporaryDirectory() as work:
        stack = Stack(Path(work))
        t0 = time.monotonic()
        stack.start_actions()
        t_actions = time.monotonic() - t0
        t1 = time.monotonic()
        stack.start_rasa()
        stack.text("bench-warmup", "hola")
        t_rasa = time.monotonic() - t1
        print(f"arranque servidor de acciones:        {t_actions:6.1f} s")
        print(f"arranque rasa run hasta 1a respuesta: {t_rasa:6.1f} s")
        try:
            questions = [q for q, _ in FACTS] + UNKNOWNS + SMALL_TALK
            latencies = []
            for r in range(args.rounds):
                who = f"bench-{uuid.uuid4().hex[:8]}"
                for q in questions:
                    t = time.perf_counter()
                    status, _ = http("POST", f"{stack.url}/webhooks/rest/webhook", {"sender": who, "message": q})
                    latencies.append((time.perf_counter() - t) * 1000)
                    assert status == 200, status
            print(f"latencia de respuesta (1 usuario, n={len(latencies)}): mediana {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms")
            print(f"memoria residente: rasa run {rss_mb(stack.procs['rasa'].pid):.0f} MB, servidor de acciones {rss_mb(stack.procs['actions'].pid):.0f} MB")
        finally:
            stack.stop()
    f1 = bench_f1()
    print(f"NLU held-out (tests/nlu/heldout.yml): macro F1 {f1['macro_f1']:.3f}, exactitud {f1['accuracy']:.3f}")


if __name__ == "__main__":
    main()
