"""Load generator: many conversations at once, every answer checked against the knowledge file.

    python -m tools.load --url http://127.0.0.1:5005 --conversations 50 --turns 4 \\
        --concurrency 50 --channel rest --duration-limit 60

Each conversation is a few scripted turns with follow-ups («¿Cuántas mipymes
peruanas se beneficiaron?» then «¿y en total?», …), sent through the REST
channel (aiohttp) or the web widget's socket.io channel (python-socketio, path
``/socket.io``, ``session_request`` with a 32-hex session id, then
``user_uttered``; replies on ``bot_uttered``).  The figures each answer must
contain are computed from ``knowledge/al_invest_5.yml`` (formatted as the bot
does, ``actions.knowledge.spanish``), never written here.  It prints
throughput and latency p50/p95/p99 and exits 1 on any error or wrong answer.

Several ``--url`` (REST): the turns of each conversation go round-robin over
them, as a balancer without sticky sessions would send them, and a server that
refuses the connection is taken out of rotation and the turn is sent to the
next one (over socket.io a conversation keeps its server: the protocol needs
sticky sessions).  Every message carries ``metadata.load_id`` (stored with the
user event), so a test can check that each acknowledged message (HTTP 200) is
in the tracker store.

Bounded: at most ``--conversations`` × ``--turns`` messages (plus one resend per
refused server), nothing new is sent after ``--duration-limit`` seconds and the
run is cut ``--timeout`` seconds later.  Only loopback URLs are accepted (127.0.0.0/8, ::1, localhost).
REST_RATE_LIMIT applies per sender: each conversation has its own, but set
``REST_RATE_LIMIT=0`` on the server for runs with many turns per conversation.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions.knowledge import Knowledge, load_knowledge  # noqa: E402
from actions.knowledge import spanish  # noqa: E402

KNOWLEDGE_FILE = ROOT / "knowledge" / "al_invest_5.yml"
REST_PATH = "/webhooks/rest/webhook"
SOCKETIO_PATH = "/socket.io"
# What the channels answer when a turn failed (channels/messages.py NO_DATA_MESSAGE):
# a 200 with this text is a wrong answer, not a success.
NO_DATA_PREFIX = "No puedo consultar los datos"

MAX_CONVERSATIONS = 10_000
MAX_TURNS = 50
MAX_CONCURRENCY = 500
MAX_DURATION = 3600.0
MAX_TIMEOUT = 600.0
# socket.io: after a reply that does not yet hold every expected figure, how
# long to wait for the bot's next message before calling the answer wrong.
SOCKETIO_SETTLE_SECONDS = 1.0


# A balancer in front (deploy/): 502/504 mean the replica died or did not
# answer; the turn is resent to the same URL up to this many times.
GATEWAY_ERRORS = (502, 504)
MAX_GATEWAY_RESENDS = 2
GATEWAY_RESEND_DELAY = 0.5


class LoadError(Exception):
    """A setting the load generator refuses (non-loopback URL, out of bounds)."""


# --- what to ask, and what each answer must say ----------------------------------------------
@dataclass(frozen=True)
class Turn:
    question: str
    expected: Tuple[str, ...]  # every one must be in the reply
    forbidden: Tuple[str, ...] = ()  # none may be

    def check(self, reply: str) -> Optional[str]:
        """None when ``reply`` is right, else what is wrong with it."""
        if NO_DATA_PREFIX in reply:
            return "respuesta de fallo («No puedo consultar los datos…»)"
        missing = [e for e in self.expected if e not in reply]
        if missing:
            return f"falta {missing!r}"
        present = [f for f in self.forbidden if f in reply]
        if present:
            return f"sobra {present!r}"
        return None


def scripts(knowledge: Knowledge) -> List[List[Turn]]:
    """Short conversations whose second and third turns only make sense after the first.

    Every expected string is a value of the knowledge file, formatted as the
    bot formats it (``spanish.number``, ``spanish.dates``), plus the word that
    makes a yes a yes.
    """
    p, g, ev = knowledge.peru, knowledge.programme, knowledge.closing_event
    n = spanish.number
    sectors = knowledge.sectors
    adex = next(o for o in knowledge.organisations if o.acronym == "Adex")
    return [
        [
            Turn("¿Cuántas mipymes peruanas se beneficiaron?", (n(p["beneficiaries"].value),)),
            Turn("¿y en total?", (n(g["beneficiaries_total"].value),)),
        ],
        [
            Turn(f"¿Participó el sector {sectors[1]}?", ("Sí", sectors[1])),
            Turn(f"¿y el {sectors[2]}?", (sectors[2],), ("no menciona",)),
            Turn("¿y la minería?", ("no menciona",), ("Sí.",)),
        ],
        [
            Turn("¿Cuándo fue el evento de cierre?", (spanish.dates(ev["dates"].value),)),
            Turn("¿fue presencial?", (ev["format"].value,)),
        ],
        [
            Turn("¿Qué organizaciones participaron?", tuple(o.acronym for o in knowledge.organisations)),
            Turn("¿y qué es Adex?", (adex.name,)),
        ],
        [
            Turn("¿qué porcentaje de las mipymes son peruanas?", (f"{p['share_percent'].value} %", n(p["beneficiaries"].value))),
            Turn("¿y en total?", (n(g["beneficiaries_total"].value),)),
        ],
        [
            Turn("cuantos proyectos hubo en el peru", (f"{n(p['projects'].value)} proyectos",)),
            Turn("¿Cuántas instituciones participaron en total en la iniciativa?", (f"{n(g['institutions'].value)} instituciones",)),
        ],
    ]


def conversation_turns(all_scripts: Sequence[Sequence[Turn]], index: int, turns: int) -> List[Turn]:
    """Conversation ``index``: scripts one after another from script ``index``, cut at ``turns``.

    Scripts are whole, so a follow-up never comes first; the cut may end a
    conversation before a script's last follow-up, which is harmless.
    """
    out: List[Turn] = []
    i = index
    while len(out) < turns:
        out.extend(all_scripts[i % len(all_scripts)])
        i += 1
    return out[:turns]


# --- results -----------------------------------------------------------------------------------
OK, WRONG, ERROR = "ok", "wrong", "error"


@dataclass
class TurnResult:
    conversation: str  # sender / session id
    turn: int
    question: str
    url: str
    outcome: str  # OK, WRONG or ERROR
    latency_ms: float
    acknowledged: bool  # HTTP 200 (REST) or a reply received (socket.io)
    load_id: str
    reply: str = ""
    problem: str = ""
    failovers: int = 0  # servers that refused this turn before one took it
    started: float = 0.0  # time.monotonic() when sent


@dataclass
class LoadReport:
    channel: str
    urls: List[str]
    conversations: int
    turns_per_conversation: int
    concurrency: int
    results: List[TurnResult] = field(default_factory=list)
    wall_seconds: float = 0.0
    stopped_by_limit: bool = False

    def of(self, outcome: str) -> List[TurnResult]:
        return [r for r in self.results if r.outcome == outcome]

    @property
    def answers(self) -> int:
        return len(self.of(OK))

    @property
    def errors(self) -> int:
        return len(self.of(ERROR))

    @property
    def wrong(self) -> int:
        return len(self.of(WRONG))

    @property
    def throughput(self) -> float:
        """Right answers per second of the whole run."""
        return self.answers / self.wall_seconds if self.wall_seconds > 0 else 0.0

    def latencies(self) -> List[float]:
        return [r.latency_ms for r in self.results if r.outcome == OK]

    def percentile(self, q: float) -> float:
        return percentile(self.latencies(), q)

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.wrong == 0 and not self.stopped_by_limit and self.answers > 0

    def summary(self) -> str:
        lat = self.latencies()
        lines = [
            f"carga {self.channel} -> {', '.join(self.urls)}: {self.conversations} conversaciones x {self.turns_per_conversation} turnos, "
            f"concurrencia {self.concurrency}",
            f"  respuestas correctas {self.answers}, incorrectas {self.wrong}, errores {self.errors}"
            + (f", reenvíos a otro servidor {sum(r.failovers for r in self.results)}" if any(r.failovers for r in self.results) else "")
            + (" (cortada por --duration-limit)" if self.stopped_by_limit else ""),
            f"  {self.wall_seconds:.1f} s: {self.throughput:.1f} respuestas/s",
        ]
        if lat:
            lines.append(
                f"  latencia ms: p50 {percentile(lat, 0.50):.0f}, p95 {percentile(lat, 0.95):.0f}, "
                f"p99 {percentile(lat, 0.99):.0f}, máx {max(lat):.0f}"
            )
        for r in (self.of(WRONG) + self.of(ERROR))[:5]:
            lines.append(f"  {r.outcome}: {r.conversation} turno {r.turn} {r.question!r} en {r.url}: {r.problem} {r.reply[:160]!r}")
        return "\n".join(lines)


def percentile(values: Iterable[float], q: float) -> float:
    """Linear-interpolated percentile (q in [0, 1]); NaN for no values."""
    values = sorted(values)
    if not values:
        return math.nan
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- bounds ------------------------------------------------------------------------------------
def check_loopback(url: str) -> str:
    """``url`` without a trailing slash, or LoadError if it is not http(s) on loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"URL no válida {url!r}: se espera http://127.0.0.1:PUERTO")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise LoadError(f"{url!r}: solo se genera carga contra 127.0.0.1 / ::1 / localhost, no contra {host!r}")
    return url.rstrip("/")


