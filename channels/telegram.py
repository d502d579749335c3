"""Telegram connector for Rasa 3.6.21: ``channels.telegram.TelegramInput``.

Configured only by TELEGRAM_* environment variables (channels/telegram_config.py);
credentials.yml lists the class with no values.  Without TELEGRAM_TOKEN the
channel logs that Telegram is off and its webhook answers 503.

What it fixes in Rasa's stock connector (rasa/core/channels/telegram.py):

- "Event loop is closed" on every update (HTTP 500, Telegram retries forever):
  the stock output channel's aiogram session was created by ``asyncio.run`` at
  start-up.  Here every Bot API call runs on Sanic's loop (telegram_api.py), and
  start-up work runs in the blueprint's ``after_server_start`` listener.
- setWebhook at start-up exiting Rasa when api.telegram.org is unreachable: it
  is retried with backoff in the background; Rasa starts regardless.
- fixed Bot API address: TELEGRAM_API_URL (self-hosted server, or a fake).
- no check of ``X-Telegram-Bot-Api-Secret-Token``: an update without it (401)
  or with a wrong one (403) never reaches the assistant.
- callback queries never answered (spinning button): answerCallbackQuery first.
- updates without a message (my_chat_member, channel_post ...) crashing with
  500: ignored with 200.  Edited messages answered twice: ignored (the
  original was answered already).  Stickers, photos, voice, locations: a short
  Spanish reply that the bot reads text only.
- Polling mode (getUpdates with a persisted offset) for machines without a
  public HTTPS URL.
- Malformed input never raises (docs/telegram.md, "Malformed updates";
  fuzz-tested): a webhook body that is not JSON (nesting too deep included)
  is a 400; an update whose message, chat, from, entities or callback_query
  has the wrong type, or whose chat/user ids are not integers, is ignored with
  a warning instead of an AttributeError (or a conversation filed under
  "123" for ``{"id": "123"}``); a getUpdates result that is not a list is
  retried with backoff instead of killing the polling task; texts and button
  payloads go through ``channels.common.readable_text``.

Conversations: private chat -> the user id; group -> "<chat id>:<user id>" (one
conversation per member); in groups the bot answers only when mentioned,
replied to, or given a command.  Answers are plain text (no parse_mode), split
under Telegram's 4096-character limit.  A send that still fails after its
retries is logged and dropped: it never raises into Rasa, so the user's
message and the bot's turn stay in the tracker.  A turn that fails (action
server down) or says nothing gets channels.common's NO_DATA_MESSAGE, as in our
other channels; CHANNEL_MAX_MESSAGE_CHARS applies too.

Ratings (docs/ratings.md; TELEGRAM_RATINGS=0 turns them off): an answer's last
message gets a 👍/👎 inline keyboard whose callback_data is the rating payload
``/rate{"rating":"up"|"down"}``.  A press is answered with a "¡Gracias!" toast,
its keyboard is removed (editMessageReplyMarkup), and the payload reaches Rasa
as the asker's message; the assistant's reply to it is not sent.  A new turn
removes the previous answer's keyboard, since a rating rates the latest answer.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import AnswerAwareOutput, ChannelSettings, handle_with_fallback, limit_message_text, readable_text
from channels.telegram_api import TelegramAPIError, TelegramBotAPI, backoff_delay
from channels.telegram_config import DISABLED_MESSAGE, TelegramConfig, TelegramConfigError
from channels.telegram_state import TelegramState
from channels.telegram_text import (
    COMMANDS,
    EMPTY_BUTTON_TEXT,
    LONG_PAYLOAD_PREFIX,
    UNKNOWN_COMMAND,
    chat_id_of,
    inline_keyboard,
    is_rating,
    mentions,
    parse_command,
    parse_switch,
    rating_keyboard,
    remove_mention,
    sender_id_for,
    split_text,
)

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
# Message content the bot cannot read: answered with TEXT_ONLY_REPLY.  Service
# messages (members joining, pinned messages ...) are ignored.
MEDIA_KEYS = (
    "sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
    "location", "venue", "contact", "poll", "dice", "game", "story",
)
TEXT_ONLY_REPLY = (
    "Solo puedo leer mensajes de texto. Escríbeme tu pregunta, por ejemplo: "
    "«¿Cuántas mipymes peruanas se beneficiaron?»"
)
EXPIRED_BUTTON = "Esta opción ya no está disponible. Escríbeme tu pregunta."
HELP_MESSAGES = ["/ask_capabilities"]
RESTART = "/restart"  # Rasa's restart intent: says nothing by design
# How long a stopping server waits for the update being handled (polling).
STOP_GRACE = 20.0
RECENT_UPDATES = 2000

# Ratings (docs/ratings.md): 👍/👎 under each answer, on unless TELEGRAM_RATINGS=0.
ENV_RATINGS = "TELEGRAM_RATINGS"
RATING_THANKS = "¡Gracias!"  # the toast; the assistant's own thanks is not sent
RATING_EXPIRED = "Esta respuesta ya no se puede valorar."
RATING_NOT_YOURS = "Solo quien hizo la pregunta puede valorar esta respuesta."
# Answers whose keyboard the connector remembers (in memory; see _on_rating).
RATED_MESSAGES = 10000

MessageKey = Tuple[Any, int]  # (chat id, message id)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _retry_delay(error: Exception, failures: int) -> float:
    """Telegram's retry_after when it gave one, else backoff up to a minute."""
    retry_after = getattr(error, "retry_after", None)
    return retry_after if retry_after is not None else backoff_delay(failures, 1.0, 60.0)


