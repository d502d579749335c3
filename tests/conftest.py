"""Shared test set-up: the repo on sys.path, and the production knowledge."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KNOWLEDGE_FILE = ROOT / "knowledge" / "al_invest_5.yml"
SOURCE_FILE = ROOT.parent / "shared" / "sources" / "nota-al-invest-5-peru.md"


@pytest.fixture(scope="session")
def knowledge():
    from actions.knowledge import load_knowledge

    return load_knowledge(KNOWLEDGE_FILE)