def check_bounds(conversations: int, turns: int, concurrency: int, duration_limit: float, timeout: float = 30.0) -> None:
    for name, value, high in (
        ("--conversations", conversations, MAX_CONVERSATIONS),
        ("--turns", turns, MAX_TURNS),
        ("--concurrency", concurrency, MAX_CONCURRENCY),
    ):
        if not 1 <= value <= high:
            raise LoadError(f"{name} debe estar entre 1 y {high} (es {value})")
    if not 0 < duration_limit <= MAX_DURATION:
        raise LoadError(f"--duration-limit debe estar entre 0 y {MAX_DURATION:g} s (es {duration_limit:g})")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise LoadError(f"--timeout debe estar entre 0 y {MAX_TIMEOUT:g} s (es {timeout:g})")


# --- REST ----------------------------------------------------------------------------------------
class Rotation:
    """The servers a balancer without affinity sends to; refused ones leave the rotation."""

    def __init__(self, urls: Sequence[str]):
        self.urls = list(urls)
        self.down: set = set()

    def pick(self, n: int) -> List[str]:
        """Servers to try for the ``n``-th send, the round-robin one first."""
        up = [u for u in self.urls if u not in self.down]
        if not up:
            return []
        start = n % len(up)
        return up[start:] + up[:start]


