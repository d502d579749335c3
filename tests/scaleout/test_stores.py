"""stores.EnvTrackerStore and stores.EnvLockStore built the way Rasa builds them, on real PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from settings import SettingsError as StoreConfigError
from stores import AtomicRedisLockStore, EnvTrackerStore
from stores.lock import build_redis_lock_store
from settings.stores import lock_store_settings
from tools.stack import free_port

DOMAIN = Domain.empty()
STORE_ENV = ("TRACKER_STORE_URL", "LOCK_STORE_URL", "LOCK_STORE_KEY_PREFIX", "SANIC_WORKERS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in STORE_ENV:
        monkeypatch.delenv(name, raising=False)


def rasa_tracker_store(**config) -> TrackerStore:
    """What `rasa run` does with endpoints.yml's tracker_store section."""
    return TrackerStore.create(EndpointConfig.from_dict({"type": "stores.EnvTrackerStore", **config}), DOMAIN)


def rasa_lock_store(**config) -> LockStore:
    """What `rasa run` does with endpoints.yml's lock_store section."""
    return LockStore.create(EndpointConfig.from_dict({"type": "stores.EnvLockStore", **config}))


async def round_trip(store: TrackerStore, sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("hola", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return await store.retrieve(sender)


# --- tracker store ------------------------------------------------------------------------------
async def test_tracker_store_defaults_to_the_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # sqlite:///tracker.db is relative to where rasa runs
    store = rasa_tracker_store()
    assert isinstance(store, EnvTrackerStore) and isinstance(store, SQLTrackerStore)
    assert store.engine.url.get_backend_name() == "sqlite" and store.engine.url.database == "tracker.db"
    restored = await round_trip(store, "s1")
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["hola"]
    assert (tmp_path / "tracker.db").is_file()


async def test_tracker_store_on_postgresql(pg_url, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", pg_url)
    store = rasa_tracker_store(url="sqlite:///no-se-usa.db")  # the variable wins over endpoints.yml
    assert store.engine.url.get_backend_name() == "postgresql"
    restored = await round_trip(store, "scaleout-unit-pg")
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["hola"]
    store.engine.dispose()


def test_a_bad_tracker_store_setting_stops_rasa_instead_of_falling_back(monkeypatch):
    """Rasa turns ImportError/AttributeError from a custom store into an in-memory store; we do not."""
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://u:clave@db:5432")
    with pytest.raises(StoreConfigError, match="TRACKER_STORE_URL"):
        rasa_tracker_store()
    monkeypatch.delenv("TRACKER_STORE_URL")
    with pytest.raises(StoreConfigError, match="no acepta db"):
        rasa_tracker_store(db="otra.db")

    def no_driver(self, *args, **kwargs):
        raise ImportError("No module named 'psycopg2'")

    monkeypatch.setattr(SQLTrackerStore, "__init__", no_driver)
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://u:clave@db:5432/rasa")
    with pytest.raises(StoreConfigError, match="psycopg2") as e:
        rasa_tracker_store()  # Rasa alone would return an InMemoryTrackerStore here
    assert "clave" not in str(e.value)


# --- lock store -----------------------------------------------------------------------------------
def test_lock_store_defaults_to_memory():
    assert type(rasa_lock_store()) is InMemoryLockStore


def test_lock_store_in_redis(redis_server, redis_prefix, monkeypatch):
    url, client = redis_server
    monkeypatch.setenv("LOCK_STORE_URL", url)
    monkeypatch.setenv("LOCK_STORE_KEY_PREFIX", redis_prefix)
    store = rasa_lock_store()
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == f"{redis_prefix}:lock:"
    ticket = store.issue_ticket("c1", 30)
    key = f"{redis_prefix}:lock:c1"
    assert client.exists(key)
    assert 30_000 < client.pttl(key) <= 31_000, "the key lives as long as its last ticket, plus a second"
    store.cleanup("c1", ticket)
    assert not client.exists(key), "a lock without tickets is deleted"


def test_lock_store_options_from_endpoints_yml(redis_server, redis_prefix):
    url, _ = redis_server
    store = rasa_lock_store(url=url, key_prefix=redis_prefix)
    assert isinstance(store, AtomicRedisLockStore) and store.key_prefix.startswith(redis_prefix)
    with pytest.raises(StoreConfigError, match="no acepta db"):
        rasa_lock_store(url=url, db=3)


def test_redis_that_does_not_answer_stops_start_up():
    settings = lock_store_settings({"LOCK_STORE_URL": f"redis://:secreto@127.0.0.1:{free_port()}/0"})
    t = time.monotonic()
    with pytest.raises(StoreConfigError, match="LOCK_STORE_URL") as e:
        build_redis_lock_store(settings, wait_seconds=0.5)
    assert "Redis no responde" in str(e.value) and "secreto" not in str(e.value)
    assert time.monotonic() - t < 10


def test_tickets_and_locks_hold_across_replicas(redis_server, redis_prefix):
    """Three "replicas" (own clients, own threads) take the same conversation's lock over and over.

    Rasa 3.6's RedisLockStore reads, changes and writes the lock in separate
    commands, so two replicas can get the same ticket and run one
    conversation at once; the atomic store must never let two in.
    """
    url, client = redis_server
    settings = lock_store_settings({"LOCK_STORE_URL": url, "LOCK_STORE_KEY_PREFIX": redis_prefix})
    inside, most_inside, served = 0, 0, 0
    guard = threading.Lock()
    errors = []

    async def replica(store: AtomicRedisLockStore, messages: int) -> None:
        nonlocal inside, most_inside, served
        for _ in range(messages):
            async with store.lock("la-conversacion", lock_lifetime=30, wait_time_in_seconds=0.002):
                with guard:
                    inside += 1
                    most_inside = max(most_inside, inside)
                await asyncio.sleep(0.002)
                with guard:
                    inside -= 1
                    served += 1

    def run(messages: int) -> None:
        try:
            asyncio.run(replica(build_redis_lock_store(settings), messages))
        except Exception as e:  # noqa: BLE001  reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(25,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert served == 75
    assert most_inside == 1, f"{most_inside} turnos de la misma conversación a la vez"
    assert list(client.scan_iter(match=redis_prefix + "*")) == []


async def test_a_message_queued_behind_a_dead_replica_gets_the_lock(redis_server, redis_prefix):
    """The holder died (its ticket is never released): the next message waits for its expiry, then runs.

    With Rasa's RedisLockStore the queued ticket, issued just after the dead
    one, expires with it and the message fails with "Could not acquire lock".
    """
    url, client = redis_server
    settings = lock_store_settings({"LOCK_STORE_URL": url, "LOCK_STORE_KEY_PREFIX": redis_prefix})
    dead, alive = build_redis_lock_store(settings), build_redis_lock_store(settings)
    dead.issue_ticket("huerfana", 1.0)  # a replica took the lock and was killed
    t = time.monotonic()
    async with alive.lock("huerfana", lock_lifetime=1.0, wait_time_in_seconds=0.05):
        waited = time.monotonic() - t
    assert 0.8 < waited < 3, waited
    assert not client.exists(f"{redis_prefix}:lock:huerfana")
