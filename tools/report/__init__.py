"""`make report`: what the assistant left unanswered and which answers got a 👎.

Reads Rasa's conversation store (the ``events`` table of ``SQLTrackerStore``)
and writes two files for the people who keep the assistant:

- ``report.html``: one self-contained page (inline CSS, inline SVG chart, no
  script, no font or file from the internet);
- ``report.csv``: the same lists for a spreadsheet (UTF-8 with BOM, so Excel
  shows the accents).

    python -m tools.report                        # tracker.db at the repo root
    python -m tools.report --db otra/tracker.db --since 2026-11-01 --until 2026-11-30
    python -m tools.report --db-url postgresql://postgres@127.0.0.1:5432/test --channel telegram

What counts as what is in docs/report.md (for non-programmers) and in
``rules`` and ``analysis``.  Dates are local dates at ``--utc-offset`` hours
from UTC (Peru: -5, no daylight saving); ``--since``/``--until`` are inclusive.

Modules, in the order the data flows: ``store`` (the rows, local dates),
``rules`` (names, labels, the rating contract, the grouping key),
``analysis`` (one pass over the rows), ``grouping`` (similar wording),
``formats``, ``chart``, ``html_page`` (with ``template.html``), ``csv_file``,
``cli`` (``build``, ``main``).
"""

from tools.report.analysis import Analysis, Rating, Turn, Unanswered, unanswered_reason
from tools.report.cli import build, main, parse_args
from tools.report.grouping import Group, group_unanswered, near_duplicate_pairs
from tools.report.rules import EMPTY_LABEL, REASONS, SOURCE_SILENT, ReportError, normalize, rating_of

__all__ = [
    "EMPTY_LABEL", "REASONS", "SOURCE_SILENT", "Analysis", "Group", "Rating", "ReportError", "Turn", "Unanswered",
    "build", "group_unanswered", "main", "near_duplicate_pairs", "normalize", "parse_args", "rating_of",
    "unanswered_reason",
]