async def _rest_conversation(session, rotation: Rotation, sender: str, turns: List[Turn], deadline: float, timeout: float, index: int, run_id: str, emit: Callable[[TurnResult], None]) -> None:
    import aiohttp

    for i, turn in enumerate(turns):
        if time.monotonic() >= deadline:
            break
        t0 = time.monotonic()
        result: Optional[TurnResult] = None
        failovers = 0
        candidates = rotation.pick(index + i)
        resends = 0
        while candidates:
            url = candidates.pop(0)
            # One id per attempt: a resent turn is another message.
            load_id = f"{run_id}:{sender}:{i}:{failovers}"
            body = {"sender": sender, "message": turn.question, "metadata": {"load_id": load_id}}
            try:
                # No redirects: the traffic stays on the loopback URL it was given.
                async with session.post(url + REST_PATH, json=body, timeout=aiohttp.ClientTimeout(total=timeout), allow_redirects=False) as resp:
                    status = resp.status
                    raw = await resp.text()
            except asyncio.TimeoutError:  # before ClientConnectionError: ServerTimeoutError is both
                result = TurnResult(sender, i, turn.question, url, ERROR, (time.monotonic() - t0) * 1000, False, load_id, problem=f"sin respuesta en {timeout:g} s", failovers=failovers, started=t0)
                break
            except (aiohttp.ClientConnectionError, ConnectionResetError) as e:
                # Refused, or dropped before any answer: not acknowledged; as a
                # balancer would, take the server out and try the next one.
                rotation.down.add(url)
                failovers += 1
                result = TurnResult(sender, i, turn.question, url, ERROR, 0.0, False, load_id, problem=f"{e.__class__.__name__}", failovers=failovers, started=t0)
                continue
            latency = (time.monotonic() - t0) * 1000
            if status in GATEWAY_ERRORS and resends < MAX_GATEWAY_RESENDS:
                # A balancer's "the replica died / did not answer": not
                # acknowledged; resend it, as a client would (a new message).
                resends += 1
                failovers += 1
                result = TurnResult(sender, i, turn.question, url, ERROR, latency, False, load_id, reply=raw, problem=f"HTTP {status}", failovers=failovers, started=t0)
                candidates.insert(0, url)
                await asyncio.sleep(GATEWAY_RESEND_DELAY)
                continue
            if status != 200:
                result = TurnResult(sender, i, turn.question, url, ERROR, latency, False, load_id, reply=raw, problem=f"HTTP {status}", failovers=failovers, started=t0)
                break
            try:
                reply = "\n".join(m.get("text", "") for m in json.loads(raw) if isinstance(m, dict))
            except (ValueError, TypeError):
                reply = raw
            problem = turn.check(reply)
            result = TurnResult(sender, i, turn.question, url, WRONG if problem else OK, latency, True, load_id, reply=reply, problem=problem or "", failovers=failovers, started=t0)
            break
        if result is None:
            result = TurnResult(sender, i, turn.question, "-", ERROR, 0.0, False, f"{run_id}:{sender}:{i}:-", problem="ningún servidor acepta conexiones", failovers=failovers, started=t0)
        emit(result)
        if result.url == "-":  # every server is down
            break