def _obj(value: Any) -> Dict[str, Any]:
    """A field that should be a JSON object (chat, from, message ...), or {} when it is not."""
    return value if isinstance(value, dict) else {}


def _is_id(value: Any) -> bool:
    """Telegram's ids (update, chat, user, message) are integers; JSON true is not one."""
    return isinstance(value, int) and not isinstance(value, bool)


class TelegramConfigurationError(RasaException):
    """Invalid TELEGRAM_* variables: `rasa run` prints it and exits with 1."""


def ratings_from_env(environ: Optional[Dict[str, str]] = None) -> bool:
    """TELEGRAM_RATINGS: on (default) or off (0, false, no, off)."""
    raw = (os.environ if environ is None else environ).get(ENV_RATINGS)
    value = parse_switch(raw)
    if value is None:
        raise TelegramConfigurationError(f"{ENV_RATINGS}={raw!r} no es válido: usa 1 (valoraciones 👍/👎) o 0 (sin ellas).")
    return value


class TelegramOutput(AnswerAwareOutput, OutputChannel):
    """Sends the assistant's messages to one chat; never raises on a failed send.

    One instance per incoming update, so that in groups the first answer can
    reply to the member's message.  With ``rate`` the turn's last text message
    is held back until :meth:`finish`, which sends it with the 👍/👎 keyboard
    when the turn deserves one (an answer without buttons of its own).
    """

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(
        self,
        api: Optional[TelegramBotAPI],
        state: Optional[TelegramState],
        reply_to_message_id: Optional[int] = None,
        rate: bool = False,
    ):
        self.api = api
        self.state = state
        self._reply_to = reply_to_message_id
        self.rate = rate  # hold the last message for finish()
        self._held: Optional[Dict[str, Any]] = None  # the last sendMessage so far, not sent yet
        self._had_buttons = False
        # Whether the held message came from an answer (AnswerAwareOutput).
        self._held_is_answer = False

    async def _call(self, method: str, params: Dict[str, Any]) -> Tuple[bool, Any]:
        """(True, the result) or (False, the error); never raises."""
        if self.api is None:
            logger.error("Telegram desactivado: no se envía %s", method)
            return False, None
        try:
            return True, await self.api.call(method, params)
        except TelegramAPIError as e:
            logger.error("Telegram: no se pudo enviar %s al chat %s: %s", method, params.get("chat_id"), e)
            return False, e
        except Exception as e:  # noqa: BLE001 - e.g. a custom message that is not JSON: never into Rasa
            logger.exception("Telegram: error inesperado al enviar %s al chat %s", method, params.get("chat_id"))
            return False, e

    async def _send(self, method: str, params: Dict[str, Any]) -> bool:
        await self._flush()  # a held message is not the turn's last one: it goes first
        ok, _ = await self._call(method, params)
        return ok

    async def _flush(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            await self._call("sendMessage", held)

    async def finish(self, rateable: bool) -> Optional[MessageKey]:
        """End of the turn: send the held last message, with the 👍/👎 keyboard
        when `rateable` and the turn had no buttons of its own.  The rated
        message's (chat id, message id), or None."""
        held, self._held = self._held, None
        if held is None:
            return None
        if not rateable or self._had_buttons or not self._held_is_answer:
            await self._call("sendMessage", held)
            return None
        ok, result = await self._call("sendMessage", {**held, "reply_markup": rating_keyboard()})
        if not ok:
            if isinstance(result, TelegramAPIError) and not result.retryable:  # refused: the answer matters more
                await self._call("sendMessage", held)
            return None
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return (held["chat_id"], message_id) if isinstance(message_id, int) else None

    def _reply_parameters(self) -> Dict[str, Any]:
        if self._reply_to is None:
            return {}
        reply, self._reply_to = self._reply_to, None
        return {"reply_parameters": {"message_id": reply, "allow_sending_without_reply": True}}

    def _remember(self, key: str, payload: str) -> None:
        if self.state is not None:
            self.state.remember_payload(key, payload)

    async def _send_parts(self, recipient_id: str, parts: List[str], reply_markup: Optional[Dict[str, Any]] = None) -> None:
        if reply_markup:
            self._had_buttons = True
        for i, part in enumerate(parts):
            params: Dict[str, Any] = {"chat_id": chat_id_of(recipient_id), "text": part, **self._reply_parameters()}
            last = i == len(parts) - 1
            if reply_markup and last:
                params["reply_markup"] = reply_markup
            if last and self.rate and not self._had_buttons:
                await self._flush()
                self._held = params  # maybe the turn's last message: finish() decides
                self._held_is_answer = self._answering
            else:
                await self._send("sendMessage", params)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_parts(recipient_id, split_text(text))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any) -> None:
        keyboard = inline_keyboard(buttons, self._remember)
        await self._send_parts(recipient_id, split_text(text) or [EMPTY_BUTTON_TEXT], keyboard)

    async def send_quick_replies(self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        if not await self._send("sendPhoto", {"chat_id": chat_id_of(recipient_id), "photo": image}):
            await self.send_text_message(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, str(attachment))

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        """``{"method": "sendLocation", ...}`` calls that Bot API method; a dict
        with ``text`` is sent as a message; the chat defaults to this one."""
        params = dict(json_message or {})
        method = params.pop("method", None)
        params.setdefault("chat_id", chat_id_of(recipient_id))
        if isinstance(method, str) and method:
            await self._send(method, params)
        elif params.get("text"):
            await self._send("sendMessage", params)
        else:
            logger.warning("Telegram: mensaje custom sin «method» ni «text», no se envía: %s", sorted(params))


class SilentOutput(OutputChannel):
    """Where the assistant's reply to a rating goes: nowhere.  The
    answerCallbackQuery toast already thanks the user, and a message would
    push the rated answer up the chat."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        logger.debug("Telegram: respuesta a una valoración no enviada a %s: %s", recipient_id, message.get("text"))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        logger.debug("Telegram: respuesta a una valoración no enviada a %s: %s", recipient_id, text)


@dataclass
class _RatedMessage:
    sender: str  # the conversation whose answer it is
    open: bool = True  # its keyboard is still there


class TelegramInput(RasaTelegramInput):
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
        try:
            config = TelegramConfig.from_env()
        except TelegramConfigError as e:
            raise TelegramConfigurationError(str(e)) from e
        settings = ChannelSettings.from_env()  # CHANNEL_*: shared by our channels
        ratings = ratings_from_env()
        if config is None:
            logger.warning(DISABLED_MESSAGE)
        else:
            logger.info("%s; valoraciones 👍/👎 %s", config.describe(), "activadas" if ratings else f"desactivadas ({ENV_RATINGS}=0)")
        return cls(config, settings, ratings)

    def __init__(
        self, config: Optional[TelegramConfig], settings: Optional[ChannelSettings] = None, ratings: Optional[bool] = None
    ) -> None:
        super().__init__(
            config.token if config else None,
            config.bot_name if config else None,
            config.webhook_url if config else None,
            debug_mode=False,
        )
        self.config = config
        self.settings = settings or ChannelSettings()
        self.ratings = ratings_from_env() if ratings is None else ratings
        # Ratings, in memory: the answers sent with a 👍/👎 keyboard, and each
        # conversation's latest one (None: its last turn had no keyboard).
        self._rated: "OrderedDict[MessageKey, _RatedMessage]" = OrderedDict()
        self._latest: "OrderedDict[str, Optional[MessageKey]]" = OrderedDict()
        self.api: Optional[TelegramBotAPI] = None
        self.state: Optional[TelegramState] = None
        if config is not None:
            self.api = TelegramBotAPI(config.token, config.api_url)
            try:
                self.state = TelegramState(config.state_file)
            except (OSError, sqlite3.Error) as e:
                raise TelegramConfigurationError(
                    f"TELEGRAM_STATE_DIR: no se puede escribir el estado del bot en {config.state_file}: {e}"
                ) from e
        self.bot_id: Optional[int] = None
        self.bot_username: Optional[str] = config.bot_name if config else None
        self._recent: "OrderedDict[int, None]" = OrderedDict()
        self._tasks: List[asyncio.Task] = []
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
            return response.json({"ok": False, "description": DISABLED_MESSAGE}, status=503)
        if self.config.mode != "webhook":
            return response.json(
                {"ok": False, "description": "Telegram está en modo polling: este webhook no acepta actualizaciones"},
                status=403,
            )
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            logger.warning("Telegram: actualización rechazada sin %s (desde %s)", SECRET_HEADER, request.ip)
            return response.json({"ok": False, "description": "falta el token secreto"}, status=401)
        expected = (self.config.secret_token or "").encode("utf-8")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
            logger.warning("Telegram: actualización rechazada con un %s incorrecto (desde %s)", SECRET_HEADER, request.ip)
            return response.json({"ok": False, "description": "token secreto incorrecto"}, status=403)
        try:
            update = json.loads(request.body or b"")
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's limit
            return response.json({"ok": False, "description": "JSON inválido"}, status=400)
        if not isinstance(update, dict):
            return response.json({"ok": False, "description": "se esperaba un objeto Update"}, status=400)
        if not self._agent_ready(request.app):
            # Telegram retries later; nothing is lost.
            return response.json({"ok": False, "description": "el asistente aún no está listo"}, status=503)
        await self._handle_safely(update, on_new_message)
        return response.json({"ok": True})

    # --- background work on Sanic's loop ---------------------------------------------------
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
                logger.warning("TELEGRAM_BOT_NAME es «%s» pero el token es del bot «%s»: uso «%s»", self.bot_username, username, username)
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
                logger.warning("Telegram: getUpdates devolvió %s en vez de una lista; reintento en %.1f s", type(updates).__name__, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            batch = [u for u in updates if isinstance(u, dict) and _is_id(u.get("update_id"))]
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
        if not _is_id(update_id):
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
            member = _obj(update[kind])
            logger.info(
                "Telegram: el bot pasó a «%s» en el chat %s",
                _obj(member.get("new_chat_member")).get("status"), _obj(member.get("chat")).get("id"),
            )
        return f"ignored:{kind}"

    def _is_to_bot(self, msg: Dict[str, Any], text: str) -> bool:
        """In a group: mentioned, replied to, or given a command for this bot."""
        if mentions(text, self.bot_username):
            return True
        entities = msg.get("entities") or msg.get("caption_entities")
        for entity in entities if isinstance(entities, list) else []:
            entity = _obj(entity)
            if entity.get("type") == "text_mention" and self.bot_id and _obj(entity.get("user")).get("id") == self.bot_id:
                return True
        command = parse_command(text)
        if command and (command[1] is None or self._is_our_name(command[1])):
            return True
        replied = _obj(_obj(msg.get("reply_to_message")).get("from"))
        if self.bot_id is not None and replied.get("id") == self.bot_id:
            return True
        return bool(replied.get("is_bot") and self._is_our_name(replied.get("username")))

    def _is_our_name(self, name: Any) -> bool:
        return bool(isinstance(name, str) and name and self.bot_username and name.lower() == self.bot_username.lower())

    def _texts_for(self, text: str) -> Optional[List[str]]:
        """What the assistant gets for a text: commands become intents, the
        bot's @mention is removed.  None: a command for another bot."""
        cleaned = remove_mention(readable_text(text), self.bot_username)
        command = parse_command(cleaned)
        if command:
            name, target, _arg = command
            if target is not None and self.bot_username and not self._is_our_name(target):
                return None
            return list(COMMANDS.get(name, UNKNOWN_COMMAND))
        # A typed "/something" that is not a command must not reach Rasa as an intent.
        cleaned = cleaned.lstrip("/").strip()
        return [cleaned] if cleaned else list(HELP_MESSAGES)

    @staticmethod
    def _metadata(update_id: Any, chat: Dict[str, Any], user: Dict[str, Any], message_id: Any) -> Dict[str, Any]:
        return {
            "telegram": {
                "update_id": update_id if _is_id(update_id) else None,
                "chat_id": chat.get("id"),
                "chat_type": chat.get("type") if isinstance(chat.get("type"), str) else None,
                "user_id": user.get("id"),
                "message_id": message_id if _is_id(message_id) else None,
            }
        }

    async def _on_message(self, msg: Dict[str, Any], update_id: Any, on_new_message: OnNewMessage) -> str:
        chat, user = _obj(msg.get("chat")), _obj(msg.get("from"))
        if "id" not in chat or "id" not in user or chat.get("type") == "channel":
            return "ignored:no-user"
        if not _is_id(chat["id"]) or not _is_id(user["id"]):
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
        if not private and not self._is_to_bot(msg, text if text is not None else caption if isinstance(caption, str) else ""):
            return "ignored:not-addressed"
        message_id = msg.get("message_id") if _is_id(msg.get("message_id")) else None
        out = TelegramOutput(self.api, self.state, reply_to_message_id=None if private else message_id)
        sender = sender_id_for(chat, user)
        if text is None:
            if any(key in msg for key in MEDIA_KEYS):
                await out.send_text_message(sender, TEXT_ONLY_REPLY)
                return "text-only"
            return "ignored:service"
        texts = self._texts_for(text)
        if texts is None:
            return "ignored:other-bot"
        metadata = self._metadata(update_id, chat, user, message_id)
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
        if is_rating(payload):
            return await self._on_rating(query, payload, update_id, on_new_message)
        # Answer first, so the button stops spinning whatever happens next.
        answer: Dict[str, Any] = {"callback_query_id": query.get("id")}
        if data is not None and payload is None:
            answer["text"] = EXPIRED_BUTTON
        await self._answer_callback(query, answer.get("text"))
        msg, user = _obj(query.get("message")), _obj(query.get("from"))
        chat = _obj(msg.get("chat"))
        if not payload or not _is_id(chat.get("id")) or not _is_id(user.get("id")):
            return "ignored:callback"
        out = TelegramOutput(self.api, self.state)
        sender = sender_id_for(chat, user)
        metadata = self._metadata(update_id, chat, user, msg.get("message_id"))
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
                "editMessageReplyMarkup", {"chat_id": key[0], "message_id": key[1], "reply_markup": {"inline_keyboard": []}}
            )
        except TelegramAPIError as e:
            if "not modified" in e.description:  # already without buttons
                logger.debug("Telegram: el mensaje %s ya no tenía botones", key)
            else:
                logger.warning("Telegram: no se pudieron quitar los botones 👍/👎 del mensaje %s: %s", key, e)

    def _remember_answer(self, sender: str, rated: Optional[MessageKey]) -> None:
        """`sender`'s latest answer: `rated` if it got the keyboard, else None."""
        self._latest[sender] = rated
        self._latest.move_to_end(sender)
        if rated is not None:
            self._rated[rated] = _RatedMessage(sender)
            self._rated.move_to_end(rated)
        for memory in (self._latest, self._rated):
            while len(memory) > RATED_MESSAGES:
                memory.popitem(last=False)

    async def _close_rating(self, sender: str) -> None:
        """A new turn: the previous answer's 👍/👎 would now rate the new one."""
        key = self._latest.get(sender)
        rated = self._rated.get(key) if key is not None else None
        if rated is not None and rated.open:
            rated.open = False
            await self._remove_keyboard(key)

    @staticmethod
    def _asker_of(msg: Dict[str, Any], chat: Dict[str, Any]) -> Optional[str]:
        """In a group, the member whose message an answer replies to."""
        if chat.get("type") == "private":
            return None
        asker = _obj(_obj(msg.get("reply_to_message")).get("from"))
        if _is_id(asker.get("id")) and not asker.get("is_bot"):
            return sender_id_for(chat, asker)
        return None

    async def _on_rating(self, query: Dict[str, Any], payload: str, update_id: Any, on_new_message: OnNewMessage) -> str:
        """A 👍/👎 press: the payload goes to Rasa as the asker's message (it
        rates that conversation's last answer), the keyboard is removed, and
        the thanks is a toast: the assistant's own reply is not sent.

        Refused (toast, nothing sent to Rasa): a press on an answer that is no
        longer the conversation's latest or that was rated already, and in a
        group a press by a member other than the asker.  The connector
        remembers its keyboards in memory; after a restart an unknown answer is
        taken as the latest one until that conversation has a new turn."""
        msg, presser = _obj(query.get("message")), _obj(query.get("from"))
        chat = _obj(msg.get("chat"))
        if not _is_id(chat.get("id")) or not _is_id(presser.get("id")) or not _is_id(msg.get("message_id")):
            await self._answer_callback(query)
            return "ignored:callback"
        key: MessageKey = (chat["id"], msg["message_id"])
        own = sender_id_for(chat, presser)
        rated = self._rated.get(key)
        if rated is not None:
            sender, valid = rated.sender, rated.open
        else:  # sent before a restart (or long forgotten)
            sender = self._asker_of(msg, chat) or own
            valid = sender not in self._latest
        if valid and sender != own:
            await self._answer_callback(query, RATING_NOT_YOURS)
            return "rating:not-yours"
        if not valid:
            await self._answer_callback(query, RATING_EXPIRED)
            await self._remove_keyboard(key)
            return "rating:expired"
        if rated is None:
            self._rated[key] = rated = _RatedMessage(sender)
        rated.open = False  # a second press, even a quick one, is refused
        await self._answer_callback(query, RATING_THANKS)
        await self._remove_keyboard(key)
        metadata = self._metadata(update_id, chat, presser, msg["message_id"])
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
        error) or says nothing, the user reads channels.common's NO_DATA_MESSAGE.
        No time limit on the turn: it may be waiting for Bot API retries
        (429 retry_after), and a cancelled turn would lose the user's message.

        With ratings on and `rateable` (a question or a button's choice, not a
        command), the answer's last message gets the 👍/👎 keyboard; the
        previous answer's keyboard is removed first."""
        await self._close_rating(sender)
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
        self._remember_answer(sender, await out.finish(rateable=out.rate and outcome == "handled"))
        return outcome
