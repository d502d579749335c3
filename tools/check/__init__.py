"""`make check`: what the assistant is missing.  Prints it; exit 1 if anything is.

    python -m tools.check [--min-examples 20] [--strict]

Three checks, no model and no server (a few seconds, plain YAML and the
knowledge layer):

1. Facts.  Every leaf fact of the knowledge file (programme, peru,
   closing_event, organisations, results, sectors) is
   - used: its formatted value ("5.375", "49.000", "10, 12, 17 y 19 de
     noviembre de 2020", the text itself) is a variable value of some answer,
     or inside one, found by calling every answer function of
     actions/knowledge/answers.py with every kind of input (before and after
     the closing event, each sector and organisation and a miss, each
     unknown, each follow-up);
   - tested: the value appears in a file under tests/e2e, tests/unit or
     tests/conversations.  This is a plain text search (numbers as whole
     numbers; text ignoring case, accents and repeated spaces): a test that
     reads the value from the knowledge file instead of writing it does not
     count, and a number that appears for another reason does.
   Not facts: the ``source`` pointers, organisation ``aliases`` (spellings for
   matching) and ``sectors.exhaustive`` (it picks the response).
2. Intents.  Every intent of domain.yml has at least MIN_EXAMPLES distinct
   training examples in data/ (except ``nlu_fallback``, made by the pipeline,
   and ``rate``, sent by the rating buttons as a payload: docs/ratings.md),
   and appears in at least one conversation test in tests/conversations/.
3. Responses.  Every response of domain.yml has a non-empty Spanish text (a
   heuristic: at least one accented letter, ¿ ¡ or common Spanish word, and
   none of a list of English words); every ``utter_*`` named in actions/ or
   produced by the answer functions exists in the domain; every placeholder
   of a response is filled by the answer that says it.

Warnings (printed, exit 1 only with --strict): a fact that answers pass but
no response text shows (the variable is never a placeholder).

Modules: ``repo`` (what is read of the repo), ``facts`` (the facts, every
message the answers produce), ``checks`` (the three checks, the printout),
``cli`` (``main``).
"""

from tools.check.checks import Findings, check_facts, check_intents, check_responses, report, run, spanish_problem
from tools.check.cli import main
from tools.check.facts import FactValue, answer_messages, fact_values, found_in
from tools.check.repo import Repo

__all__ = [
    "FactValue", "Findings", "Repo", "answer_messages", "check_facts", "check_intents", "check_responses",
    "fact_values", "found_in", "main", "report", "run", "spanish_problem",
]
