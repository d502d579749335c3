"""Shared test set-up: the production knowledge (the repo root is on sys.path through pytest.ini)."""

from pathlib import Path

import pytest

from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE as KNOWLEDGE_FILE  # noqa: F401  imported by tests

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FILE = ROOT.parent / "shared" / "sources" / "nota-al-invest-5-peru.md"


@pytest.fixture(scope="session")
def knowledge():
    from actions.knowledge import load_knowledge

    return load_knowledge(KNOWLEDGE_FILE)