# --- socket.io ---------------------------------------------------------------------------------
async def _socketio_conversation(url: str, turns: List[Turn], deadline: float, timeout: float, run_id: str, socketio_path: str, emit: Callable[[TurnResult], None]) -> None:
    import socketio

    session_id = uuid.uuid4().hex
    inbox: "asyncio.Queue[str]" = asyncio.Queue()
    confirmed: "asyncio.Future[str]" = asyncio.get_running_loop().create_future()
    sio = socketio.AsyncClient(reconnection=False)
    opened = time.monotonic()

    @sio.on("bot_uttered")
    async def on_bot(data: Any) -> None:
        text = data.get("text", "") if isinstance(data, dict) else str(data)
        inbox.put_nowait(text or "")

    @sio.on("session_confirm")
    async def on_confirm(data: Any) -> None:
        if not confirmed.done():
            confirmed.set_result(data if isinstance(data, str) else (data or {}).get("session_id", ""))

    try:
        # Long-polling: python-engineio 4.15.1's WebSocket client needs aiohttp.ClientWSTimeout
        # (aiohttp >= 3.10), and the lock pins aiohttp 3.9.5.
        await asyncio.wait_for(sio.connect(url, socketio_path=socketio_path, transports=["polling"], wait_timeout=timeout), timeout)
        await sio.emit("session_request", {"session_id": session_id})
        got = await asyncio.wait_for(confirmed, timeout)
        if got != session_id:
            raise RuntimeError(f"el servidor cambió la sesión {session_id} por {got!r}")
    except Exception as e:  # noqa: BLE001  any failure to open the conversation is one error
        await sio.disconnect()
        emit(TurnResult(session_id, 0, turns[0].question, url, ERROR, 0.0, False, f"{run_id}:{session_id}:0", problem=f"conexión socket.io: {e.__class__.__name__}: {e}", started=opened))
        return
    try:
        for i, turn in enumerate(turns):
            if time.monotonic() >= deadline:
                break
            load_id = f"{run_id}:{session_id}:{i}"
            while not inbox.empty():  # late parts of the previous answer
                inbox.get_nowait()
            t0 = time.monotonic()
            await sio.emit("user_uttered", {"message": turn.question, "session_id": session_id, "metadata": {"load_id": load_id}})
            parts: List[str] = []
            outcome, problem, latency = ERROR, f"sin respuesta en {timeout:g} s", 0.0
            wait = timeout
            while True:
                try:
                    parts.append(await asyncio.wait_for(inbox.get(), wait))
                except asyncio.TimeoutError:
                    if parts:  # answered, but never with everything expected
                        outcome, problem = WRONG, turn.check("\n".join(parts)) or "incompleta"
                    break
                latency = (time.monotonic() - t0) * 1000
                problem_now = turn.check("\n".join(parts))
                if problem_now is None:
                    outcome, problem = OK, ""
                    break
                if NO_DATA_PREFIX in parts[-1]:
                    outcome, problem = WRONG, problem_now
                    break
                wait = SOCKETIO_SETTLE_SECONDS
            emit(TurnResult(session_id, i, turn.question, url, outcome, latency, bool(parts), load_id, reply="\n".join(parts), problem=problem, started=t0))
            if outcome == ERROR:
                break
    finally:
        await sio.disconnect()


