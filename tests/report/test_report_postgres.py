"""`make report --db-url postgresql://...`: the production store.

Uses its own throw-away database on the local PostgreSQL (never the shared
``test`` database's tables: other stacks may use them), created and dropped
here.  Skipped when no PostgreSQL answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import os
import uuid

import pytest

from tools import report as R
from tests.report.tracker_store_gen import generate

SERVER = os.environ.get("REPORT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def pg_url():
    sa = pytest.importorskip("sqlalchemy")
    name = f"report_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name made here, not user input
    except sa.exc.OperationalError as e:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL no disponible en {SERVER}: {e.__class__.__name__} (this machine runs it on 127.0.0.1:5432)"
        )
    url = sa.engine.make_url(SERVER).set(database=name)
    yield str(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_report_on_postgresql_matches_the_ground_truth(pg_url, tmp_path):
    truth = generate(300, None, tmp_path / "truth.json", db_url=pg_url, chunk=100)
    analysis, groups, source = R.build(R.parse_args(["--db-url", pg_url]))
    assert analysis.questions == truth["questions"]
    assert analysis.unanswered_count == truth["unanswered"]
    assert dict(analysis.reasons) == truth["unanswered_by_reason"]
    assert dict(analysis.rating_counts()) == truth["ratings"]
    assert len(analysis.conversations) == truth["conversations"]
    assert sum(g.count for g in groups) == truth["unanswered"]
    assert "postgresql" in source
    channel = next(iter(truth["by_channel"]))
    a, _, _ = R.build(R.parse_args(["--db-url", pg_url, "--channel", channel]))
    assert a.questions == truth["by_channel"][channel]["questions"]
    assert R.main(["--db-url", pg_url, "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "report.html").stat().st_size > 0


def test_a_database_without_the_events_table(pg_url, capsys, tmp_path):
    assert R.main(["--db-url", pg_url, "--out", str(tmp_path)]) == 2
    assert "tabla events" in capsys.readouterr().err
