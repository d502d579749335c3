"""What the assistant sends to a Telegram chat: plain text split under 4096, buttons, the 👍/👎 keyboard.

A send that still fails after its retries (api.py) is logged and dropped: it
never raises into Rasa, so the user's message and the bot's turn stay in the
tracker.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Tuple

from rasa.core.channels.channel import OutputChannel

from channels.messages import TELEGRAM_EMPTY_BUTTON_TEXT
from channels.output import AnswerAwareOutput
from channels.telegram.api import TelegramAPIError, TelegramBotAPI
from channels.telegram.state import TelegramState
from channels.telegram.text import chat_id_of, inline_keyboard, rating_keyboard, split_text

logger = logging.getLogger(__name__)

MessageKey = Tuple[Any, int]  # (chat id, message id)


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

    async def _send_parts(
        self, recipient_id: str, parts: List[str], reply_markup: Optional[Dict[str, Any]] = None
    ) -> None:
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

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        keyboard = inline_keyboard(buttons, self._remember)
        await self._send_parts(recipient_id, split_text(text) or [TELEGRAM_EMPTY_BUTTON_TEXT], keyboard)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
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
