"""`make eval`: the blind question sets through the real servers, graded.

The sets in this folder (``round*.yml``) were written from the source article
alone by people who never saw ``data/`` or ``tests/``; nothing in them is ever
trained on or copied into ``data/``.  Each case is a fresh conversation over
the REST channel of a real ``rasa run`` + action server (tools/stack.py).
Every graded turn is counted as one of:

- ``right``: the answer holds the expected facts (and, for yes/no, starts with
  the right "Sí"/"No"; for unknowns, says the source does not give it; for
  off-topic, gives the scope answer);
- ``clarify``: the bot asked back (its buttons are listed for the report);
- ``miss``: an honest non-answer where a fact was expected (the source-silent
  or the scope answer): not right, but no false fact;
  Small talk ("¿eres un robot?" → "Soy un asistente virtual…") counts as the
  scope answer: it states no fact.
- ``wrong``: anything else: a fact that does not answer the question, a "sí"
  to a false premise, a fact where the source is silent or the question is
  off-topic.  The worst outcome; the gate allows at most 1 %.

A case with several graded turns takes its worst turn.

    python -m tests.blind.evaluate [--round N|all] [--url http://127.0.0.1:5005] [--show wrong,clarify,miss]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import yaml

from actions.knowledge.spanish import strip_accents

HERE = Path(__file__).resolve().parent
OUTCOMES = ("right", "clarify", "miss", "wrong")
SEVERITY = {o: i for i, o in enumerate(OUTCOMES)}

# How the bot's replies are recognised (wording of domain.yml; a unit test
# checks each marker still matches its response).
CLARIFY_MARKER = re.compile(r"no estoy seguro de haberte entendido")
SILENT_MARKER = re.compile(
    r"^(la fuente|la nota) no (lo |la )?(indica|menciona|da|dice|precisa|detalla)|^no (lo )?(indica|menciona)"
)
# Small talk ("¿eres un robot?", "gracias"): no fact, and the right reply to it.
SMALL_TALK_MARKER = re.compile(r"soy un asistente virtual|soy el asistente virtual|^¡?de nada|^¡?hasta luego|"
                               r"puedo responder preguntas sobre")
SCOPE_MARKER = re.compile(
    r"solo puedo (responder|conversar)|no te entendi|no encontre palabras|tu mensaje (llego vacio|es muy largo)"
)


# The replies are compared as the bot's users type: lower case, no accents.
fold = strip_accents


@dataclass
class Turn:
    user: str
    expect: Optional[str] = None
    must: List[str] = field(default_factory=list)
    must_not: List[str] = field(default_factory=list)
    ordered: bool = False


@dataclass
class Case:
    id: str
    style: str
    turns: List[Turn]
    round: int


@dataclass
class Graded:
    case: Case
    outcome: str
    turn: Turn
    reply: str
    buttons: List[str]
    why: str


def load_round(path: Path) -> List[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for raw in data["cases"]:
        turns = [Turn(t["user"], t.get("expect"), list(t.get("must") or []), list(t.get("must_not") or []),
                      bool(t.get("ordered"))) for t in raw["turns"]]
        cases.append(Case(raw["id"], raw["style"], turns, int(data.get("round", 0))))
    return cases


def round_files() -> List[Path]:
    return sorted(HERE.glob("round*.yml"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))


def _first_line(reply: str) -> str:
    return reply.strip().split("\n", 1)[0]


def grade_turn(turn: Turn, reply: str) -> (str, str):
    """(outcome, why) of one bot reply against one expectation."""
    text = fold(reply)
    first = fold(_first_line(reply)).strip(" ¡!¿?.,«»\"'")
    if CLARIFY_MARKER.search(text):
        return "clarify", "pregunta de vuelta"
    silent, scope = bool(SILENT_MARKER.search(first)), bool(SCOPE_MARKER.search(text) or SMALL_TALK_MARKER.search(text))
    bad = [p for p in turn.must_not if re.search(p, text)]
    if bad:
        return "wrong", f"contiene {bad}"
    expect = turn.expect
    if expect == "out_of_scope":
        if scope:
            return "right", ""
        return ("miss", "dijo que la fuente no lo indica") if silent else ("wrong", "respondió un dato")
    if expect == "unknown":
        if silent:
            return "right", ""
        return ("miss", "respuesta de alcance") if scope else ("wrong", "no dijo que la fuente no lo indica")
    missing = _missing(turn, text)
    if expect in ("yes", "no"):
        said = "yes" if re.match(r"si\b", first) else "no" if re.match(r"no\b", first) else None
        if said is None:
            if silent or scope:
                return "miss", "sin sí/no"
            return ("miss", "sin sí/no, dato correcto") if not missing else ("wrong", f"sin sí/no; falta {missing}")
        if said != expect:
            return "wrong", f"dijo {said}, se esperaba {expect}"
    if missing:
        if silent or scope:
            return "miss", f"no respondió; falta {missing}"
        return "wrong", f"falta {missing}"
    return "right", ""


def _missing(turn: Turn, text: str) -> List[str]:
    missing, pos = [], 0
    for pattern in turn.must:
        m = re.compile(pattern).search(text, pos if turn.ordered else 0)
        if not m:
            missing.append(pattern)
        elif turn.ordered:
            pos = m.start()
    return missing


def run_case(case: Case, say: Callable[[str, str], List[dict]]) -> Graded:
    sender = f"blind-{case.id}-{uuid.uuid4().hex[:8]}"
    worst: Optional[Graded] = None
    for turn in case.turns:
        messages = say(sender, turn.user)
        if turn.expect is None:
            continue
        reply = "\n".join(m.get("text") or "" for m in messages)
        buttons = [b.get("title", "") for m in messages for b in (m.get("buttons") or [])]
        outcome, why = grade_turn(turn, reply)
        graded = Graded(case, outcome, turn, reply, buttons, why)
        if worst is None or SEVERITY[outcome] > SEVERITY[worst.outcome]:
            worst = graded
    if worst is None:
        raise ValueError(f"{case.id}: ningún turno tiene `expect`")
    return worst


def evaluate(cases: List[Case], say: Callable[[str, str], List[dict]], workers: int = 4) -> List[Graded]:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda c: run_case(c, say), cases))


@dataclass
class Score:
    total: int
    counts: Counter

    def share(self, outcome: str) -> float:
        return self.counts[outcome] / self.total if self.total else 0.0


def score(results: List[Graded]) -> Score:
    return Score(len(results), Counter(r.outcome for r in results))


def report(results: List[Graded], show: List[str], out=sys.stdout) -> None:
    by_style: Dict[str, List[Graded]] = defaultdict(list)
    for r in results:
        by_style[r.case.style].append(r)
    out.write(f"{'estilo':<16}{'n':>5}" + "".join(f"{o:>9}" for o in OUTCOMES) + f"{'% bien':>9}\n")
    for style in sorted(by_style) + ["TOTAL"]:
        rs = results if style == "TOTAL" else by_style[style]
        s = score(rs)
        out.write(f"{style:<16}{s.total:>5}" + "".join(f"{s.counts[o]:>9}" for o in OUTCOMES)
                  + f"{100 * s.share('right'):>8.1f}%\n")
    for r in results:
        if r.outcome in show:
            out.write(f"\n[{r.outcome}] {r.case.id} ({r.why})\n  > {r.turn.user}\n")
            out.write("".join(f"  < {line}\n" for line in r.reply.splitlines()))
            if r.buttons:
                out.write(f"  botones: {r.buttons}\n")


def _rest_say(url: str) -> Callable[[str, str], List[dict]]:
    from tools.stack import http

    def say(sender: str, text: str) -> List[dict]:
        status, body = http("POST", f"{url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=60)
        if status != 200:
            raise RuntimeError(f"REST {status}: {body}")
        return body

    return say


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--round", default="all", help="número de ronda o 'all' (por defecto)")
    ap.add_argument("--url", help="un bot ya en marcha; sin esto se arrancan los servidores reales")
    ap.add_argument("--show", default="wrong,clarify,miss", help="qué resultados listar")
    ap.add_argument("--only", help="solo estos casos (ids separados por comas)")
    args = ap.parse_args(argv)
    files = round_files()
    if args.round != "all":
        files = [p for p in files if p.stem == f"round{args.round}"]
    if not files:
        print("no hay rondas en tests/blind/", file=sys.stderr)
        return 2
    show = [s for s in args.show.split(",") if s]

    def run_all(say):
        for path in files:
            print(f"\n== {path.name} ==")
            cases = load_round(path)
            if args.only:
                cases = [c for c in cases if c.id in args.only.split(",")]
            report(evaluate(cases, say), show)

    if args.url:
        run_all(_rest_say(args.url))
        return 0
    from tools.stack import Stack

    with tempfile.TemporaryDirectory() as tmp, Stack(Path(tmp), env={"REST_RATE_LIMIT": "0"}) as stack:
        run_all(_rest_say(stack.url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
