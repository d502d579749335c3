"""What makes a turn cheaper keeps Rasa's behaviour: the event-class map, SQLite's WAL."""

import sqlite3

import pytest
from rasa.shared.core import events as E
from rasa.shared.utils.common import all_subclasses

import rasa_fixes
from rasa_fixes import event_types


def rasa_own(type_name, default=None):
    """Rasa 3.6.21's resolve_by_type, as it is in site-packages."""
    for cls in all_subclasses(E.Event):
        if cls.type_name == type_name:
            return cls
    if type_name == "topic":
        return None
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def test_installed():
    assert rasa_fixes.install() is True
    assert E.Event.resolve_by_type is event_types.resolve_by_type


@pytest.mark.parametrize("name", sorted({c.type_name for c in all_subclasses(E.Event)}) + ["topic"])
def test_every_event_name_gives_rasas_class(name):
    rasa_fixes.install()
    assert E.Event.resolve_by_type(name) is rasa_own(name)


def test_unknown_names_as_rasa():
    rasa_fixes.install()
    assert E.Event.resolve_by_type("no_such_event", E.UserUttered) is E.UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        E.Event.resolve_by_type("no_such_event")


def test_a_class_defined_later_is_found():
    rasa_fixes.install()

    class LateEvent(E.SlotSet):
        type_name = "alinvest_late_event"

    assert E.Event.resolve_by_type("alinvest_late_event") is LateEvent
    assert E.Event.from_parameters({"event": "slot", "name": "last_topic", "value": "x"}) == E.SlotSet(
        "last_topic", "x"
    )


def test_sqlite_store_uses_wal_and_keeps_every_commit(tmp_path):
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered

    from stores import EnvTrackerStore
    from tools.stack import ROOT

    db = tmp_path / "tracker.db"
    store = EnvTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")), host=f"sqlite:///{db}", environ={})
    tracker = asyncio.run(store.get_or_create_tracker("wal"))
    for i in range(3):
        tracker.update(UserUttered(f"mensaje {i}"))
        asyncio.run(store.save(tracker))
    with sqlite3.connect(db) as conn:  # another connection, as `make report` reads it
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        texts = [
            t
            for (t,) in conn.execute(
                "SELECT json_extract(data, '$.text') FROM events WHERE type_name = 'user' ORDER BY id"
            )
        ]
    assert texts == ["mensaje 0", "mensaje 1", "mensaje 2"]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
