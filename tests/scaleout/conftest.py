"""Two `rasa run` replicas sharing one PostgreSQL tracker store and one Redis lock store.

The cluster (package-scoped, started once for tests/scaleout/):

* action server 1 and action server 2 (two processes, two ports);
* replica A (`rasa run`) -> action server 1, replica B -> action server 2;
* both with ``tracker_store: stores.EnvTrackerStore`` and ``lock_store:
  stores.EnvLockStore`` in endpoints.yml, pointed by ``TRACKER_STORE_URL`` at
  a throw-away PostgreSQL database made for this run (dropped at the end) and
  by ``LOCK_STORE_URL`` / ``LOCK_STORE_KEY_PREFIX`` at Redis with a key prefix
  of this run's own (its keys deleted at the end).

Tests marked ``before_cluster`` (a `rasa run` that must refuse to start) run
first and tests marked ``kills_replica`` last, so at most the cluster's
processes run at a time.  Without PostgreSQL or Redis on 127.0.0.1 the tests
that need them fail, saying why (``SCALEOUT_PG``, ``SCALEOUT_REDIS``
point elsewhere).
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List

import pytest

from tools.stack import MODEL, Stack

PG_SERVER = os.environ.get("SCALEOUT_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
# A Redis database number of our own (the lock keys also carry this run's prefix).
REDIS_SERVER = os.environ.get("SCALEOUT_REDIS", "redis://127.0.0.1:6379/13")

# Seconds the lock ticket of a turn lives (Rasa's TICKET_LOCK_LIFETIME, 60 by
# default): after a replica is killed, the conversations it was serving wait
# this long on the other one.  Longer than any one turn on a busy machine.
LOCK_LIFETIME = 10
# Longer than LOCK_LIFETIME: a turn that waited for a dead replica's ticket
# still gets its real answer, not the «No puedo consultar» notice.
REPLY_TIMEOUT = 30

CREDENTIALS = {
    "channels.rest.RestInput": None,
    "channels.webchat.WebChatInput": {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": True,
    },
}
ENDPOINT_STORES = {
    "tracker_store": {"type": "stores.EnvTrackerStore"},
    "lock_store": {"type": "stores.EnvLockStore"},
}


def pytest_configure(config):
    config.addinivalue_line("markers", "before_cluster: run before tests/scaleout's cluster starts")
    config.addinivalue_line("markers", "kills_replica: kills a replica of the cluster; runs last in tests/scaleout")


def pytest_collection_modifyitems(session, config, items):
    here = [i for i, item in enumerate(items) if "tests/scaleout/" in item.nodeid]
    if not here:
        return
    mine = [items[i] for i in here]

    def rank(item) -> int:
        return 0 if item.get_closest_marker("before_cluster") else 2 if item.get_closest_marker("kills_replica") else 1

    for i, item in zip(here, sorted(mine, key=rank)):  # sorted() is stable
        items[i] = item


# --- PostgreSQL and Redis of our own --------------------------------------------------------
@pytest.fixture(scope="package")
def pg_url():
    """A throw-away PostgreSQL database (URL), dropped when tests/scaleout ends."""
    sa = pytest.importorskip("sqlalchemy")
    name = f"scaleout_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name made here, not input
    except sa.exc.OperationalError as e:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL no disponible en {PG_SERVER}: {e.__class__.__name__} (this machine runs it on 127.0.0.1:5432)"
        )
    yield str(sa.engine.make_url(PG_SERVER).set(database=name))
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="package")
def redis_server():
    """(URL, client) of our Redis database; skipped when Redis does not answer."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_SERVER, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as e:
        pytest.fail(
            f"Redis no disponible en {REDIS_SERVER}: {e.__class__.__name__} (this machine runs it on 127.0.0.1:6379)"
        )
    yield REDIS_SERVER, client
    client.close()


def delete_keys(client, prefix: str) -> None:
    for key in list(client.scan_iter(match=prefix + "*", count=500)):
        client.delete(key)


@pytest.fixture
def redis_prefix(redis_server):
    """A key prefix of this test's own (letters and digits), its keys deleted afterwards."""
    _, client = redis_server
    prefix = f"scaleout{uuid.uuid4().hex[:10]}"
    yield prefix
    delete_keys(client, prefix)


# --- reading the shared tracker store ---------------------------------------------------------
def stored_events(pg_url: str, sender: str) -> List[Dict[str, Any]]:
    """The events of ``sender`` in PostgreSQL, in the order the store replays them (by id)."""
    import sqlalchemy as sa

    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, type_name, data FROM events WHERE sender_id = :sender ORDER BY id"),
                {"sender": sender},
            ).fetchall()
    finally:
        engine.dispose()
    return [dict(json.loads(data), _id=row_id, _type=type_name) for row_id, type_name, data in rows]


def user_events(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [e for e in events if e["_type"] == "user"]


# --- the cluster ------------------------------------------------------------------------------------
@dataclass
class Cluster:
    a: Stack
    b: Stack
    pg_url: str
    redis_client: Any
    key_prefix: str

    @property
    def replicas(self) -> List[Stack]:
        return [self.a, self.b]

    def lock_keys(self) -> List[bytes]:
        return list(self.redis_client.scan_iter(match=self.key_prefix + "*"))


def _in_parallel(*calls) -> None:
    errors: List[BaseException] = []

    def run(call):
        try:
            call()
        except BaseException as e:  # noqa: BLE001  re-raised below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def cluster_env(pg_url: str, redis_url: str, prefix: str) -> Dict[str, str]:
    return {
        "TRACKER_STORE_URL": pg_url,
        "LOCK_STORE_URL": redis_url,
        "LOCK_STORE_KEY_PREFIX": prefix,
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME),
        "REST_RATE_LIMIT": "0",  # load runs: no per-sender limit
        "CHANNEL_REPLY_TIMEOUT": str(REPLY_TIMEOUT),
        # Never inherit the developer's own settings.
        "REST_MAX_BODY_BYTES": "",
        "CHANNEL_MAX_MESSAGE_CHARS": "",
        "SANIC_WORKERS": "1",
    }


@pytest.fixture(scope="package")
def cluster(tmp_path_factory, pg_url, redis_server):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    redis_url, client = redis_server
    prefix = f"scaleout{uuid.uuid4().hex[:10]}"
    env = cluster_env(pg_url, redis_url, prefix)
    root = tmp_path_factory.mktemp("scaleout")
    a = Stack(root / "a", credentials=CREDENTIALS, env=env)
    b = Stack(root / "b", credentials=CREDENTIALS, env=env)
    for s in (a, b):  # each replica calls its own action server
        s.endpoints = {"action_endpoint": {"url": f"{s.action_url}/webhook"}, **ENDPOINT_STORES}
    try:
        _in_parallel(a.start_actions, b.start_actions)
        # Both at once on the empty database, as replicas start in production.
        _in_parallel(a.start_rasa, b.start_rasa)
        yield Cluster(a, b, pg_url, client, prefix)
    finally:
        a.stop()
        b.stop()
        delete_keys(client, prefix)
