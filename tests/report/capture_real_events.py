"""Capture real tracker-store rows into tests/report/fixtures/real_events.json.

Starts the real stack once (tools/stack.py: action server + `rasa run`
with models/al-invest.tar.gz, SQLite tracker store in a temporary folder),
sends a few conversations over REST, copies every row of the ``events`` table
(all columns, ``data`` as Rasa wrote it) and stops the stack.  The report
tests and the store generator use these rows as the real shapes.

Not a test and not run by `make test`: run it by hand when Rasa, the domain
or the actions change the shape of events, then re-run the report tests.

    .venv/bin/python -m tests.report.capture_real_events
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

from tools.stack import ROOT, Stack

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "real_events.json"

# sender -> messages.  Covers: a fact, a follow-up, the source follow-up, an
# unknown ("la fuente no lo indica"), out of scope, other language, low
# confidence (clarification), unreadable input, and rating payloads (when
# the fixture was captured the domain had no `rate` intent yet: the model read
# them as out_of_scope; a capture today gets intent `rate`).
CONVERSATIONS = {
    "real-facts": [
        "hola",
        "¿Cuántas mipymes peruanas se beneficiaron?",
        "¿y en total?",
        "¿de dónde sacaste eso?",
        '/rate{"rating":"up"}',
        "gracias",
    ],
    "real-unanswered": [
        "¿cuál fue el presupuesto del programa?",
        '/rate{"rating":"down"}',
        "¿qué clima hará mañana en Lima?",
        "what is al-invest about?",
        "zorblax quintuple frobnicate",
        "?????",
        "cuantas mipymes hubo en colombia",
    ],
    "real-sectors": [
        "q sectores participaron",
        "¿Participó el sector textil?",
        "¿participaron empresas de minería?",
        "adios",
    ],
}


def capture(workdir: Path) -> list:
    stack = Stack(workdir)
    stack.start()
    try:
        for sender, messages in CONVERSATIONS.items():
            for text in messages:
                stack.say(sender, text)
    finally:
        stack.stop()
    con = sqlite3.connect(str(workdir / "tracker.db"))
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM events ORDER BY id")]
    con.close()
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="capture-") as tmp:
        rows = capture(Path(tmp))
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "Rows of Rasa 3.6.21's SQLTrackerStore `events` table, captured from a real stack "
        "by tests/report/capture_real_events.py (REST channel).",
        "conversations": CONVERSATIONS,
        "rows": rows,
    }
    FIXTURE.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} eventos guardados en {FIXTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
