"""Tracker store and lock store chosen by environment variables (docs/scaling.md).

Referenced from endpoints.yml by module path::

    tracker_store:
      type: stores.EnvTrackerStore     # TRACKER_STORE_URL, default sqlite:///tracker.db
    lock_store:
      type: stores.EnvLockStore        # LOCK_STORE_URL, default: in memory

so one endpoints.yml serves a laptop (nothing set: SQLite file, in-memory
lock) and N replicas (PostgreSQL + Redis), and a bad value stops ``rasa run``
with a message naming the variable (their settings: settings/stores.py).
Importing this package opens nothing.
"""

from stores.lock import AtomicRedisLockStore, EnvLockStore
from stores.tracker import EnvTrackerStore

__all__ = ["AtomicRedisLockStore", "EnvLockStore", "EnvTrackerStore"]
