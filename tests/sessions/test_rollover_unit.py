"""rasa_fixes.session_rollover: the setting, the turn count and the carried slots."""

import pytest

from settings import SettingsError
from rasa.core.actions.action import ActionSessionStart
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_fixes import session_rollover as sr


@pytest.mark.parametrize("raw, expected", [(None, 20), ("", 20), (" 7 ", 7), ("0", 0), ("10000", 10000)])
def test_setting(raw, expected):
    env = {} if raw is None else {"SESSION_MAX_TURNS": raw}
    assert sr.session_max_turns(env) == expected


@pytest.mark.parametrize("raw", ["-1", "veinte", "2.5", "10001"])
def test_bad_setting_names_the_variable(raw):
    with pytest.raises(SettingsError, match="SESSION_MAX_TURNS"):
        sr.session_max_turns({"SESSION_MAX_TURNS": raw})


def tracker(events):
    slots = [AnySlot("last_topic", mappings=[]), AnySlot("last_sources", mappings=[])]
    return DialogueStateTracker.from_events("t", events, slots)


def turn(i):
    return [UserUttered(f"q{i}"), BotUttered(f"a{i}"), SlotSet("last_topic", f"t{i}"), ActionExecuted("action_listen")]


def test_turns_counted_since_the_last_session_start():
    old = [e for i in range(5) for e in turn(i)]
    new = [e for i in range(5, 8) for e in turn(i)]
    assert sr.turns_in_current_session(tracker(old)) == 5
    assert sr.turns_in_current_session(tracker(old + [SessionStarted()] + new)) == 3
    assert sr.turns_in_current_session(tracker([])) == 0


def test_carried_slots_are_the_latest_one_per_slot():
    events = [SessionStarted(), SlotSet("last_topic", "a"), SlotSet("last_sources", ["s1"])]
    events += [e for i in range(4) for e in turn(i)]
    carried = sr.latest_slot_events(tracker(events))
    assert [(e.key, e.value) for e in carried] == [("last_sources", ["s1"]), ("last_topic", "t3")]


def test_installed_on_this_rasa_and_rolls_over_at_the_limit():
    assert sr.install({"SESSION_MAX_TURNS": "3"}) is True
    try:
        assert MessageProcessor._has_session_expired.__module__ == sr.__name__
        assert ActionSessionStart._slot_set_events_from_tracker is sr.latest_slot_events

        class Processor:  # only what _has_session_expired reads
            class domain:
                class session_config:
                    session_expiration_time = 60

                    @staticmethod
                    def are_sessions_enabled():
                        return True

        two = tracker([SessionStarted()] + [e for i in range(2) for e in turn(i)])
        three = tracker([SessionStarted()] + [e for i in range(3) for e in turn(i)])
        assert MessageProcessor._has_session_expired(Processor(), two) is False
        assert MessageProcessor._has_session_expired(Processor(), three) is True
        sr.install({"SESSION_MAX_TURNS": "0"})
        assert MessageProcessor._has_session_expired(Processor(), three) is False
    finally:
        sr.install({})


def test_a_bad_setting_stops_the_tracker_store(tmp_path, monkeypatch):
    # EnvTrackerStore installs the fixes: rasa run refuses to start, naming the variable.
    from stores import EnvTrackerStore

    monkeypatch.setenv("SESSION_MAX_TURNS", "muchos")
    try:
        with pytest.raises(SettingsError, match="SESSION_MAX_TURNS='muchos'"):
            EnvTrackerStore(host=f"sqlite:///{tmp_path / 't.db'}", environ={})
    finally:
        monkeypatch.delenv("SESSION_MAX_TURNS")
        sr.install({})


def test_the_store_indexes_the_session_query(tmp_path):
    import sqlalchemy as sa

    from stores import EnvTrackerStore
    from stores.tracker import SENDER_TIME_INDEX, SESSION_START_INDEX

    db = tmp_path / "t.db"
    for _ in range(2):  # a second start (or replica) finds them there
        store = EnvTrackerStore(host=f"sqlite:///{db}", environ={})
    names = {i["name"] for i in sa.inspect(store.engine).get_indexes("events")}
    assert {SESSION_START_INDEX, SENDER_TIME_INDEX} <= names
    with store.engine.connect() as conn:
        plan = " ".join(str(r) for r in conn.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT id FROM events WHERE sender_id = 'x' AND timestamp >= "
            "(SELECT max(timestamp) FROM events WHERE sender_id = 'x' AND type_name = 'session_started')"
        )))
    assert SENDER_TIME_INDEX in plan and SESSION_START_INDEX in plan, plan
