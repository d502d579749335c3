"""Reading Rasa's conversation store: the user and bot rows of the ``events`` table, in ``id`` order.

SQLite is opened read-only (the bot may be writing; a missing file is never
created); any other database goes through SQLAlchemy (PostgreSQL in
production).  Rows are (sender_id, type_name, timestamp, data).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from tools.report.rules import ReportError

Row = Tuple[str, str, Optional[float], str]
BATCH = 5000


# --- local dates ---------------------------------------------------------------------------


def local_tz(utc_offset: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=utc_offset))


def local_date(ts: float, tz: dt.timezone) -> dt.date:
    return dt.datetime.fromtimestamp(ts, tz).date()


def day_start(day: dt.date, tz: dt.timezone) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def parse_day(text: Optional[str], option: str) -> Optional[dt.date]:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as e:
        raise ReportError(f"{option}: '{text}' no es una fecha AAAA-MM-DD") from e


def time_bounds(since: Optional[dt.date], until: Optional[dt.date],
                tz: dt.timezone) -> Tuple[Optional[float], Optional[float]]:
    """Timestamps [lo, hi) of the local days since..until, both included."""
    lo = day_start(since, tz) if since else None
    hi = day_start(until + dt.timedelta(days=1), tz) if until else None
    return lo, hi


# --- the rows --------------------------------------------------------------------------------


def read_sqlite(path: Path, lo: Optional[float], hi: Optional[float]) -> Iterator[Row]:
    """Rows from a SQLite tracker store, opened read-only (never creates the file)."""
    if not path.is_file():
        raise ReportError(f"no existe el archivo de conversaciones {path} (¿otro --db?)")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)  # the bot may be writing
    except sqlite3.Error as e:
        raise ReportError(f"no se puede abrir {path}: {e}") from e
    sql = "SELECT sender_id, type_name, timestamp, data FROM events WHERE type_name IN ('user', 'bot')"
    params: List[float] = []
    if lo is not None:
        sql += " AND timestamp >= ?"
        params.append(lo)
    if hi is not None:
        sql += " AND timestamp < ?"
        params.append(hi)
    sql += " ORDER BY id"
    try:
        cur = con.execute(sql, params)
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                break
            yield from rows
    except sqlite3.Error as e:
        raise ReportError(f"{path}: no es un almacén de conversaciones de Rasa ({e})") from e
    finally:
        con.close()


def read_sqlalchemy(url: str, lo: Optional[float], hi: Optional[float]) -> Iterator[Row]:
    """Rows from any database SQLAlchemy reaches (PostgreSQL in production)."""
    import sqlalchemy as sa

    events = sa.table(
        "events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
        sa.column("timestamp"), sa.column("data"),
    )
    query = sa.select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data).where(
        events.c.type_name.in_(["user", "bot"])
    )
    if lo is not None:
        query = query.where(events.c.timestamp >= lo)
    if hi is not None:
        query = query.where(events.c.timestamp < hi)
    query = query.order_by(events.c.id)
    try:
        engine = sa.create_engine(url)
    except Exception as e:  # bad URL, missing driver
        raise ReportError(f"--db-url no válida: {e}") from e
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
            for row in result:
                yield tuple(row)
    except sa.exc.SQLAlchemyError as e:
        raise ReportError(
            f"no se pudo leer la tabla events de {engine.url!r}: {e.__class__.__name__}: {e}"
        ) from e
    finally:
        engine.dispose()
