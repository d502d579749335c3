"""SIGKILL one replica during a bounded load run: the other one keeps answering, nothing acknowledged is lost.

Runs last in tests/scaleout (it leaves replica A dead).  The load generator
sends the turns of each conversation round-robin over A and B, as a balancer
without sticky sessions would; when A is killed, its in-flight requests fail
(not acknowledged) and are sent to B, and A leaves the rotation.  A
conversation A was serving when it died keeps A's lock ticket until the
ticket expires (TICKET_LOCK_LIFETIME, here conftest.LOCK_LIFETIME): B answers
it after that wait, never in parallel with a turn A might still be writing.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections import Counter

import pytest

from tests.scaleout.conftest import LOCK_LIFETIME, stored_events, user_events
from tools import load as L

# Killed after this many answers from replica A: requests are in flight on both.
KILL_AFTER_ANSWERS_FROM_A = 8


@pytest.mark.kills_replica
async def test_sigkill_one_replica_under_load(cluster, knowledge):
    a, b = cluster.a, cluster.b
    kill_now = asyncio.Event()
    answers_from_a = 0

    def on_turn(result: L.TurnResult) -> None:
        nonlocal answers_from_a
        if result.url == a.url and result.acknowledged:
            answers_from_a += 1
            if answers_from_a >= KILL_AFTER_ANSWERS_FROM_A:
                kill_now.set()

    load = asyncio.create_task(
        L.run_load(
            [a.url, b.url], conversations=12, turns=6, concurrency=6, channel="rest",
            duration_limit=90, timeout=LOCK_LIFETIME + 40, knowledge=knowledge, on_turn=on_turn,
        )
    )
    await asyncio.wait_for(kill_now.wait(), 90)
    killed_at = time.monotonic()
    rasa_a = a.procs["rasa"]
    await asyncio.get_running_loop().run_in_executor(None, a.stop_one, "rasa", signal.SIGKILL)
    assert rasa_a.returncode == -signal.SIGKILL
    orphaned = len(cluster.lock_keys())  # conversations A (or B) held at that instant
    report = await load
    print(report.summary())
    # A turn A was serving when it died waits on B until A's ticket expires, no longer.
    slowest = max(r.latency_ms for r in report.results)
    print(
        f"  candados en Redis al matar A: {orphaned}; "
        f"respuesta más lenta: {slowest:.0f} ms (vida del ticket {LOCK_LIFETIME} s)"
    )
    assert slowest < (LOCK_LIFETIME + 10) * 1000

    # The survivor answered everything that came after the kill, correctly.
    assert report.errors == 0 and report.wrong == 0 and not report.stopped_by_limit, report.summary()
    assert report.answers == 12 * 6
    after = [r for r in report.results if r.started > killed_at]
    assert after and all(r.url == b.url for r in after), "después del SIGKILL solo responde B"
    assert sum(r.failovers for r in report.results) >= 1, "algún turno fue a A muerta y se reenvió a B"

    # Every acknowledged message (HTTP 200) is in PostgreSQL exactly once; a
    # request A dropped is there at most once (A may have saved it before dying).
    acknowledged = {r.load_id for r in report.results if r.acknowledged}
    stored = Counter()
    for sender in {r.conversation for r in report.results}:
        events = stored_events(cluster.pg_url, sender)
        stored.update(u.get("metadata", {}).get("load_id") for u in user_events(events))
    missing = acknowledged - set(stored)
    assert not missing, f"mensajes con 200 que no están en el tracker: {sorted(missing)[:5]}"
    assert all(stored[i] == 1 for i in acknowledged), [i for i in acknowledged if stored[i] != 1][:5]
    assert max(stored.values()) == 1, "ningún mensaje guardado dos veces"

    # B still answers a new conversation at once, and A's abandoned locks expire.
    t = time.monotonic()
    first = L.scripts(knowledge)[0][0]
    assert first.check(b.text(f"scaleout-despues-{uuid.uuid4().hex[:8]}", first.question)) is None
    assert time.monotonic() - t < 10
    deadline = time.monotonic() + LOCK_LIFETIME + 5
    while cluster.lock_keys() and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    assert cluster.lock_keys() == [], "los candados de la réplica muerta caducan en Redis"
