"""``stores.EnvLockStore``: the conversation lock, in memory or in Redis (``LOCK_STORE_URL``).

endpoints.yml::

    lock_store:
      type: stores.EnvLockStore

Rasa takes a lock per conversation around each message, so that two messages
of one conversation are handled one after the other: with several replicas
the lock must live in Redis, which all of them see.

Rasa 3.6's RedisLockStore reads the lock, changes it and writes it back in
three separate commands: two replicas that take a ticket for the same
conversation at the same moment can both get the same number (both then run
the conversation at once and one turn's events are lost), and a replica that
deletes a finished lock can delete a ticket the other one just added (whose
message then fails with "Could not acquire lock").  :class:`AtomicRedisLockStore`
does each of those read-change-write steps in one Redis transaction
(WATCH/MULTI/EXEC, retried on conflict), keeps a queued message's ticket alive
while it waits, and gives each lock key an expiry after its last ticket's, so
a replica killed while holding a lock leaves no key behind.  Tickets, their
order and the holder's lifetime (``TICKET_LOCK_LIFETIME``, 60 s by default:
how long the conversations of a replica that died stay blocked) are Rasa's own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Mapping, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from settings.errors import SettingsError
from settings.stores import ENV_LOCK_STORE_URL, RedisSettings, lock_store_settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How long start-up waits for Redis to answer before it gives up.
REDIS_STARTUP_WAIT_SECONDS = 15.0
# Extra life of a lock key after its last ticket expires.
KEY_EXPIRY_MARGIN_MS = 1000
# How often a queued message checks whether its turn has come (Rasa: 1 s).
LOCK_POLL_SECONDS = 0.1


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose read-change-write steps are Redis transactions.

    Same keys and values as Rasa's (``<prefix>:lock:<conversation id>``, a
    JSON ticket lock).  Two more changes to Rasa's waiting:

    * a waiting message renews its own ticket at each check, so it never
      expires while it queues (Rasa counts a ticket's lifetime from when it
      was issued: a message queued behind a replica that died holding the lock
      expired at about the same moment as the dead ticket, and failed with
      "Could not acquire lock");
    * it checks every ``poll_seconds`` (0.1 s) instead of Rasa's 1 s, so a
      queued message starts soon after the one before it ends.
    """

    def __init__(self, *args: Any, poll_seconds: float = LOCK_POLL_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poll_seconds = poll_seconds

    def _change(
        self, conversation_id: Text, change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]
    ) -> T:
        """Apply ``change`` (old lock or None -> (new lock or None, result)) atomically."""
        key = self.key_prefix + conversation_id

        def transaction(pipe) -> T:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is None or not new_lock.tickets:
                pipe.delete(key)
            else:
                last_expiry = max(t.expires for t in new_lock.tickets)
                ttl_ms = max(KEY_EXPIRY_MARGIN_MS, math.ceil((last_expiry - time.time()) * 1000) + KEY_EXPIRY_MARGIN_MS)
                pipe.set(key, new_lock.dumps(), px=ttl_ms)
            return result

        # redis-py re-runs `transaction` when another client changed the key meanwhile.
        return self.red.transaction(transaction, key, value_from_callable=True)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: Optional[float] = None,
    ) -> AsyncGenerator[TicketLock, None]:
        """Hold the lock of ``conversation_id`` (Rasa's agent: around each message)."""
        wait = self.poll_seconds if wait_time_in_seconds is None else wait_time_in_seconds
        ticket, lock = self._take_ticket(conversation_id, lock_lifetime)
        try:
            # Usually nobody else holds the conversation: the transaction that
            # issued the ticket already says so, and no second one is needed
            # to check it (one Redis transaction less a turn).
            if lock.is_locked(ticket):
                lock = await self._wait_for_turn(conversation_id, ticket, lock_lifetime, wait)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: Text, ticket: int, lifetime: float, wait: float) -> TicketLock:
        def renew(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], Optional[TicketLock]]:
            if lock is None:
                return None, None
            lock.remove_expired_tickets()
            own = next((t for t in lock.tickets if t.number == ticket), None)
            if own is None:  # ours expired (this process stalled longer than its lifetime)
                return lock, None
            own.expires = max(own.expires, time.time() + lifetime)
            return lock, lock

        logger.debug(f"Acquiring lock for conversation '{conversation_id}'.")
        while True:
            lock = self._change(conversation_id, renew)
            if lock is None:
                break
            if not lock.is_locked(ticket):
                logger.debug(f"Acquired lock for conversation '{conversation_id}'.")
                return lock
            await asyncio.sleep(wait)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._take_ticket(conversation_id, lock_lifetime)[0]

    def _take_ticket(self, conversation_id: Text, lock_lifetime: float) -> Tuple[int, TicketLock]:
        """A new ticket, and the lock as that same transaction left it."""

        def take(lock: Optional[TicketLock]) -> Tuple[TicketLock, Tuple[int, TicketLock]]:
            lock = lock or self.create_lock(conversation_id)
            return lock, (lock.issue_ticket(lock_lifetime), lock)

        logger.debug(f"Issuing ticket for conversation '{conversation_id}'.")
        try:
            return self._change(conversation_id, take)
        except Exception as e:
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def release(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, release)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # Rasa: finish_serving, then delete the key if nobody waits -- two steps
        # between which another replica may add a ticket.  Here one: _change
        # deletes a lock left without tickets.
        self.finish_serving(conversation_id, ticket_number)

    def save_lock(self, lock: TicketLock) -> None:
        self._change(lock.conversation_id, lambda _: (lock, None))


