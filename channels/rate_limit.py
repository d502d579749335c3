"""An in-memory token bucket per sender: the REST channel's rate limit (``REST_RATE_LIMIT``), its only user."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Text


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token bucket per key (e.g. per sender), in memory of this process.

    Each key may send ``limit`` messages at once and then one more every
    ``window / limit`` seconds (``limit`` per ``window`` on average).  With
    several worker processes or servers each one counts on its own.  At most
    ``max_keys`` keys are remembered (least recently used forgotten first),
    so random keys cannot exhaust memory; a forgotten key starts again with a
    full bucket.  ``limit == 0`` turns the limiter off.
    """

    def __init__(self, limit: int, window: float, max_keys: int = 50_000, clock: Callable[[], float] = time.monotonic):
        if limit < 0 or window <= 0 or max_keys < 1:
            raise ValueError("limit >= 0, window > 0 and max_keys >= 1")
        self.limit = limit
        self.window = float(window)
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: "OrderedDict[Text, _Bucket]" = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return self.limit / self.window

    def acquire(self, key: Text) -> float:
        """Take one token for ``key``: 0.0 when allowed, else seconds until the next one."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(tokens=float(self.limit), updated=now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(float(self.limit), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def __len__(self) -> int:
        return len(self._buckets)

