"""``stores.EnvTrackerStore``: Rasa's SQLTrackerStore on the database named by ``TRACKER_STORE_URL``.

endpoints.yml::

    tracker_store:
      type: stores.EnvTrackerStore

Unset, conversations stay in the SQLite file ``tracker.db`` (as before);
``TRACKER_STORE_URL=postgresql://user:pass@host:5432/db`` shares them between
replicas.  Everything else is Rasa's SQLTrackerStore, unchanged: the same
``events`` table (created if missing), the same pool settings
(``SQL_POOL_SIZE``, ``SQL_MAX_OVERFLOW``, ``POSTGRESQL_SCHEMA``), the same
wait while the database is not up yet.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

import rasa_fixes

from settings.errors import SettingsError
from settings.stores import ENV_TRACKER_STORE_URL, TrackerStoreSettings, tracker_store_settings

logger = logging.getLogger(__name__)

# Our indexes on Rasa's `events` table (see EnvTrackerStore._create_session_indexes).
SESSION_START_INDEX = "ix_events_alinvest_session_start"
SENDER_TIME_INDEX = "ix_events_alinvest_sender_time"


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
        self._create_session_indexes()

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