class EnvLockStore(LockStore):
    """Factory: ``EnvLockStore(endpoint_config)`` returns the lock store to use.

    ``LOCK_STORE_URL`` unset or empty (and no ``url`` in endpoints.yml): Rasa's
    InMemoryLockStore, right for one ``rasa run`` with one worker.
    ``redis://host:6379/1``: an :class:`AtomicRedisLockStore` with the key
    prefix ``LOCK_STORE_KEY_PREFIX`` (default ``alinvest``), checked with a
    PING at start-up.  Rasa 3.6 builds a ``type: module.Class`` lock store as
    ``Class(endpoint_config=...)``; the object returned is an instance of one
    of those two classes, not of this one.
    """

    def __new__(  # type: ignore[misc]
        cls, endpoint_config: Optional[EndpointConfig] = None, environ: Optional[Mapping[Text, Text]] = None
    ) -> LockStore:
        kwargs = dict(endpoint_config.kwargs) if endpoint_config is not None else {}
        prefix = kwargs.pop("key_prefix", None)
        if kwargs:
            raise SettingsError(
                f"stores.EnvLockStore no acepta {', '.join(sorted(kwargs))} en endpoints.yml: "
                f"el candado se elige con {ENV_LOCK_STORE_URL} (o `url`, `key_prefix`)."
            )
        settings = lock_store_settings(environ, endpoint_config.url if endpoint_config is not None else None, prefix)
        if settings is None:
            logger.info("Candado de conversaciones en memoria de este proceso (%s sin definir).", ENV_LOCK_STORE_URL)
            return InMemoryLockStore()
        store = build_redis_lock_store(settings)
        logger.info(
            "Candado de conversaciones en Redis %s, claves %s* (%s).",
            settings.display,
            store.key_prefix,
            settings.origin,
        )
        return store


def build_redis_lock_store(
    settings: RedisSettings, wait_seconds: float = REDIS_STARTUP_WAIT_SECONDS
) -> AtomicRedisLockStore:
    """The Redis lock store for ``settings``, once Redis answers a PING (SettingsError otherwise)."""
    import redis

    store = AtomicRedisLockStore(
        host=settings.host,
        port=settings.port,
        db=settings.db,
        username=settings.username,
        password=settings.password,
        use_ssl=settings.use_ssl,
        key_prefix=settings.key_prefix,
    )
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            store.red.ping()
            return store
        except redis.exceptions.RedisError as e:
            if time.monotonic() >= deadline:
                raise SettingsError(
                    f"{settings.origin}={settings.display!r}: Redis no responde tras {wait_seconds:g} s "
                    f"({e.__class__.__name__}: {e})."
                ) from e
            logger.warning("Redis %s no responde todavía (%s); reintento.", settings.display, e)
            time.sleep(1.0)
