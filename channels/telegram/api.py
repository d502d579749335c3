"""A small Bot API client: plain aiohttp against TELEGRAM_API_URL, with retries.

Why not aiogram 2.15's ``Bot``: it predates ``secret_token`` in setWebhook, and
Rasa's connector used it from ``asyncio.run`` at start-up, which bound its
session to a loop that was closed by the time Sanic served the first update
("Event loop is closed").  This client opens its aiohttp session lazily on the
loop that uses it (Sanic's) and reopens it if that loop changed.  The URLs are
built with aiogram's ``TelegramAPIServer``, so a self-hosted telegram-bot-api
server or a fake one works the same way.

Retries: network errors, 5xx and 429 (waiting ``parameters.retry_after``) are
retried with exponential backoff; other 4xx (bad request, bot blocked) are not.
The token never appears in a log line or an exception.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any, Dict, Optional

import aiohttp
from aiogram.bot.api import TelegramAPIServer

logger = logging.getLogger(__name__)


class TelegramAPIError(Exception):
    """A Bot API call that failed (after its retries, if it was retryable)."""

    def __init__(
        self, method: str, description: str, status: Optional[int] = None, retry_after: Optional[float] = None
    ):
        super().__init__(f"{method}: {description}" + (f" (HTTP {status})" if status else ""))
        self.method = method
        self.description = description
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500 or self.retry_after is not None


class TelegramNetworkError(TelegramAPIError):
    """No HTTP answer at all (connection refused or dropped, timeout)."""


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with a little jitter: ~base, 2*base, 4*base ... cap."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * random.uniform(0.8, 1.0)


class TelegramBotAPI:
    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        attempts: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        timeout: float = 30.0,
    ):
        self._token = token
        self._server = TelegramAPIServer.from_base(api_url)
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.timeout = timeout
        self._session: Optional[aiohttp.ClientSession] = None

    def _url(self, method: str) -> str:
        return self._server.api_url(token=self._token, method=method)

    def _redact(self, text: str) -> str:
        return str(text).replace(self._token, "<token>")

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or getattr(session, "_loop", loop) is not loop:
            self._session = session = aiohttp.ClientSession()
        return session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            try:
                await self._session.close()
            except RuntimeError:  # its loop is gone: nothing left to close
                pass
        self._session = None

    async def call(
        self,
        method: str,
        params: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        attempts: Optional[int] = None,
    ) -> Any:
        """The ``result`` of one Bot API method; TelegramAPIError when it fails."""
        attempts = attempts or self.attempts
        for attempt in range(1, attempts + 1):
            try:
                return await self._call_once(method, params, timeout or self.timeout)
            except TelegramAPIError as e:
                if not e.retryable or attempt == attempts:
                    raise
                delay = (
                    e.retry_after
                    if e.retry_after is not None
                    else backoff_delay(attempt, self.base_delay, self.max_delay)
                )
                delay = min(max(delay, 0.0), self.max_delay)
                logger.warning(
                    "Telegram %s falló (%s); reintento %d/%d en %.1f s",
                    method,
                    e.description,
                    attempt,
                    attempts - 1,
                    delay,
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _call_once(self, method: str, params: Optional[Dict[str, Any]], timeout: float) -> Any:
        body = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            async with self._get_session().post(
                self._url(method), json=body, timeout=aiohttp.ClientTimeout(total=timeout)
            ) as resp:
                status, raw = resp.status, await resp.text()
        except asyncio.TimeoutError:
            raise TelegramNetworkError(method, f"sin respuesta en {timeout:.0f} s") from None
        except aiohttp.ClientError as e:
            raise TelegramNetworkError(method, self._redact(f"{type(e).__name__}: {e}")) from None
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise TelegramAPIError(method, f"respuesta no JSON: {self._redact(raw[:200])!r}", status)
        if status == 200 and data.get("ok"):
            return data.get("result")
        parameters = data.get("parameters") or {}
        retry_after = parameters.get("retry_after")
        raise TelegramAPIError(
            method,
            self._redact(str(data.get("description") or "error sin descripción")),
            status,
            float(retry_after) if isinstance(retry_after, (int, float)) else None,
        )
