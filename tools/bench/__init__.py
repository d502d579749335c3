"""`make bench`: the figures quoted in notes and the README, measured now, next to a bare bot's.

Prints training time (a forced training into a temporary folder), start-up time
of the action server and of `rasa run` up to the first answer, resident memory
of both servers, reply latency (median, p95) over the questions of
tools/questions.py for a single user, throughput and latency p50/p95 with
50 conversations at once (tools/load/, every answer checked; the median of
three runs of 400 answers, for every bot alike), the cost of a
turn late in one long conversation against an early one (turn 300 against turn
10), and the intent macro F1 on the held-out NLU set.

The same start-up, latency, throughput and memory figures are measured, with
the same client and questions (REST on 127.0.0.1), on a bare `rasa init
--no-prompt` bot built once with this project's venv and kept in
``$BENCH_BARE_DIR`` (default /tmp/alinvest-bench-bare; rebuilt when Rasa's
version changes); a last table gives each figure, ours / bare, and the target
of issue 11.  Targets are printed, never asserted.

The servers run on 127.0.0.1 with the stores of docs/scaling.md: a SQLite file
in a temporary folder and the in-memory lock, unless TRACKER_STORE_URL /
LOCK_STORE_URL are set (then the bench writes its conversations there).
REST_RATE_LIMIT is 0 for the bench's `rasa run` (one sender asks every question).

    python -m tools.bench [--skip-train] [--no-bare] [--rounds 3] [--concurrency 50] [--long-turns 310]
                          [--replicas 2] [--soak MINUTES]

``--replicas 2`` (the default) also measures the throughput through our
nginx (deploy/) over two replicas on PostgreSQL + Redis on 127.0.0.1 (a
throw-away database and key prefix; ``BENCH_PG``, ``BENCH_REDIS``), i.e. with
both cores of this machine busy; skipped, saying why, when they are missing.

``--soak MINUTES`` (at most 240; not part of `make test`) then keeps a steady
load for that long and prints the resident memory of each process at its start
and end, and the answers, errors and latency of the soak.

Modules: ``measure`` (one stack's figures), ``bare`` (the `rasa init` bot),
``cluster`` (replicas behind nginx), ``soak``, ``compare`` (targets and the
last table), ``cli``.
"""
