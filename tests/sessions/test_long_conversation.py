"""One conversation of 321 turns on the real servers: sessions roll over, follow-ups keep working.

A session ends after SESSION_MAX_TURNS user messages (rasa_fixes/session_rollover.py),
so no turn reads or ships more than one bounded session; the slots the
follow-ups read (last_topic, last_sources) are carried over, and the whole
history stays in the tracker store.  Timing is measured by `make bench`, not here.
"""

import json
import sqlite3
from collections import Counter

import pytest

from tools.stack import MODEL, Stack

MAX_TURNS = 20
SENDER = "larga-conversacion"
# A question and its follow-up: the follow-up only works from the slots.
PAIRS = [
    (("¿Cuántas mipymes peruanas se beneficiaron?", "5.375"), ("¿y en total?", "49.000")),
    (
        ("¿qué porcentaje de las mipymes son peruanas?", "11 %"),
        ("y de donde sacaste eso?", "el 11% se encuentran en Perú"),
    ),
    (
        ("¿cuál fue el presupuesto?", "La fuente no lo indica"),
        ("¿de dónde sacaste eso?", "no cubre lo que me preguntaste"),
    ),
]


def script(turns):
    """(message, expected fragment) for `turns` turns: a greeting, then question / follow-up pairs.

    The greeting shifts the pairs by one, so every new session (turns 21, 41, ...)
    starts with a follow-up, whose answer needs the slots carried over.
    """
    out = [("hola", None)]
    i = 0
    while len(out) < turns:
        question, follow_up = PAIRS[i % len(PAIRS)]
        out += [question, follow_up]
        i += 1
    return out[:turns]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    s = Stack(
        tmp_path_factory.mktemp("long"), env={"SESSION_MAX_TURNS": str(MAX_TURNS), "REST_RATE_LIMIT": "0"}
    ).start()
    yield s
    s.stop()


def stored_events(stack, sender):
    db = sqlite3.connect(stack.workdir / "tracker.db")
    try:
        rows = db.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    finally:
        db.close()
    return [(t, json.loads(d)) for t, d in rows]


def sessions(events):
    """The stored events cut at each session_started (what Rasa reads for one turn)."""
    cut = [[]]
    for type_name, data in events:
        if type_name == "session_started":
            cut.append([])
        cut[-1].append((type_name, data))
    return [s for s in cut if s]


def test_321_turns_follow_ups_right_and_whole_history_kept(stack):
    turns = script(321)
    wrong = []
    for n, (message, expected) in enumerate(turns, start=1):
        reply = stack.text(SENDER, message)
        if not reply.strip() or (expected and expected not in reply) or "No puedo consultar" in reply:
            wrong.append(f"turno {n}: {message!r} -> {reply!r} (esperado {expected!r})")
    assert not wrong, f"{len(wrong)} respuestas erróneas de {len(turns)}:\n" + "\n".join(wrong[:20])

    events = stored_events(stack, SENDER)
    counts = Counter(t for t, _ in events)
    # Every message and every answer is still in the store, once.
    assert [d["text"] for t, d in events if t == "user"] == [m for m, _ in turns]
    assert counts["bot"] >= len(turns)
    # A new session every MAX_TURNS user messages: 321 turns -> 17 sessions.
    assert counts["session_started"] == -(-len(turns) // MAX_TURNS)
    per_session = [sum(1 for t, _ in s if t == "user") for s in sessions(events)]
    assert max(per_session) == MAX_TURNS and sum(per_session) == len(turns), per_session
    # What a session starts with stays small: one carried event per slot, not
    # every slot event of every earlier session.
    for s in sessions(events)[1:]:
        carried = []
        for t, d in s[1:]:
            if t != "slot":
                break
            carried.append(d["name"])
        assert len(carried) == len(set(carried)) <= 3, carried


def test_the_store_reads_only_the_last_session(stack):
    # What Rasa's SQLTrackerStore.retrieve (every turn) and retrieve_full_tracker
    # (make report, the HTTP API) get from the same store.
    import asyncio

    from rasa.shared.core.domain import Domain

    from stores import EnvTrackerStore
    from tools.stack import ROOT

    store = EnvTrackerStore(
        domain=Domain.load(str(ROOT / "domain.yml")), host=f"sqlite:///{stack.workdir / 'tracker.db'}", environ={}
    )
    current = asyncio.run(store.retrieve(SENDER))
    full = asyncio.run(store.retrieve_full_tracker(SENDER))
    user = lambda tracker: sum(1 for e in tracker.events if e.type_name == "user")  # noqa: E731
    assert 1 <= user(current) <= MAX_TURNS
    assert user(full) == 321
    assert current.get_slot("last_topic") and current.get_slot("last_sources")
