"""The process-wide holder of the current knowledge.

``KnowledgeStore`` loads the file at creation (so a broken file stops the
action server at start-up) and, when asked for the knowledge, notices an edit
of the file (mtime and size, checked at most once a second), validates the new
version and swaps it in whole.  A broken edit is logged with its file/line
message and the previous facts stay in use: no restart, no retraining.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Optional, Tuple

from actions.knowledge.loader import Knowledge, KnowledgeError, load_knowledge

logger = logging.getLogger(__name__)

# Resolved from this file, never from the working directory.
DEFAULT_KNOWLEDGE_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "al_invest_5.yml"


def _signature(path: Path) -> Optional[Tuple[int, int]]:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class KnowledgeStore:
    def __init__(self, path: Path, check_interval: float = 1.0):
        self.path = Path(path)
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._signature = _signature(self.path)
        self._knowledge = load_knowledge(self.path)  # raises: fail at start-up
        self._rejected: Optional[Tuple[int, int]] = None
        self._checked_at = time.monotonic()

    @property
    def knowledge(self) -> Knowledge:
        now = time.monotonic()
        if now - self._checked_at >= self.check_interval:
            self._checked_at = now
            self.reload_if_changed()
        return self._knowledge

    def reload_if_changed(self) -> bool:
        """Swap in an edited file if it is valid; True when it was swapped."""
        with self._lock:
            sig = _signature(self.path)
            if sig is None or sig == self._signature or sig == self._rejected:
                return False
            try:
                new = load_knowledge(self.path)
            except KnowledgeError as e:
                self._rejected = sig
                logger.error("Cambio rechazado en el archivo de conocimiento; sigo con los datos anteriores. %s", e)
                return False
            self._knowledge, self._signature, self._rejected = new, sig, None
            logger.info("Archivo de conocimiento recargado: %s", self.path)
            return True


_store: Optional[KnowledgeStore] = None
_store_lock = threading.Lock()


def get_store(path: Optional[Path] = None) -> KnowledgeStore:
    """The store of this process, loaded on first use (the server's start-up).

    ``path``: the file to load then (actions/serve.py passes
    ``ALINVEST_KNOWLEDGE_FILE`` from settings.table); the default file otherwise.
    """
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                _store = KnowledgeStore(Path(path or DEFAULT_KNOWLEDGE_FILE))
    return _store
