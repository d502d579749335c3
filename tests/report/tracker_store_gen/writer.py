"""Writing the generated conversations into an ``events`` table made by Rasa's own SQLTrackerStore model."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any, Dict, Optional

from tests.report.tracker_store_gen.generator import Generator

COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
INSERT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)"
DEFAULT_END = dt.date(2026, 11, 25)


def create_table(url: str):
    """The events table exactly as Rasa's SQLTrackerStore creates it."""
    import warnings

    import sqlalchemy as sa

    # Rasa 3.6's declarative_base() triggers SQLAlchemy 1.4's one-off "2.0" notice
    # (SQLALCHEMY_SILENCE_UBER_WARNING, read when SQLAlchemy was imported).
    from sqlalchemy.util import deprecations

    deprecations.SILENCE_UBER_WARNING = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore

    engine = sa.create_engine(url)
    SQLTrackerStore.Base.metadata.create_all(engine)
    return engine, SQLTrackerStore.SQLEvent.__table__


def _sqlite(out: Path) -> sqlite3.Connection:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    engine, _ = create_table(f"sqlite:///{out}")
    engine.dispose()
    con = sqlite3.connect(str(out))
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    return con


def generate(n: int, out: Optional[Path], truth_path: Path, seed: int = 7, end: Optional[dt.date] = None,
             days: int = 30, db_url: Optional[str] = None, chunk: int = 1000) -> Dict[str, Any]:
    """Write ``n`` conversations; return (and save) the ground truth."""
    end = end or DEFAULT_END
    gen = Generator(seed, end, days)
    if db_url:
        engine, table = create_table(db_url)
    else:
        con = _sqlite(out)
    rows_total = 0
    for first in range(0, n, chunk):
        rows = []
        for i in range(first, min(n, first + chunk)):
            rows += gen.conversation(i)
        rows.sort(key=lambda r: r[2])  # conversations interleave, as in a live store
        rows_total += len(rows)
        if db_url:
            with engine.begin() as conn:
                conn.execute(table.insert(), [dict(zip(COLUMNS, r)) for r in rows])
        else:
            con.executemany(INSERT, rows)
            con.commit()
    if db_url:
        engine.dispose()
    else:
        con.close()
    truth = gen.result()
    truth["events"] = rows_total
    truth["seed"], truth["end"], truth["days"] = seed, end.isoformat(), days
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return truth
