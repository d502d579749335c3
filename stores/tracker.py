"""``stores.EnvTrackerStore``: Rasa's SQLTrackerStore on the database named by ``TRACKER_STORE_URL``.

endpoints.yml::

    tracker_store:
      type: stores.EnvTrackerStore

Unset, conversations stay in the SQLite file ``tracker.db`` (as before);
``TRACKER_STORE_URL=postgresql://user:pass@host:5432/db`` shares them between
replicas.  It is Rasa's SQLTrackerStore with the same ``events`` table
(created if missing), the same rows and trackers, the same pool settings
(``SQL_POOL_SIZE``, ``SQL_MAX_OVERFLOW``, ``POSTGRESQL_SCHEMA``) and the same
wait while the database is not up yet; only the way a turn reads and saves
is cheaper (``_retrieve``, ``save``; PostgreSQL in autocommit, SQLite in
write-ahead-log mode), checked against Rasa's own store by
tests/scaleout/test_store_rows.py.
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Dict, Mapping, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

import rasa_fixes

from settings.errors import SettingsError
from settings.stores import ENV_TRACKER_STORE_URL, TrackerStoreSettings, tracker_store_settings

logger = logging.getLogger(__name__)

# Our indexes on Rasa's `events` table (see EnvTrackerStore._create_session_indexes).
SESSION_START_INDEX = "ix_events_alinvest_session_start"
SENDER_TIME_INDEX = "ix_events_alinvest_sender_time"

# Attribute of a tracker this store read or saved: how many of its events
# are in the database (see EnvTrackerStore.save).
STORED_EVENTS_ATTRIBUTE = "_alinvest_stored_events"


class EnvTrackerStore(SQLTrackerStore):
    """A SQLTrackerStore whose database comes from ``TRACKER_STORE_URL``.

    Rasa 3.6 builds a ``type: module.Class`` tracker store as
    ``Class(host=<url key>, domain=..., event_broker=..., **<other keys>)``:
    ``host`` (endpoints.yml ``url``) is used only when the variable is unset,
    and any other key is refused, so a typo cannot go unnoticed.
    """

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        environ: Optional[Mapping[Text, Text]] = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise SettingsError(
                f"stores.EnvTrackerStore no acepta {', '.join(sorted(kwargs))} en endpoints.yml: "
                f"la base se elige con {ENV_TRACKER_STORE_URL} (o `url`)."
            )
        # Every process that holds conversations builds this store: the place
        # to install our run-time fixes to Rasa (rasa_fixes/).
        rasa_fixes.install()
        self.settings: TrackerStoreSettings = tracker_store_settings(environ, configured=host)
        logger.info("Conversaciones en %s (%s).", self.settings.display, self.settings.origin)
        try:
            super().__init__(domain=domain, host=self.settings.url, event_broker=event_broker)
        except (ImportError, AttributeError) as e:
            # Rasa would catch these and silently keep conversations in memory.
            raise SettingsError(
                f"{self.settings.origin}={self.settings.display!r}: no se pudo crear el almacén "
                f"({e.__class__.__name__}: {e}); ¿falta el controlador de la base (psycopg2)?"
            ) from e
        if self.settings.backend == "sqlite":
            self._use_sqlite_wal()
        else:
            self._use_postgresql_autocommit()
        self._create_session_indexes()

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Rasa's read (same query, same tracker), without building an ORM object per event.

        Only the ``data`` column is selected: Rasa loaded every column of every
        event into a mapped object it then threw away.  The tracker of the
        current session remembers how many stored events it was built from.
        """
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(data) for (data,) in rows], self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, STORED_EVENTS_ATTRIBUTE, len(rows))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events: the same rows as Rasa's, with fewer round trips a turn.

        Rasa counts the events of the current session in the database to know
        which are new (a query per turn), then inserts them one ORM object at a
        time.  The tracker this store read already says how many are stored:
        the conversation's lock is held from that read to this save, so nothing
        else wrote to it in between.  A tracker that did not come from
        ``retrieve`` (a new conversation) is counted as Rasa counts it.  Rasa's
        count (events since the *stored* latest ``session_started``) also
        goes wrong when one tracker object is saved again after a new session
        started in it: it stores the old session's events a second time
        (tests/scaleout/test_store_rows.py); ours does not.
        """
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = getattr(tracker, STORED_EVENTS_ATTRIBUTE, None)
            if stored is None or stored > len(tracker.events):
                new = list(self._additional_events(session, tracker))
            else:
                new = list(itertools.islice(tracker.events, stored, None))
            if new:
                # One INSERT for all of them (psycopg2: execute_values; SQLite: executemany).
                session.execute(self.SQLEvent.__table__.insert(), [_row(tracker.sender_id, e) for e in new])
            session.commit()
        setattr(tracker, STORED_EVENTS_ATTRIBUTE, len(tracker.events))
        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")

    def _use_postgresql_autocommit(self) -> None:
        """PostgreSQL: each statement its own transaction, one round trip instead of three.

        In a transaction psycopg2 sends BEGIN before the first statement and
        the session sends COMMIT (or ROLLBACK on close) after it: a turn's read
        and save were six blocking round trips, during which the replica's
        other conversations wait.  Each needs one statement (the save: one
        multi-row INSERT, atomic by itself; ``save``), so autocommit gives the
        same guarantees in two.  Not for SQLite, whose executemany is one
        statement per row.
        """
        import sqlalchemy as sa
        from rasa.core.tracker_store import create_engine_kwargs

        # Set on the engine, not per use (`execution_options`): that would
        # switch each pooled connection to autocommit and back at every turn.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _use_sqlite_wal(self) -> None:
        """SQLite: write-ahead log, synced at checkpoints rather than at every commit.

        Rasa commits once per turn, synchronously on the event loop.  In
        SQLite's default mode (rollback journal, ``synchronous=FULL``) each
        commit waits for the disk: 1.5 ms on a quiet moment of this project's
        shared machines, 16 ms on a busy one, during which no other
        conversation moves.  With ``journal_mode=WAL`` and
        ``synchronous=NORMAL`` (and this connection kept open) it is 0.2 ms.
        A committed turn still survives the process being killed (SIGKILL
        included: the log is in the file system) and the file is never
        corrupted, but the last turns before a power loss or OS crash may be
        lost.  PostgreSQL (the
        setting for replicas) keeps its own, fully synced, commits.  WAL adds
        ``tracker.db-wal`` and ``tracker.db-shm`` next to the file; copy the
        three together, or use ``sqlite3 tracker.db .backup``.
        """
        import sqlalchemy as sa

        def on_connect(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        # Rasa's SQLite engine (SQLAlchemy 1.4's default for a file) opens and
        # closes a connection for every session, four a turn, each paying the
        # connect, these pragmas and the close: 3 % of a turn under load
        # (py-spy).  A pool keeps them open, as SQLAlchemy 2.0 does for files.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                                       connect_args={"check_same_thread": False})
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        sa.event.listen(self.engine, "connect", on_connect)
        # Closing the *last* connection to a WAL file checkpoints it and syncs
        # the disk, which would put the wait back into a turn whenever the
        # pool drops its connection (after an error).  This one stays open as
        # long as the store, so SQLite checkpoints only when the log reaches
        # its size (1000 pages).
        self._wal_keeper = self.engine.raw_connection()

    def _create_session_indexes(self) -> None:
        """Indexes that make reading the current session independent of the conversation's length.

        Every turn Rasa selects a conversation's events at or after its latest
        ``session_started`` (``_event_query``: a max(timestamp) over the
        sender's session starts, then the sender's events from that time), and
        counts them again when it saves.  With only Rasa's index on
        ``sender_id`` both scan every event the conversation ever had (a
        321-turn conversation: 11.6 ms a read instead of 4.8).  Created if
        missing, on SQLite and PostgreSQL alike; a replica that loses the race
        to create one logs it and goes on (the other created it).
        """
        import sqlalchemy as sa

        table = self.SQLEvent.__table__
        for index in (
            sa.Index(SESSION_START_INDEX, table.c.sender_id, table.c.type_name, table.c.timestamp),
            sa.Index(SENDER_TIME_INDEX, table.c.sender_id, table.c.timestamp),
        ):
            try:
                index.create(bind=self.engine, checkfirst=True)
            except sa.exc.SQLAlchemyError as e:
                logger.warning(
                    "Índice %s no creado (%s); si otra réplica lo creó a la vez, no pasa nada.",
                    index.name,
                    e.__class__.__name__,
                )


def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    """The ``events`` row of ``event``, exactly as Rasa's ``SQLTrackerStore.save`` fills it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),  # as Rasa: an action event's name
        "data": json.dumps(data),
    }
