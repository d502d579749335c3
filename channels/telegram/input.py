"""The connector's input channel: the webhook, and each update handed to Rasa (or refused).

Configured only by TELEGRAM_* environment variables (settings/table.py);
credentials.yml lists the class with no values.  Without TELEGRAM_TOKEN the
channel logs that Telegram is off and its webhook answers 503.  What it fixes
in Rasa's stock connector, and how it reads updates: the package docstring
(channels/telegram/__init__.py) and docs/telegram.md.
"""

from __future__ import annotations

import hmac
import json
import logging
import sqlite3
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.constants import is_rating_payload
from channels import messages
from channels.telegram.api import TelegramAPIError, TelegramBotAPI
from channels.telegram.output import MessageKey, SilentOutput, TelegramOutput
from channels.telegram.polling import Background
from channels.telegram.ratings import EXPIRED, NOT_YOURS, RatingsMemory
from channels.telegram.state import TelegramState
from channels.telegram.text import LONG_PAYLOAD_PREFIX, sender_id_for
from channels.telegram.updates import metadata as update_metadata
from channels.telegram.updates import (
    MEDIA_KEYS,
    RESTART,
    asker_of,
    is_id,
    is_to_bot,
    obj,
    texts_for,
)
from channels.text import limit_message_text, readable_text
from channels.turns import handle_with_fallback
from settings.channels import TELEGRAM_DISABLED, ChannelSettings, TelegramConfig
from settings.errors import SettingsError
from settings.table import value

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RECENT_UPDATES = 2000

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class TelegramInput(Background, RasaTelegramInput):
    """Webhook ``/webhooks/telegram/webhook`` or getUpdates polling."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "TelegramInput":
        if credentials:
            logger.warning(
                "credentials.yml: los valores de channels.telegram.TelegramInput se ignoran; "
                "el conector se configura con las variables TELEGRAM_*"
            )
        config = TelegramConfig.from_env()
        settings = ChannelSettings.from_env()  # CHANNEL_*: shared by our channels
        ratings = value("TELEGRAM_RATINGS")
        if config is None:
            logger.warning(TELEGRAM_DISABLED)
        else:
            state = "activadas" if ratings else "desactivadas (TELEGRAM_RATINGS=0)"
            logger.info("%s; valoraciones 👍/👎 %s", config.describe(), state)
        return cls(config, settings, ratings)

    def __init__(
        self, config: Optional[TelegramConfig], settings: Optional[ChannelSettings] = None,
        ratings: Optional[bool] = None,
    ) -> None:
        super().__init__(
            config.token if config else None,
            config.bot_name if config else None,
            config.webhook_url if config else None,
            debug_mode=False,
        )
        self.config = config
        self.settings = settings or ChannelSettings()
        self.ratings = value("TELEGRAM_RATINGS") if ratings is None else ratings
        self.memory = RatingsMemory()
        self.api: Optional[TelegramBotAPI] = None
        self.state: Optional[TelegramState] = None
        if config is not None:
            self.api = TelegramBotAPI(config.token, config.api_url)
            try:
                self.state = TelegramState(config.state_file)
            except (OSError, sqlite3.Error) as e:
                raise SettingsError(
                    f"TELEGRAM_STATE_DIR: no se puede escribir el estado del bot en {config.state_file}: {e}"
                ) from e
        self.bot_id: Optional[int] = None
        self.bot_username: Optional[str] = config.bot_name if config else None
        self._recent: "OrderedDict[int, None]" = OrderedDict()
        self._tasks = []
        self._stopping = False
        self._handling = False

    # --- Rasa interface -------------------------------------------------------------------
    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.api, self.state)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("telegram_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if self.config is None:
                return response.json({"status": "disabled"})
            return response.json({"status": "ok", "mode": self.config.mode})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._webhook(request, on_new_message)

        if self.config is not None:

            @bp.listener("after_server_start")
            async def start(app: Any, _loop: Any) -> None:
                self._start_background(app, on_new_message)

            @bp.listener("before_server_stop")
            async def stop(_app: Any, _loop: Any) -> None:
                await self._stop_background()

            @bp.listener("after_server_stop")
            async def close(_app: Any, _loop: Any) -> None:
                if self.api is not None:
                    await self.api.close()
                if self.state is not None:
                    self.state.close()

        return bp

    # --- webhook ----------------------------------------------------------------------------
    async def _webhook(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if self.config is None:
            return response.json({"ok": False, "description": TELEGRAM_DISABLED}, status=503)
        if self.config.mode != "webhook":
            return response.json(
                {"ok": False, "description": messages.TELEGRAM_POLLING_WEBHOOK},
                status=403,
            )
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            logger.warning("Telegram: actualización rechazada sin %s (desde %s)", SECRET_HEADER, request.ip)
            return response.json({"ok": False, "description": messages.TELEGRAM_NO_SECRET}, status=401)
        expected = (self.config.secret_token or "").encode("utf-8")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
            logger.warning(
                "Telegram: actualización rechazada con un %s incorrecto (desde %s)", SECRET_HEADER, request.ip
            )
            return response.json({"ok": False, "description": messages.TELEGRAM_WRONG_SECRET}, status=403)
        try:
            update = json.loads(request.body or b"")
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's limit
            return response.json({"ok": False, "description": messages.TELEGRAM_BAD_JSON}, status=400)
        if not isinstance(update, dict):
            return response.json({"ok": False, "description": messages.TELEGRAM_NOT_AN_UPDATE}, status=400)
        if not self._agent_ready(request.app):
            # Telegram retries later; nothing is lost.
            return response.json({"ok": False, "description": messages.TELEGRAM_NOT_READY}, status=503)
        await self._handle_safely(update, on_new_message)
        return response.json({"ok": True})

    # --- updates -----------------------------------------------------------------------------
    async def _handle_safely(self, update: Dict[str, Any], on_new_message: OnNewMessage) -> str:
        """Never raises: a malformed update must not make Telegram retry forever."""
        try:
            outcome = await self.handle_update(update, on_new_message)
        except Exception:  # noqa: BLE001 - logged with its traceback
            logger.exception("Telegram: error al procesar la actualización %s", update.get("update_id"))
            return "error"
        logger.debug("Telegram: actualización %s -> %s", update.get("update_id"), outcome)
        return outcome

    def _seen(self, update_id: Any) -> bool:
        if not is_id(update_id):
            return False
        if update_id in self._recent:
            return True
        self._recent[update_id] = None
        while len(self._recent) > RECENT_UPDATES:
            self._recent.popitem(last=False)
        return False

    async def handle_update(self, update: Dict[str, Any], on_new_message: OnNewMessage) -> str:
        """Route one Update; returns what was done (for logs and tests)."""
        update_id = update.get("update_id")
        if self._seen(update_id):
            return "duplicate"
        if isinstance(update.get("callback_query"), dict):
            return await self._on_callback(update["callback_query"], update_id, on_new_message)
        if isinstance(update.get("message"), dict):
            return await self._on_message(update["message"], update_id, on_new_message)
        for key in ("callback_query", "message"):
            if update.get(key) is not None:  # there, but not an object: Telegram never sends that
                logger.warning("Telegram: actualización %.60r con «%s» que no es un objeto: ignorada", update_id, key)
                return "ignored:malformed"
        kind = next((k for k in update if k != "update_id"), "vacía")
        if kind == "my_chat_member":
            member = obj(update[kind])
            logger.info(
                "Telegram: el bot pasó a «%s» en el chat %s",
                obj(member.get("new_chat_member")).get("status"),
                obj(member.get("chat")).get("id"),
            )
        return f"ignored:{kind}"

    async def _on_message(self, msg: Dict[str, Any], update_id: Any, on_new_message: OnNewMessage) -> str:
        chat, user = obj(msg.get("chat")), obj(msg.get("from"))
        if "id" not in chat or "id" not in user or chat.get("type") == "channel":
            return "ignored:no-user"
        if not is_id(chat["id"]) or not is_id(user["id"]):
            # Never a conversation id made of whatever the update held.
            logger.warning("Telegram: actualización %.60r con ids de chat o usuario no enteros: ignorada", update_id)
            return "ignored:malformed"
        if user.get("is_bot"):
            return "ignored:bot"
        private = chat.get("type") == "private"
        text = msg.get("text")
        if text is not None and not isinstance(text, str):
            logger.warning("Telegram: actualización %.60r con un «text» que no es texto: ignorada", update_id)
            return "ignored:malformed"
        caption = msg.get("caption")
        addressed = text if text is not None else caption if isinstance(caption, str) else ""
        if not private and not is_to_bot(msg, addressed, self.bot_username, self.bot_id):
            return "ignored:not-addressed"
        message_id = msg.get("message_id") if is_id(msg.get("message_id")) else None
        out = TelegramOutput(self.api, self.state, reply_to_message_id=None if private else message_id)
        sender = sender_id_for(chat, user)
        if text is None:
            if any(key in msg for key in MEDIA_KEYS):
                await out.send_text_message(sender, messages.TELEGRAM_TEXT_ONLY)
                return "text-only"
            return "ignored:service"
        texts = texts_for(text, self.bot_username)
        if texts is None:
            return "ignored:other-bot"
        metadata = update_metadata(update_id, chat, user, message_id)
        # A typed question never starts with "/" (_texts_for): those are commands.
        rateable = not texts[0].startswith("/")
        return await self._dispatch(texts, out, sender, metadata, on_new_message, rateable=rateable)

    async def _on_callback(self, query: Dict[str, Any], update_id: Any, on_new_message: OnNewMessage) -> str:
        data = query.get("data")
        if data is not None and not isinstance(data, str):
            logger.warning("Telegram: actualización %.60r con un callback_data que no es texto: ignorado", update_id)
            data = None
        payload = data
        if isinstance(data, str) and data.startswith(LONG_PAYLOAD_PREFIX):
            payload = self.state.payload(data) if self.state else None
        if is_rating_payload(payload):
            return await self._on_rating(query, payload, update_id, on_new_message)
        # Answer first, so the button stops spinning whatever happens next.
        answer: Dict[str, Any] = {"callback_query_id": query.get("id")}
        if data is not None and payload is None:
            answer["text"] = messages.TELEGRAM_EXPIRED_BUTTON
        await self._answer_callback(query, answer.get("text"))
        msg, user = obj(query.get("message")), obj(query.get("from"))
        chat = obj(msg.get("chat"))
        if not payload or not is_id(chat.get("id")) or not is_id(user.get("id")):
            return "ignored:callback"
        out = TelegramOutput(self.api, self.state)
        sender = sender_id_for(chat, user)
        metadata = update_metadata(update_id, chat, user, msg.get("message_id"))
        return await self._dispatch([readable_text(payload)], out, sender, metadata, on_new_message, rateable=True)

    # --- ratings (docs/ratings.md) ---------------------------------------------------------------
    async def _answer_callback(self, query: Dict[str, Any], text: Optional[str] = None) -> None:
        if not isinstance(query.get("id"), str) or not query["id"]:  # Telegram's ids are strings
            return
        params: Dict[str, Any] = {"callback_query_id": query["id"]}
        if text:
            params["text"] = text
        try:
            await self.api.call("answerCallbackQuery", params)
        except TelegramAPIError as e:
            logger.warning("Telegram: answerCallbackQuery falló: %s", e)

    async def _remove_keyboard(self, key: MessageKey) -> None:
        """editMessageReplyMarkup with no buttons: the answer can no longer be rated."""
        try:
            await self.api.call(
                "editMessageReplyMarkup",
                {"chat_id": key[0], "message_id": key[1], "reply_markup": {"inline_keyboard": []}},
            )
        except TelegramAPIError as e:
            if "not modified" in e.description:  # already without buttons
                logger.debug("Telegram: el mensaje %s ya no tenía botones", key)
            else:
                logger.warning("Telegram: no se pudieron quitar los botones 👍/👎 del mensaje %s: %s", key, e)

    async def _on_rating(
        self, query: Dict[str, Any], payload: str, update_id: Any, on_new_message: OnNewMessage
    ) -> str:
        """A 👍/👎 press: the payload goes to Rasa as the asker's message (it
        rates that conversation's last answer), the keyboard is removed, and
        the thanks is a toast: the assistant's own reply is not sent.

        Refused (toast, nothing sent to Rasa): a press on an answer that is no
        longer the conversation's latest or that was rated already, and in a
        group a press by a member other than the asker.  The connector
        remembers its keyboards in memory; after a restart an unknown answer is
        taken as the latest one until that conversation has a new turn."""
        msg, presser = obj(query.get("message")), obj(query.get("from"))
        chat = obj(msg.get("chat"))
        if not is_id(chat.get("id")) or not is_id(presser.get("id")) or not is_id(msg.get("message_id")):
            await self._answer_callback(query)
            return "ignored:callback"
        key: MessageKey = (chat["id"], msg["message_id"])
        verdict, sender = self.memory.press(key, sender_id_for(chat, presser), asker_of(msg, chat))
        if verdict == NOT_YOURS:
            await self._answer_callback(query, messages.TELEGRAM_RATING_NOT_YOURS)
            return "rating:not-yours"
        if verdict == EXPIRED:
            await self._answer_callback(query, messages.TELEGRAM_RATING_EXPIRED)
            await self._remove_keyboard(key)
            return "rating:expired"
        await self._answer_callback(query, messages.TELEGRAM_RATING_THANKS)
        await self._remove_keyboard(key)
        metadata = update_metadata(update_id, chat, presser, msg["message_id"])
        message = UserMessage(payload, SilentOutput(), sender, input_channel=self.name(), metadata=metadata)
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - the user has had the toast; nothing to tell them
            logger.exception("Telegram: no se pudo registrar la valoración de %s", sender)
            return "rating:error"
        return "rating"

    async def _dispatch(
        self,
        texts: List[str],
        out: TelegramOutput,
        sender: str,
        metadata: Dict[str, Any],
        on_new_message: OnNewMessage,
        rateable: bool = False,
    ) -> str:
        """Hand each text to Rasa.  When a turn fails (action server down, an
        error) or says nothing, the user reads messages.NO_DATA_MESSAGE.
        No time limit on the turn: it may be waiting for Bot API retries
        (429 retry_after), and a cancelled turn would lose the user's message.

        With ratings on and `rateable` (a question or a button's choice, not a
        command), the answer's last message gets the 👍/👎 keyboard; the
        previous answer's keyboard is removed first."""
        closed = self.memory.close(sender)  # the previous answer's 👍/👎 would now rate the new one
        if closed is not None:
            await self._remove_keyboard(closed)
        out.rate = self.ratings and rateable
        outcome = "handled"
        for text in texts:
            text, _ = limit_message_text(text, self.settings.max_message_chars)
            message = UserMessage(text, out, sender, input_channel=self.name(), metadata=metadata)
            if text == RESTART:
                try:
                    await on_new_message(message)
                except Exception:  # noqa: BLE001 - the greeting that follows still runs
                    logger.exception("Telegram: no se pudo reiniciar la conversación de %s", sender)
                continue
            result = await handle_with_fallback(on_new_message, message, timeout=None)
            if result.fell_back:
                outcome = f"fallback:{result.fallback_reason}"
        # Not the error notice: only a real answer is rated.
        self.memory.remember_answer(sender, await out.finish(rateable=out.rate and outcome == "handled"))
        return outcome
