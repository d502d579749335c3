"""One load conversation over the REST channel, round-robin over the servers, with failover.

The turns of a conversation go round-robin over the URLs, as a balancer
without sticky sessions would send them; a server that refuses the connection
leaves the rotation and the turn goes to the next one.  Behind a balancer
(deploy/), a 502/504 means the replica died or did not answer: the turn is
resent to the same URL, at most MAX_GATEWAY_RESENDS times.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Callable, List, Optional, Sequence, Tuple

from tools.load.results import ERROR, OK, WRONG, TurnResult
from tools.questions import Turn

REST_PATH = "/webhooks/rest/webhook"
GATEWAY_ERRORS = (502, 504)
MAX_GATEWAY_RESENDS = 2
GATEWAY_RESEND_DELAY = 0.5


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


async def _post(session, url: str, body: dict, timeout: float) -> Tuple[int, str]:
    import aiohttp

    # No redirects: the traffic stays on the loopback URL it was given.
    async with session.post(url + REST_PATH, json=body, timeout=aiohttp.ClientTimeout(total=timeout),
                            allow_redirects=False) as resp:
        return resp.status, await resp.text()


def _answer(raw: str) -> str:
    try:
        return "\n".join(m.get("text", "") for m in json.loads(raw) if isinstance(m, dict))
    except (ValueError, TypeError):
        return raw


async def _rest_turn(session, rotation: Rotation, sender: str, turn: Turn, i: int, timeout: float,
                     index: int, run_id: str) -> TurnResult:
    """Send one turn until a server answers it; the result of the last attempt."""
    import aiohttp

    t0 = time.monotonic()
    result: Optional[TurnResult] = None
    failovers = resends = 0
    candidates = rotation.pick(index + i)

    def outcome(url, kind, latency, acknowledged, load_id, **more) -> TurnResult:
        return TurnResult(sender, i, turn.question, url, kind, latency, acknowledged, load_id,
                          failovers=failovers, started=t0, **more)

    while candidates:
        url = candidates.pop(0)
        load_id = f"{run_id}:{sender}:{i}:{failovers}"  # one id per attempt: a resent turn is another message
        body = {"sender": sender, "message": turn.question, "metadata": {"load_id": load_id}}
        try:
            status, raw = await _post(session, url, body, timeout)
        except asyncio.TimeoutError:  # before ClientConnectionError: ServerTimeoutError is both
            latency = (time.monotonic() - t0) * 1000
            return outcome(url, ERROR, latency, False, load_id, problem=f"sin respuesta en {timeout:g} s")
        except (aiohttp.ClientConnectionError, ConnectionResetError) as e:
            # Refused, or dropped before any answer: not acknowledged; as a
            # balancer would, take the server out and try the next one.
            rotation.down.add(url)
            failovers += 1
            result = outcome(url, ERROR, 0.0, False, load_id, problem=f"{e.__class__.__name__}")
            continue
        latency = (time.monotonic() - t0) * 1000
        if status in GATEWAY_ERRORS and resends < MAX_GATEWAY_RESENDS:
            # A balancer's "the replica died / did not answer": not
            # acknowledged; resend it, as a client would (a new message).
            resends += 1
            failovers += 1
            result = outcome(url, ERROR, latency, False, load_id, reply=raw, problem=f"HTTP {status}")
            candidates.insert(0, url)
            await asyncio.sleep(GATEWAY_RESEND_DELAY)
            continue
        if status != 200:
            return outcome(url, ERROR, latency, False, load_id, reply=raw, problem=f"HTTP {status}")
        reply = _answer(raw)
        problem = turn.check(reply)
        return outcome(url, WRONG if problem else OK, latency, True, load_id, reply=reply, problem=problem or "")
    if result is None:
        result = outcome("-", ERROR, 0.0, False, f"{run_id}:{sender}:{i}:-",
                         problem="ningún servidor acepta conexiones")
    return result


async def rest_conversation(session, rotation: Rotation, sender: str, turns: List[Turn], deadline: float,
                            timeout: float, index: int, run_id: str, emit: Callable[[TurnResult], None]) -> None:
    for i, turn in enumerate(turns):
        if time.monotonic() >= deadline:
            break
        result = await _rest_turn(session, rotation, sender, turn, i, timeout, index, run_id)
        emit(result)
        if result.url == "-":  # every server is down
            break
