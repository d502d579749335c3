"""What the channel fuzz tests share: one hypothesis profile, JSON strategies, tracker checks.

``fuzz_settings(n)`` is bounded and reproducible: ``derandomize=True`` draws
the same examples on every run (a failure in CI fails again on a laptop), no
example database is written, and there is no per-example deadline (a turn on
a loaded 2-core machine may take seconds).  Hypothesis' own caches go to the
temporary folder, never into the work tree.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Tuple

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st


def _hypothesis_home_outside_the_work_tree() -> None:
    if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "al-invest-hypothesis")


def fuzz_settings(max_examples: int) -> settings:
    _hypothesis_home_outside_the_work_tree()
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,  # the same examples every run: CI is reproducible
        database=None,  # nothing written into the work tree
        # No "explain" phase: on a failure it reruns the test hundreds of times
        # against the real servers (minutes); the shrunk example is enough.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        # The fixtures are real servers shared by every example on purpose.
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def weighted(*options: Tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """``weighted((3, a), (1, b))`` draws from ``a`` three times as often as from ``b``.

    (``st.one_of(a, a, b)`` does not: hypothesis treats equal branches as one.)
    """
    total = sum(weight for weight, _ in options)

    def pick(n: int) -> st.SearchStrategy:
        for weight, strategy in options:
            if n < weight:
                return strategy
            n -= weight
        raise AssertionError(n)

    return st.integers(0, total - 1).flatmap(pick)


# Any code point, lone surrogates included (json.dumps escapes them as \udXXX).
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | any_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=10,
)
# What a person could type, odd but real (no lone surrogates), and anything at all.
typed_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
odd_text = st.one_of(typed_text, st.text(alphabet=st.characters(exclude_categories=()), max_size=300))


# --- The SQLite tracker store -------------------------------------------------------------------
def tracker_rows(db: Path, sender: str = None) -> List[Tuple[str, str, str]]:
    """(sender_id, type_name, data) of the stored events, read-only, in stored order."""
    con = sqlite3.connect(f"{Path(db).as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        if sender is None:
            return con.execute("SELECT sender_id, type_name, data FROM events ORDER BY id").fetchall()
        return con.execute(
            "SELECT sender_id, type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    finally:
        con.close()


def assert_events_intact(db: Path, sender: str = None) -> List[Dict[str, Any]]:
    """Every stored event (of ``sender``, or of everyone) is valid JSON that Rasa can read back.

    Returns the events of ``sender`` (or all), parsed.
    """
    from rasa.shared.core.events import Event

    events = []
    for sender_id, type_name, data in tracker_rows(db, sender):
        try:
            event = json.loads(data)
        except ValueError as e:
            raise AssertionError(f"evento de {sender_id!r} que no es JSON: {data[:200]!r}") from e
        assert isinstance(event, dict) and event.get("event") == type_name, (sender_id, data[:200])
        assert isinstance(event.get("timestamp"), (int, float)), (sender_id, data[:200])
        assert Event.from_parameters(event) is not None, (sender_id, data[:200])
        events.append(event)
    return events


def stored_user_texts(db: Path, sender: str) -> List[str]:
    return [e.get("text") for e in assert_events_intact(db, sender) if e["event"] == "user"]
