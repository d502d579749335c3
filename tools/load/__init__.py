"""Load generator: many conversations at once, every answer checked against the knowledge file.

    python -m tools.load --url http://127.0.0.1:5005 --conversations 50 --turns 4 \\
        --concurrency 50 --channel rest --duration-limit 60

Each conversation is a few scripted turns with follow-ups («¿Cuántas mipymes
peruanas se beneficiaron?» then «¿y en total?», …): the conversations of
tools/questions.py, whose expected figures are computed from the knowledge
file, never written here.  They go through the REST channel (``rest``,
aiohttp) or the web widget's socket.io channel (``socketio_client``,
python-socketio).  It prints throughput and latency p50/p95/p99 and exits 1 on
any error or wrong answer.

Several ``--url`` (REST): the turns of each conversation go round-robin over
them, as a balancer without sticky sessions would send them, and a server that
refuses the connection is taken out of rotation and the turn is sent to the
next one.  Every message carries ``metadata.load_id`` (stored with the user
event), so a test can check that each acknowledged message (HTTP 200) is in the
tracker store.

Bounded (``bounds``): at most ``--conversations`` × ``--turns`` messages (plus
one resend per refused server), nothing new is sent after ``--duration-limit``
seconds and the run is cut ``--timeout`` seconds later.  Only loopback URLs
are accepted (127.0.0.0/8, ::1, localhost).  REST_RATE_LIMIT applies per
sender: each conversation has its own, but set ``REST_RATE_LIMIT=0`` on the
server for runs with many turns per conversation.

Modules: ``bounds`` (what is refused), ``results`` (each turn, the figures),
``rest`` and ``socketio_client`` (one conversation per channel), ``run``
(``run_load``), ``cli`` (``main``).
"""

from tools.load.bounds import LoadError, check_bounds, check_loopback
from tools.load.cli import main, parse_args
from tools.load.results import ERROR, OK, WRONG, LoadReport, TurnResult, percentile
from tools.load.run import conversation_turns, run_load
from tools.questions import NO_DATA_PREFIX, Turn, scripts

__all__ = [
    "ERROR", "NO_DATA_PREFIX", "OK", "WRONG", "LoadError", "LoadReport", "Turn", "TurnResult",
    "check_bounds", "check_loopback", "conversation_turns", "main", "parse_args", "percentile", "run_load", "scripts",
]
