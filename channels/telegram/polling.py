"""Background work on Sanic's loop: identify the bot, set the webhook or poll getUpdates.

Start-up calls are retried with backoff until they succeed, so Rasa starts even
when api.telegram.org is unreachable (the stock connector exited).  Polling
persists its offset (state.py) and never dies of an error or a malformed answer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import UserMessage

from channels.telegram.api import TelegramBotAPI, backoff_delay
from channels.telegram.state import TelegramState
from channels.telegram.updates import is_id
from settings.channels import TelegramConfig

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
# How long a stopping server waits for the update being handled (polling).
STOP_GRACE = 20.0

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _retry_delay(error: Exception, failures: int) -> float:
    """Telegram's retry_after when it gave one, else backoff up to a minute."""
    retry_after = getattr(error, "retry_after", None)
    return retry_after if retry_after is not None else backoff_delay(failures, 1.0, 60.0)


class Background:
    """The connector's background tasks (a mixin of TelegramInput, which handles the updates)."""

    api: Optional[TelegramBotAPI]
    state: Optional[TelegramState]
    config: Optional[TelegramConfig]
    bot_id: Optional[int]
    bot_username: Optional[str]
    _tasks: List[asyncio.Task]
    _stopping: bool
    _handling: bool

    async def _handle_safely(self, update: Dict[str, Any], on_new_message: OnNewMessage) -> str:
        raise NotImplementedError

    @staticmethod
    def _agent_ready(app: Any) -> bool:
        agent = getattr(app.ctx, "agent", None)
        return agent is not None and agent.is_ready()

    def _start_background(self, app: Any, on_new_message: OnNewMessage) -> None:
        self._stopping = False
        self._tasks = [asyncio.ensure_future(self._identify())]
        if self.config.mode == "webhook":
            self._tasks.append(asyncio.ensure_future(self._set_webhook()))
        else:
            self._tasks.append(asyncio.ensure_future(self._poll(app, on_new_message)))

    async def _stop_background(self) -> None:
        self._stopping = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_GRACE
        while self._handling and loop.time() < deadline:  # let the update in hand finish
            await asyncio.sleep(0.05)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        logger.info("Telegram: detenido")

    async def _call_until_done(self, method: str, params: Dict[str, Any]) -> Any:
        """Retry one call with backoff until it succeeds (start-up calls that
        must not stop Rasa when Telegram is unreachable)."""
        failures = 0
        while True:
            try:
                return await self.api.call(method, params, attempts=1)
            except Exception as e:  # noqa: BLE001 - TelegramAPIError, or anything unexpected: keep trying
                failures += 1
                delay = _retry_delay(e, failures)
                log = logger.warning if getattr(e, "retryable", False) else logger.error
                log("Telegram: %s falló (%s); reintento en %.0f s", method, e, delay)
                await asyncio.sleep(delay)

    async def _identify(self) -> None:
        me = await self._call_until_done("getMe", {})
        if not isinstance(me, dict):
            return
        self.bot_id = me.get("id")
        username = me.get("username")
        if username:
            if self.bot_username and self.bot_username.lower() != username.lower():
                logger.warning(
                    "TELEGRAM_BOT_NAME es «%s» pero el token es del bot «%s»: uso «%s»",
                    self.bot_username,
                    username,
                    username,
                )
            self.bot_username = username
        logger.info("Telegram: conectado como @%s", self.bot_username)

    async def _set_webhook(self) -> None:
        await self._call_until_done(
            "setWebhook",
            {
                "url": self.config.webhook_url,
                "secret_token": self.config.secret_token,
                "allowed_updates": ALLOWED_UPDATES,
                "drop_pending_updates": False,
            },
        )
        logger.info("Telegram: webhook configurado en %s", self.config.webhook_url)

    async def _poll(self, app: Any, on_new_message: OnNewMessage) -> None:
        await self._call_until_done("deleteWebhook", {"drop_pending_updates": False})
        offset = self.state.get_offset()
        timeout = self.config.poll_timeout
        logger.info("Telegram: sondeo con getUpdates (offset %s)", offset)
        failures = 0
        while not self._stopping:
            try:
                updates = await self.api.call(
                    "getUpdates",
                    {"offset": offset, "timeout": timeout, "allowed_updates": ALLOWED_UPDATES},
                    timeout=timeout + 15,
                    attempts=1,
                )
            except Exception as e:  # noqa: BLE001 - the loop must outlive any error
                failures += 1
                delay = _retry_delay(e, failures)
                logger.warning("Telegram: getUpdates falló (%s); reintento en %.1f s", e, delay)
                await asyncio.sleep(delay)
                continue
            if not isinstance(updates, list):
                # Telegram always answers a list; anything else is a broken
                # server or proxy: wait as after an error, never crash the loop.
                failures += 1
                delay = backoff_delay(failures, 1.0, 60.0)
                logger.warning(
                    "Telegram: getUpdates devolvió %s en vez de una lista; reintento en %.1f s",
                    type(updates).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            failures = 0
            batch = [u for u in updates if isinstance(u, dict) and is_id(u.get("update_id"))]
            if len(batch) < len(updates):
                # Without an update_id the offset cannot move past them; a
                # well-formed update after them moves it on.
                logger.warning("Telegram: %d actualizaciones sin update_id entero ignoradas", len(updates) - len(batch))
            for update in sorted(batch, key=lambda u: u["update_id"]):
                if self._stopping:
                    break  # not handled, offset not advanced: fetched again after the restart
                if offset is not None and update["update_id"] < offset:
                    continue
                while not self._agent_ready(app) and not self._stopping:
                    await asyncio.sleep(0.2)
                if self._stopping:
                    break
                self._handling = True
                try:
                    await self._handle_safely(update, on_new_message)
                    offset = update["update_id"] + 1
                    try:
                        self.state.set_offset(offset)
                    except sqlite3.Error as e:  # still right in memory; only a restart would repeat it
                        logger.error("Telegram: no se pudo guardar el offset %s en %s: %s", offset, self.state.path, e)
                finally:
                    self._handling = False
