"""One load conversation over the web widget's socket.io channel.

Path ``/socket.io``, ``session_request`` with a 32-hex session id, then
``user_uttered``; replies arrive on ``bot_uttered``, possibly in several
messages.  A conversation keeps its server (the protocol needs sticky sessions).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, Callable, List

from tools.load.results import ERROR, OK, WRONG, TurnResult
from tools.questions import NO_DATA_PREFIX, Turn

SOCKETIO_PATH = "/socket.io"
# After a reply that does not yet hold every expected figure, how long to wait
# for the bot's next message before calling the answer wrong.
SOCKETIO_SETTLE_SECONDS = 1.0


async def _open(url: str, session_id: str, timeout: float, socketio_path: str):
    """A connected client with a confirmed session, and the queue its replies arrive in."""
    import socketio

    inbox: "asyncio.Queue[str]" = asyncio.Queue()
    confirmed: "asyncio.Future[str]" = asyncio.get_running_loop().create_future()
    sio = socketio.AsyncClient(reconnection=False)

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
        await asyncio.wait_for(
            sio.connect(url, socketio_path=socketio_path, transports=["polling"], wait_timeout=timeout), timeout
        )
        await sio.emit("session_request", {"session_id": session_id})
        got = await asyncio.wait_for(confirmed, timeout)
        if got != session_id:
            raise RuntimeError(f"el servidor cambió la sesión {session_id} por {got!r}")
    except Exception:
        await sio.disconnect()
        raise
    return sio, inbox


async def _ask(sio, inbox: "asyncio.Queue[str]", url: str, session_id: str, turn: Turn, i: int, timeout: float,
               run_id: str) -> TurnResult:
    load_id = f"{run_id}:{session_id}:{i}"
    while not inbox.empty():  # late parts of the previous answer
        inbox.get_nowait()
    t0 = time.monotonic()
    message = {"message": turn.question, "session_id": session_id, "metadata": {"load_id": load_id}}
    await sio.emit("user_uttered", message)
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
    return TurnResult(session_id, i, turn.question, url, outcome, latency, bool(parts), load_id,
                      reply="\n".join(parts), problem=problem, started=t0)


async def socketio_conversation(url: str, turns: List[Turn], deadline: float, timeout: float, run_id: str,
                                socketio_path: str, emit: Callable[[TurnResult], None]) -> None:
    session_id = uuid.uuid4().hex
    opened = time.monotonic()
    try:
        sio, inbox = await _open(url, session_id, timeout, socketio_path)
    except Exception as e:  # noqa: BLE001  any failure to open the conversation is one error
        emit(TurnResult(session_id, 0, turns[0].question, url, ERROR, 0.0, False, f"{run_id}:{session_id}:0",
                        problem=f"conexión socket.io: {e.__class__.__name__}: {e}", started=opened))
        return
    try:
        for i, turn in enumerate(turns):
            if time.monotonic() >= deadline:
                break
            result = await _ask(sio, inbox, url, session_id, turn, i, timeout, run_id)
            emit(result)
            if result.outcome == ERROR:
                break
    finally:
        await sio.disconnect()
