"""One load run: ``conversations`` scripted conversations, ``concurrency`` at a time, bounded in time."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, Callable, List, Optional, Sequence

from actions.knowledge import Knowledge, load_knowledge
from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE
from tools.load.bounds import LoadError, check_bounds, check_loopback
from tools.load.rest import Rotation, rest_conversation
from tools.load.results import LoadReport, TurnResult
from tools.load.socketio_client import SOCKETIO_PATH, socketio_conversation
from tools.questions import Turn, scripts


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


def _checked_urls(urls: Sequence[str], channel: str) -> List[str]:
    if isinstance(urls, str):
        urls = [urls]
    urls = [check_loopback(u) for u in urls]
    if not urls:
        raise LoadError("falta --url")
    if channel not in ("rest", "socketio"):
        raise LoadError(f"--channel debe ser rest o socketio, no {channel!r}")
    return urls


async def _workers(count: int, queue: "asyncio.Queue[int]", deadline: float, run_one: Callable[[int], Any]) -> None:
    """``count`` workers taking conversation numbers from ``queue`` until it is empty or the deadline passes."""

    async def worker() -> None:
        while time.monotonic() < deadline:
            try:
                c = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await run_one(c)

    await asyncio.gather(*(worker() for _ in range(count)))


async def _run_all(channel: str, urls: List[str], all_scripts, turns: int, concurrency: int, conversations: int,
                   queue, deadline: float, timeout: float, run_id: str, socketio_path: str, record) -> None:
    workers = min(concurrency, conversations)
    if channel == "socketio":

        async def one_socketio(c: int) -> None:
            await socketio_conversation(urls[c % len(urls)], conversation_turns(all_scripts, c, turns), deadline,
                                        timeout, run_id, socketio_path, record)

        await _workers(workers, queue, deadline, one_socketio)
        return
    import aiohttp

    rotation = Rotation(urls)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one_rest(c: int) -> None:
            await rest_conversation(session, rotation, f"load-{run_id}-{c}", conversation_turns(all_scripts, c, turns),
                                    deadline, timeout, c, run_id, record)

        await _workers(workers, queue, deadline, one_rest)


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
    urls = _checked_urls(urls, channel)
    check_bounds(conversations, turns, concurrency, duration_limit, timeout)
    all_scripts = scripts(knowledge or load_knowledge(DEFAULT_KNOWLEDGE_FILE))
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

    try:
        # Nothing new starts after the deadline; whatever is in flight gets `timeout` more.
        await asyncio.wait_for(
            _run_all(channel, urls, all_scripts, turns, concurrency, conversations, queue, deadline, timeout,
                     run_id, socketio_path, record),
            duration_limit + timeout + 5,
        )
    except asyncio.TimeoutError:
        report.stopped_by_limit = True
    report.wall_seconds = time.monotonic() - start
    report.stopped_by_limit = report.stopped_by_limit or not queue.empty() or report.unfinished(turns)
    return report
