"""REST, the widget's socket.io and the Telegram webhook through nginx while a replica is SIGKILLed.

nginx (deploy/nginx.conf.template) sends socket.io to one replica per client
address (sticky: long-polling needs it) and everything else to the least busy
replica.  The replica the socket.io clients are on is killed with SIGKILL
during a bounded REST + Telegram + socket.io load: requests in flight on it
may fail (not acknowledged: a 502, which the client resends; a socket.io
conversation open on it breaks), every acknowledged message is in PostgreSQL
(once for REST and socket.io), and the survivor answers REST, Telegram and
new socket.io connections.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections import Counter

from tests.cluster.conftest import LOCK_LIFETIME
from tests.scaleout.conftest import stored_events, user_events
from tools.stack import http
from tests.telegram.conftest import SECRET
from tests.telegram.fake_bot_api import text_update
from tools import load as L

KILL_AFTER_ANSWERS = 10
TELEGRAM_USERS = 3
TELEGRAM_TURNS = 5
TELEGRAM_RESENDS = 2
SOCKETIO_CONVERSATIONS = 9


def socketio_load(nginx_url, knowledge, conversations=3, turns=3):
    """The coroutine of a socket.io run (long-polling) through nginx."""
    return L.run_load(
        [nginx_url],
        conversations=conversations,
        turns=turns,
        concurrency=conversations,
        channel="socketio",
        duration_limit=90,
        timeout=LOCK_LIFETIME + 30,
        knowledge=knowledge,
    )


def test_sticky_socketio_and_rest_through_nginx(nginx_cluster, knowledge):
    c = nginx_cluster
    report = asyncio.run(socketio_load(c.nginx.url, knowledge))
    assert report.ok, report.summary()
    served = c.nginx.served_by("/socket.io/")
    # Long-polling: every request of every socket from this address on one replica.
    assert len(served) == 1 and sum(served.values()) >= 3 * 4, served
    rest = asyncio.run(
        L.run_load(
            [c.nginx.url],
            conversations=8,
            turns=3,
            concurrency=8,
            channel="rest",
            duration_limit=90,
            timeout=60,
            knowledge=knowledge,
        )
    )
    assert rest.ok, rest.summary()
    assert len(c.nginx.served_by("/webhooks/rest/")) == 2, "REST reparte entre las dos réplicas"


async def test_sigkill_the_sticky_replica_under_rest_telegram_and_socketio_load(nginx_cluster, knowledge):
    c = nginx_cluster
    sticky = c.replica_at(next(iter(c.nginx.served_by("/socket.io/")))) if c.nginx.served_by("/socket.io/") else c.a
    survivor = c.b if sticky is c.a else c.a
    kill_now = asyncio.Event()
    answers = 0

    def on_turn(result: L.TurnResult) -> None:
        nonlocal answers
        if result.acknowledged:
            answers += 1
            if answers >= KILL_AFTER_ANSWERS:
                kill_now.set()

    # Telegram: a few users, each sending its questions one after the other through nginx.
    questions = [t for script in L.scripts(knowledge) for t in script][:TELEGRAM_TURNS]
    base_uid = 700_000_000 + uuid.uuid4().int % 1_000_000
    telegram = []  # (uid, text, status, started)

    def telegram_users() -> None:
        update_id = base_uid
        for turn in questions:
            for u in range(TELEGRAM_USERS):
                update_id += 1
                # As Telegram does, an update not answered 200 is delivered again (same update_id).
                for attempt in range(TELEGRAM_RESENDS + 1):
                    t0 = time.monotonic()
                    status, _ = http(
                        "POST",
                        f"{c.nginx.url}/webhooks/telegram/webhook",
                        text_update(base_uid + u, turn.question, update_id),
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                        timeout=LOCK_LIFETIME + 40,
                    )
                    telegram.append((base_uid + u, turn.question, status, t0))
                    if status == 200:
                        break
                    time.sleep(0.5)

    loop = asyncio.get_running_loop()
    load = asyncio.create_task(
        L.run_load(
            [c.nginx.url],
            conversations=12,
            turns=6,
            concurrency=6,
            channel="rest",
            duration_limit=120,
            timeout=LOCK_LIFETIME + 40,
            knowledge=knowledge,
            on_turn=on_turn,
        )
    )
    tg = loop.run_in_executor(None, telegram_users)
    # socket.io (long-polling, sticky): the conversations open at the kill are
    # on the killed replica and break; those that start later reach the survivor.
    sio = asyncio.create_task(
        L.run_load(
            [c.nginx.url],
            conversations=SOCKETIO_CONVERSATIONS,
            turns=4,
            concurrency=3,
            channel="socketio",
            duration_limit=120,
            timeout=LOCK_LIFETIME + 30,
            knowledge=knowledge,
        )
    )
    await asyncio.wait_for(kill_now.wait(), 120)
    proc = sticky.procs["rasa"]
    await loop.run_in_executor(None, sticky.stop_one, "rasa", signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    killed_at = time.monotonic()  # dead by now: whatever started later never reached it
    report = await load
    await tg
    sio_report = await sio
    print(report.summary())

    # REST: what was in flight on the killed replica got a 502 and was resent; every turn answered right.
    assert report.ok, report.summary()
    resent = [r for r in report.results if r.failovers]
    assert all(r.started <= killed_at for r in resent), [
        (round(r.started - killed_at, 3), r.problem, r.failovers) for r in resent
    ]
    after = [r for r in report.results if r.started > killed_at + 0.5]
    assert after and all(r.outcome == L.OK for r in after), "tras el SIGKILL responde la superviviente"
    print(f"  REST: {len(resent)} turnos reenviados tras un 502 de nginx")

    # Every acknowledged REST message is in PostgreSQL once.
    acknowledged = {r.load_id for r in report.results if r.acknowledged}
    stored = Counter()
    for sender in {r.conversation for r in report.results}:
        stored.update(u.get("metadata", {}).get("load_id") for u in user_events(stored_events(c.pg_url, sender)))
    assert acknowledged <= set(stored), sorted(acknowledged - set(stored))[:5]
    assert max(stored.values()) == 1, "ningún mensaje guardado dos veces"

    # Telegram: every update was finally answered 200 (failures only in flight at the kill),
    # stored (at least once: a resent update may have been stored by the dead replica too) and answered.
    ok = [(uid, text) for uid, text, status, _ in telegram if status == 200]
    assert len(ok) == TELEGRAM_USERS * TELEGRAM_TURNS, telegram
    failed = [(uid, text, status, t0) for uid, text, status, t0 in telegram if status != 200]
    assert all(t0 <= killed_at for *_, t0 in failed), failed
    print(f"  Telegram: {len(failed)} entregas fallidas y reenviadas")
    for u in range(TELEGRAM_USERS):
        uid = base_uid + u
        sent = [text for v, text in ok if v == uid]
        kept = [e["text"] for e in user_events(stored_events(c.pg_url, str(uid)))]
        assert not Counter(sent) - Counter(kept), f"Telegram {uid}: enviados {sent}, guardados {kept}"
        c.fake_api.wait_for(lambda: len(c.fake_api.sent_to(uid)) >= len(sent), 60, f"respuestas a {uid}")

    # socket.io: every answered message is stored once; only what was open at the kill broke.
    print("  socket.io durante el SIGKILL: " + sio_report.summary().replace("\n", " | "))
    broken = [r for r in sio_report.results if r.outcome != L.OK]
    assert all(r.outcome == L.ERROR and not r.acknowledged and r.started <= killed_at for r in broken), [
        (r.problem, r.started - killed_at) for r in broken
    ]
    assert any(r.outcome == L.OK and r.started > killed_at for r in sio_report.results), (
        "conversaciones socket.io nuevas en la superviviente"
    )
    answered = {r.load_id for r in sio_report.results if r.acknowledged}
    stored = Counter()
    for sender in {r.conversation for r in sio_report.results}:
        stored.update(u.get("metadata", {}).get("load_id") for u in user_events(stored_events(c.pg_url, sender)))
    assert answered <= set(stored) and all(stored[i] == 1 for i in answered), sorted(answered - set(stored))[:5]

    # The survivor takes new socket.io connections (the hash moves them) and new REST conversations.
    after_kill = await socketio_load(c.nginx.url, knowledge, conversations=2, turns=2)
    assert after_kill.ok, after_kill.summary()
    first = L.scripts(knowledge)[0][0]
    status, body = http(
        "POST",
        f"{c.nginx.url}/webhooks/rest/webhook",
        {"sender": f"cluster-despues-{uuid.uuid4().hex[:6]}", "message": first.question},
    )
    assert status == 200 and first.check("\n".join(m.get("text", "") for m in body)) is None, body
    assert survivor.procs["rasa"].poll() is None
