"""Knowledge access layer: load, validate and query the knowledge file.

Nothing in this package imports Rasa: it is plain Python that the thin
``Action`` classes in ``actions/actions.py`` call, and that tests and tools
(``make check``, ``make report``) can use without a running server.
"""

from actions.knowledge.loader import Knowledge, KnowledgeError, load_knowledge
from actions.knowledge.store import KnowledgeStore, get_store

__all__ = ["Knowledge", "KnowledgeError", "KnowledgeStore", "get_store", "load_knowledge"]
