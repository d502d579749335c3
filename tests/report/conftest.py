"""Tracker stores for the report tests: generated ones and the real captured rows."""

from __future__ import annotations

import json
import sqlite3
import time
import warnings
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL_EVENTS = FIXTURES / "real_events.json"
COLUMNS = ("id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


def create_rasa_table(path: Path) -> None:
    """The events table as Rasa's SQLTrackerStore creates it."""
    import sqlalchemy as sa

    # Rasa 3.6's declarative_base() triggers SQLAlchemy 1.4's one-off "2.0" notice
    # (SQLALCHEMY_SILENCE_UBER_WARNING, read when SQLAlchemy was imported).
    from sqlalchemy.util import deprecations

    deprecations.SILENCE_UBER_WARNING = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore

    engine = sa.create_engine(f"sqlite:///{path}")
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()


def write_rows(path: Path, rows) -> Path:
    """A SQLite store holding ``rows`` (dicts with COLUMNS; id optional)."""
    create_rasa_table(path)
    con = sqlite3.connect(str(path))
    con.executemany(
        "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [tuple(r.get(c) for c in COLUMNS[1:]) for r in rows],
    )
    con.commit()
    con.close()
    return path


@pytest.fixture(scope="session")
def real_rows():
    return json.loads(REAL_EVENTS.read_text(encoding="utf-8"))["rows"]


@pytest.fixture(scope="session")
def real_store(tmp_path_factory, real_rows):
    return write_rows(tmp_path_factory.mktemp("real") / "tracker.db", real_rows)


def _generated(tmp_path_factory, n: int, name: str):
    from tests.report.tracker_store_gen import generate

    folder = tmp_path_factory.mktemp(name)
    db, truth_path = folder / "tracker.db", folder / "truth.json"
    started = time.perf_counter()
    truth = generate(n, db, truth_path)
    return db, truth, time.perf_counter() - started


@pytest.fixture(scope="session")
def store_20k(tmp_path_factory):
    """20.000 conversations (about 540.000 events, 300 MB): removed after the session."""
    db, truth, seconds = _generated(tmp_path_factory, 20000, "gen20k")
    truth["_generation_seconds"] = seconds
    yield db, truth
    db.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def store_2k(tmp_path_factory):
    db, truth, _ = _generated(tmp_path_factory, 2000, "gen2k")
    yield db, truth
    db.unlink(missing_ok=True)
