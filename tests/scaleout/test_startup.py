"""`rasa run` with the stores of endpoints.yml: the default start, and a bad setting that stops it."""

from __future__ import annotations

import sqlite3

import pytest

from tests.scaleout.conftest import ENDPOINT_STORES
from tools.stack import Stack

CLOSED_ACTION_SERVER = {"url": "http://127.0.0.1:9/webhook"}  # rasa run never gets to a turn


@pytest.mark.before_cluster
def test_default_start_sqlite_file_and_memory_lock(tmp_path):
    """Nothing set: conversations in a SQLite file, the lock in memory, as before scale-out."""
    db = tmp_path / "tracker.db"
    stores = {
        "tracker_store": {**ENDPOINT_STORES["tracker_store"], "url": f"sqlite:///{db}"},
        "lock_store": ENDPOINT_STORES["lock_store"],
    }
    env = {"TRACKER_STORE_URL": "", "LOCK_STORE_URL": "", "SANIC_WORKERS": "1"}
    stack = Stack(tmp_path, env=env)
    # Every intent, greetings included, is answered by action_answer: a real action server.
    stack.endpoints = {"action_endpoint": {"url": f"{stack.action_url}/webhook"}, **stores}
    try:
        stack.start_actions()
        stack.start_rasa()
        assert "Hola" in stack.text("scaleout-por-defecto", "hola")
    finally:
        stack.stop()
    log = stack.log("rasa")
    assert f"Conversaciones en sqlite:///{db}" in log and "Candado de conversaciones en memoria" in log
    with sqlite3.connect(db) as conn:
        texts = [
            t
            for (t,) in conn.execute(
                "SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? AND type_name = 'user'",
                ("scaleout-por-defecto",),
            )
        ]
    assert texts == ["hola"]


@pytest.mark.before_cluster
@pytest.mark.parametrize(
    "env, named",
    [
        ({"TRACKER_STORE_URL": "postgresql://bot:secreto@db:5432"}, "TRACKER_STORE_URL="),
        ({"TRACKER_STORE_URL": "", "LOCK_STORE_URL": "redis://:secreto@cache:63o9/1"}, "LOCK_STORE_URL="),
    ],
    ids=["tracker", "lock"],
)
def test_a_malformed_url_stops_start_up_naming_the_variable(tmp_path, env, named):
    stores = {
        "tracker_store": {**ENDPOINT_STORES["tracker_store"], "url": f"sqlite:///{tmp_path / 'tracker.db'}"},
        "lock_store": ENDPOINT_STORES["lock_store"],
    }
    stack = Stack(tmp_path, env=env, endpoints={"action_endpoint": CLOSED_ACTION_SERVER, **stores})
    try:
        with pytest.raises(RuntimeError, match="rasa terminó con código"):
            stack.start_rasa(timeout=120)
    finally:
        stack.stop()
    log = stack.log("rasa")
    assert f"SettingsError: {named}" in log, log[-2000:]
    assert "secreto" not in log, "la contraseña no sale en el log"
    assert "Rasa server is up and running" not in log
