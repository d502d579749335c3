"""EnvTrackerStore's cheaper read and save store and return exactly what Rasa's SQLTrackerStore does.

Same turns played on both stores (the same event objects, so the same
timestamps), on SQLite and on PostgreSQL: the rows of the ``events`` table
and the trackers read back must be identical, except for the sender id.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from stores import EnvTrackerStore
from stores.tracker import STORED_EVENTS_ATTRIBUTE
from tools.stack import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def turn(question: str, intent: str, topic: str) -> List[Event]:
    return [
        UserUttered(question, {"name": intent, "confidence": 0.93}, [{"entity": "country", "value": "Perú"}]),
        ActionExecuted("action_answer"),
        BotUttered(f"respuesta a {question}", {"buttons": []}, {"topic": topic}),
        SlotSet("last_topic", topic),
        ActionExecuted("action_listen"),
    ]


def new_session() -> List[Event]:
    return [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("last_topic", "mipymes"),
            ActionExecuted("action_listen")]


# Made in the order they are played: Rasa reads a session by the events' timestamps.
FIRST_LISTEN = ActionExecuted("action_listen")
# A conversation as Rasa's processor stores it: (events of a turn, read the tracker again before it?).
TURNS = [
    (turn("cuantas mipymes", "ask_beneficiaries", "mipymes"), False),
    (turn("y en total?", "ask_total", "mipymes"), True),
    (turn("quien lo financia", "ask_funding", "programa"), True),
    (new_session() + turn("que sectores", "ask_sectors", "sectores"), True),
    (turn("y las fechas?", "ask_event_dates", "evento"), True),
    (turn("gracias", "thanks", "evento"), False),  # saved again without reading: the same object
]


def rows(engine, sender: str) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        result = conn.execute(
            sa.text("SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                    "WHERE sender_id = :s ORDER BY id"), {"s": sender},
        )
        return [dict(r._mapping, data=json.loads(r.data)) for r in result]


async def play(store: SQLTrackerStore, sender: str) -> List[List[Dict[str, Any]]]:
    """Play TURNS; the events of each tracker read back (as dicts)."""
    # A new conversation, as get_or_create_tracker makes it, with the shared first event.
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(FIRST_LISTEN)
    read_back = []
    for events, reread in TURNS:
        if reread:
            tracker = await store.retrieve(sender)
            read_back.append([e.as_dict() for e in tracker.events])
        for event in events:
            tracker.update(event)
        await store.save(tracker)
    read_back.append([e.as_dict() for e in (await store.retrieve_full_tracker(sender)).events])
    return read_back


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("pg_url")


async def test_the_same_rows_and_trackers_as_rasas_store(db_url):
    ours = EnvTrackerStore(domain=DOMAIN, host=db_url, environ={})
    rasas = SQLTrackerStore(domain=DOMAIN, host=db_url)
    read_ours = await play(ours, "ours")
    read_rasas = await play(rasas, "rasas")

    stored_ours, stored_rasas = rows(ours.engine, "ours"), rows(ours.engine, "rasas")
    assert stored_ours == stored_rasas
    # Every event once, in order: the last turn's save of an object already saved added only its own.
    assert len(stored_ours) == 1 + sum(len(events) for events, _ in TURNS)
    assert [r["data"]["event"] for r in stored_ours[-5:]] == ["user", "action", "bot", "slot", "action"]
    assert read_ours == read_rasas
    # The current session only, as Rasa reads it: from the last session_started on.
    current = await ours.retrieve("ours")
    assert isinstance(current.events[0], SessionStarted) and len(current.events) == 3 * 5 + 3
    assert getattr(current, STORED_EVENTS_ATTRIBUTE) == len(current.events)
    ours.engine.dispose()
    rasas.engine.dispose()


async def test_a_tracker_saved_twice_after_a_new_session_stores_each_event_once(db_url):
    # Rasa's count (events after the *stored* latest session start) would
    # store the old session's events again on the second save of the same object.
    store = EnvTrackerStore(domain=DOMAIN, host=db_url, environ={})
    tracker = await store.get_or_create_tracker("twice")
    for event in turn("hola", "greet", "programa"):
        tracker.update(event)
    await store.save(tracker)
    tracker = await store.retrieve("twice")
    for event in new_session():
        tracker.update(event)
    await store.save(tracker)
    for event in turn("cuantas", "ask_beneficiaries", "mipymes"):
        tracker.update(event)
    await store.save(tracker)
    stored = rows(store.engine, "twice")
    assert [r["data"] for r in stored[1:]] == [e.as_dict() for e in tracker.events][1:]
    store.engine.dispose()


async def test_on_postgresql_a_turn_is_two_statements_without_transactions(pg_url):
    # The read and the save of a turn: one SELECT, one INSERT, no BEGIN/COMMIT round trips.
    store = EnvTrackerStore(domain=DOMAIN, host=pg_url, environ={})
    tracker = await store.get_or_create_tracker("statements")
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement.split()[0], conn.connection.dbapi_connection.autocommit))

    sa.event.listen(store.engine, "before_cursor_execute", seen)
    tracker = await store.retrieve("statements")
    for event in turn("cuantas", "ask_beneficiaries", "mipymes"):
        tracker.update(event)
    await store.save(tracker)
    assert statements == [("SELECT", True), ("INSERT", True)]
    assert len(rows(store.engine, "statements")) == 1 + 5
    store.engine.dispose()
