"""Generate a realistic Rasa tracker store, and the counts `make report` must find (a test fixture).

    python -m tests.report.tracker_store_gen                       # 20.000 conversations
    python -m tests.report.tracker_store_gen -n 2000 --out /tmp/t.db --truth /tmp/t.json
    python -m tests.report.tracker_store_gen -n 300 --db-url postgresql://postgres@127.0.0.1:5432/otra

The ``events`` table is created by Rasa's own ``SQLTrackerStore`` model (same
columns, types and index as a real store).  Every event is shaped like the
rows captured from a real stack in tests/report/fixtures/real_events.json
(same keys, same metadata); the bot's messages are the domain's Spanish
responses filled by the real knowledge layer (actions/knowledge/answers.py),
so ``utter_action`` names and texts are the ones the assistant really says.

Each conversation (one sender, one session) has 1-6 turns on a channel
(webchat, telegram, rest); a known share of questions ends unanswered (out of
scope, other language, clarification, unreadable input, "la fuente no lo
indica") and a known share of answers is rated with the contract of
docs/ratings.md (``/rate{"rating":"down"}``, intent ``rate``); a fifth of the
ratings are stored as they were before the domain had the ``rate`` intent
(the model classified the payload out_of_scope), and some answers are rated
twice (the last counts).  The ground truth, counted while generating with the
rules of docs/report.md, is written as JSON next to the store (``--truth``).

Modules: ``sources`` (the real shapes, NLU examples, domain texts, how people
type), ``events`` (one event of each kind), ``generator`` (conversations and
the ground truth), ``writer`` (the table, ``generate``).
"""

from tests.report.tracker_store_gen.writer import generate

__all__ = ["generate"]
