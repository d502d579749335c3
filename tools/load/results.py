"""What one load run measured: each turn's outcome, and the figures printed from them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, List

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


def percentile(values: Iterable[float], q: float) -> float:
    """Linear-interpolated percentile (q in [0, 1]); NaN for no values."""
    values = sorted(values)
    if not values:
        return math.nan
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


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
        failovers = sum(r.failovers for r in self.results)
        lines = [
            f"carga {self.channel} -> {', '.join(self.urls)}: {self.conversations} conversaciones x "
            f"{self.turns_per_conversation} turnos, concurrencia {self.concurrency}",
            f"  respuestas correctas {self.answers}, incorrectas {self.wrong}, errores {self.errors}"
            + (f", reenvíos a otro servidor {failovers}" if failovers else "")
            + (" (cortada por --duration-limit)" if self.stopped_by_limit else ""),
            f"  {self.wall_seconds:.1f} s: {self.throughput:.1f} respuestas/s",
        ]
        if lat:
            lines.append(
                f"  latencia ms: p50 {percentile(lat, 0.50):.0f}, p95 {percentile(lat, 0.95):.0f}, "
                f"p99 {percentile(lat, 0.99):.0f}, máx {max(lat):.0f}"
            )
        for r in (self.of(WRONG) + self.of(ERROR))[:5]:
            lines.append(
                f"  {r.outcome}: {r.conversation} turno {r.turn} {r.question!r} en {r.url}: "
                f"{r.problem} {r.reply[:160]!r}"
            )
        return "\n".join(lines)

    def unfinished(self, turns: int) -> bool:
        """Whether the deadline cut conversations short (errors end a conversation early too)."""
        ended_by_error = {r.conversation for r in self.results if r.outcome == ERROR}
        done: dict = {}
        for r in self.results:
            done[r.conversation] = done.get(r.conversation, 0) + 1
        return any(n < turns and c not in ended_by_error for c, n in done.items())
