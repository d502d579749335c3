"""What the Telegram connector must remember across a restart: one SQLite file.

``$TELEGRAM_STATE_DIR/telegram.db`` (default: the working directory; ``*.db``
is git-ignored) holds

- the polling offset: the id after the last update the assistant *handled*,
  written after each update.  An update handled before a restart is never
  fetched again (we send that offset), and one fetched but not handled is not
  lost (its id is not below it, so Telegram still has it).  Telegram restarts
  update ids at random after a week without updates, so an offset older than
  six days is forgotten rather than used to skip new updates.
- the payloads of buttons longer than callback_data's 64 bytes, by short key,
  so a button pressed after a restart still works.

SQLite commits are atomic, so a crash never leaves a half-written offset.
The default rollback journal (``telegram.db-journal``, git-ignored too) is
kept: WAL mode would leave ``-wal``/``-shm`` files next to it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Optional

OFFSET_MAX_AGE = 6 * 24 * 3600
MAX_PAYLOADS = 5000


class TelegramState:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS payloads (key TEXT PRIMARY KEY, payload TEXT NOT NULL, used REAL NOT NULL);
            """
        )

    def close(self) -> None:
        self._db.close()

    # --- polling offset ----------------------------------------------------------------------
    def get_offset(self, now: Optional[float] = None) -> Optional[int]:
        row = self._db.execute("SELECT value, updated FROM kv WHERE key = 'offset'").fetchone()
        if row is None:
            return None
        value, updated = row
        if (now or time.time()) - updated > OFFSET_MAX_AGE:
            return None
        return int(value)

    def set_offset(self, offset: int) -> None:
        self._db.execute(
            "INSERT INTO kv (key, value, updated) VALUES ('offset', ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
            (str(int(offset)), time.time()),
        )

    # --- long button payloads ----------------------------------------------------------------
    def remember_payload(self, key: str, payload: str) -> None:
        self._db.execute(
            "INSERT INTO payloads (key, payload, used) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET used = excluded.used",
            (key, payload, time.time()),
        )
        self._db.execute(
            "DELETE FROM payloads WHERE key NOT IN (SELECT key FROM payloads ORDER BY used DESC LIMIT ?)",
            (MAX_PAYLOADS,),
        )

    def payload(self, key: str) -> Optional[str]:
        row = self._db.execute("SELECT payload FROM payloads WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