# --- the run -------------------------------------------------------------------------------------
async def run_load(
    urls: Sequence[str],
    conversations: int,
    turns: int,
    concurrency: int,
    channel: str = "rest",
    duration_limit: float = 60.0,
    timeout: float = 30.0,
    knowledge: Optional[Knowledge] = None,
    run_id: Optional[str] = None,
    socketio_path: str = SOCKETIO_PATH,
    on_turn: Optional[Callable[[TurnResult], None]] = None,
    check_answers: bool = True,
) -> LoadReport:
    """Run ``conversations`` conversations of ``turns`` turns, ``concurrency`` at a time.

    Raises LoadError for a non-loopback URL or an out-of-bounds setting.
    ``on_turn`` is called after each turn (e.g. to kill a server mid-run).
    ``check_answers=False`` takes any HTTP 200 as right (the same questions
    sent to a bot that knows nothing of ours, such as the bench's bare
    ``rasa init`` bot).
    """
    if isinstance(urls, str):
        urls = [urls]
    urls = [check_loopback(u) for u in urls]
    if not urls:
        raise LoadError("falta --url")
    if channel not in ("rest", "socketio"):
        raise LoadError(f"--channel debe ser rest o socketio, no {channel!r}")
    check_bounds(conversations, turns, concurrency, duration_limit, timeout)
    knowledge = knowledge or load_knowledge(KNOWLEDGE_FILE)
    all_scripts = scripts(knowledge)
    if not check_answers:
        all_scripts = [[Turn(t.question, ()) for t in script] for script in all_scripts]
    run_id = run_id or uuid.uuid4().hex[:8]
    report = LoadReport(channel, list(urls), conversations, turns, concurrency)
    start = time.monotonic()
    deadline = start + duration_limit
    queue: "asyncio.Queue[int]" = asyncio.Queue()
    for c in range(conversations):
        queue.put_nowait(c)

    def record(result: TurnResult) -> None:
        report.results.append(result)
        if on_turn:
            on_turn(result)

    async def worker(run_one: Callable[[int], Any]) -> None:
        while time.monotonic() < deadline:
            try:
                c = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await run_one(c)

    async def run_all() -> None:
        if channel == "rest":
            import aiohttp

            rotation = Rotation(urls)
            connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
            async with aiohttp.ClientSession(connector=connector) as session:

                async def one(c: int) -> None:
                    sender = f"load-{run_id}-{c}"
                    await _rest_conversation(session, rotation, sender, conversation_turns(all_scripts, c, turns), deadline, timeout, c, run_id, record)

                await asyncio.gather(*(worker(one) for _ in range(min(concurrency, conversations))))
        else:

            async def one(c: int) -> None:
                await _socketio_conversation(urls[c % len(urls)], conversation_turns(all_scripts, c, turns), deadline, timeout, run_id, socketio_path, record)

            await asyncio.gather(*(worker(one) for _ in range(min(concurrency, conversations))))

    try:
        # Nothing new starts after the deadline; whatever is in flight gets `timeout` more.
        await asyncio.wait_for(run_all(), duration_limit + timeout + 5)
    except asyncio.TimeoutError:
        report.stopped_by_limit = True
    report.wall_seconds = time.monotonic() - start
    report.stopped_by_limit = report.stopped_by_limit or not queue.empty() or _unfinished(report, turns)
    return report


def _unfinished(report: LoadReport, turns: int) -> bool:
    """Whether the deadline cut conversations short (errors end a conversation early too)."""
    ended_by_error = {r.conversation for r in report.results if r.outcome == ERROR}
    done: Dict[str, int] = {}
    for r in report.results:
        done[r.conversation] = done.get(r.conversation, 0) + 1
    return any(n < turns and c not in ended_by_error for c, n in done.items())


# --- command line --------------------------------------------------------------------------------
def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m tools.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", action="append", required=True, help="bot server, http://127.0.0.1:PORT (repeatable: round-robin with failover over REST)")
    ap.add_argument("--conversations", type=int, default=20, help="conversations in all (default 20)")
    ap.add_argument("--turns", type=int, default=4, help="turns per conversation (default 4)")
    ap.add_argument("--concurrency", type=int, default=10, help="conversations at once (default 10)")
    ap.add_argument("--channel", choices=("rest", "socketio"), default="rest")
    ap.add_argument("--duration-limit", type=float, default=60.0, help="send nothing new after this many seconds (default 60)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer (default 30)")
    ap.add_argument("--socketio-path", default=SOCKETIO_PATH, help="socket.io path (default /socket.io)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return ap.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        report = asyncio.run(
            run_load(
                args.url, args.conversations, args.turns, args.concurrency, args.channel,
                args.duration_limit, args.timeout, socketio_path=args.socketio_path,
            )
        )
    except LoadError as e:
        print(f"tools.load: {e}", file=sys.stderr)
        return 2
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(
            {
                "channel": report.channel, "urls": report.urls, "answers": report.answers, "wrong": report.wrong,
                "errors": report.errors, "seconds": report.wall_seconds, "answers_per_second": report.throughput,
                "p50_ms": report.percentile(0.5), "p95_ms": report.percentile(0.95), "p99_ms": report.percentile(0.99),
            },
            indent=2,
        ))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
