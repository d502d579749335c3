"""REST channel: Rasa's ``RestInput`` with its input checked before anything acts on it.

Same URL (``POST /webhooks/rest/webhook``, name ``rest``), same request
(``{"sender": ..., "message": ..., "metadata": {...}}``) and same answer (a
JSON list of the bot's messages; ``?stream=true`` streams them one JSON per
line) as Rasa 3.6.21's stock channel, which this one replaces in
credentials.yml (``channels.rest.RestInput:``, no options).  What it fixes:

* a request without ``sender`` no longer lands in one conversation
  ``"default"`` shared by every such client: 400, and ``"default"`` itself is
  refused;
* a non-string ``message`` (number, null, list), a body that is not a JSON
  object, a lone surrogate or a control character in ``sender``: 400 with a
  JSON error in Spanish, never a 500 and never a conversation;
* a body over ``REST_MAX_BODY_BYTES``: 413, refused before it is read whole;
* more than ``REST_RATE_LIMIT`` messages per ``REST_RATE_WINDOW`` seconds
  from one sender: 429 with ``Retry-After`` (token bucket, in memory of this
  process);
* a message over ``CHANNEL_MAX_MESSAGE_CHARS``: cut to that length plus "…",
  so the NLU input guard answers "Tu mensaje es muy largo..." and nothing huge
  is processed;
* action server down or slow, or any failure of the turn: the user reads
  ``NO_DATA_MESSAGE`` (channels/messages.py) instead of an empty list.

Every error answer has the same shape:
``{"status": "failure", "code": 400, "reason": "missing_sender", "message": "<en español>"}``.
Settings are environment variables read once when the channel is created;
a bad value stops ``rasa run`` with a message naming the variable.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import unicodedata
from dataclasses import dataclass
from functools import partial
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.shared.constants import DEFAULT_SENDER_ID
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from channels.messages import REST_ERRORS
from channels.rate_limit import RateLimiter
from channels.text import clean_text, limit_message_text
from channels.text import valid_unicode as _valid_unicode
from channels.turns import handle_with_fallback
from settings.channels import ChannelSettings, RestSettings
from settings.errors import SettingsError

logger = logging.getLogger(__name__)

# The body limit's default, 64 KiB (settings.table): a 5,000-character message
# (even escaped as \uXXXX) still gets the bot's polite "too long" answer;
# anything bigger is not a chat message.
# The tracker store's sender_id column is String(255).
MAX_SENDER_CHARS = 255
MAX_INPUT_CHANNEL_CHARS = 64
# Rasa files a message without sender under this id: never accept it.
RESERVED_SENDERS = frozenset({DEFAULT_SENDER_ID})
# Characters removed from a message: C0/C1 controls other than tab and line
# breaks (channels.text.clean_text, shared with the other channels).

_json_dumps = partial(json.dumps, ensure_ascii=False)


class RequestError(Exception):
    """A request the channel refuses: HTTP status, a stable reason, a Spanish message."""

    def __init__(self, status: int, reason: Text, message: Text, headers: Optional[Dict[Text, Text]] = None):
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.headers = headers or {}

    def body(self) -> Dict[Text, Any]:
        return {"status": "failure", "code": self.status, "reason": self.reason, "message": self.message}

    def response(self) -> HTTPResponse:
        return response.json(self.body(), status=self.status, headers=self.headers, dumps=_json_dumps)


def body_too_large(limit: int) -> RequestError:
    return RequestError(413, "body_too_large", REST_ERRORS["body_too_large"].format(limit=limit))


def rate_limited(retry_after: float) -> RequestError:
    seconds = max(1, math.ceil(retry_after))
    return RequestError(
        429,
        "rate_limited",
        REST_ERRORS["rate_limited"].format(seconds=seconds),
        headers={"Retry-After": str(seconds)},
    )


@dataclass(frozen=True)
class RestMessage:
    """A request that passed every check, ready for Rasa."""

    sender: Text
    text: Text
    metadata: Optional[Dict[Text, Any]] = None
    input_channel: Text = "rest"
    truncated_from: Optional[int] = None  # original length, when the text was cut


def _reject_constant(name: Text) -> Any:
    raise ValueError(f"{name} no es JSON válido")


def parse_json_body(body: bytes) -> Dict[Text, Any]:
    """The request body as a JSON object (strict JSON: no NaN); RequestError 400 otherwise."""
    if not body or not body.strip():
        raise RequestError(400, "empty_body", REST_ERRORS["empty_body"])
    try:
        payload = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise RequestError(400, "invalid_json", REST_ERRORS["invalid_json"]) from None
    if not isinstance(payload, dict):
        raise RequestError(400, "not_an_object", REST_ERRORS["not_an_object"])
    return payload


def validate_sender(value: Any) -> Text:
    """The conversation id: a non-empty string (or an integer, as Rasa accepts), never "default"."""
    if value is None:
        raise RequestError(400, "missing_sender", REST_ERRORS["missing_sender"])
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RequestError(400, "invalid_sender", REST_ERRORS["invalid_sender"])
    if not value.strip():
        raise RequestError(400, "missing_sender", REST_ERRORS["empty_sender"])
    if len(value) > MAX_SENDER_CHARS:
        raise RequestError(400, "invalid_sender", REST_ERRORS["long_sender"].format(limit=MAX_SENDER_CHARS))
    if not _valid_unicode(value) or any(unicodedata.category(ch) == "Cc" for ch in value):
        raise RequestError(400, "invalid_sender", REST_ERRORS["bad_sender_chars"])
    if value in RESERVED_SENDERS:
        raise RequestError(400, "reserved_sender", REST_ERRORS["reserved_sender"].format(sender=value))
    return value


def validate_message(value: Any) -> Text:
    """The user's text: a string (may be empty: the bot asks what they meant)."""
    if value is None:
        raise RequestError(400, "missing_message", REST_ERRORS["missing_message"])
    if not isinstance(value, str):
        raise RequestError(400, "invalid_message", REST_ERRORS["invalid_message"])
    if not _valid_unicode(value):
        raise RequestError(400, "invalid_message", REST_ERRORS["bad_message_chars"])
    return clean_text(value)


def validate_metadata(value: Any) -> Optional[Dict[Text, Any]]:
    if value is None or isinstance(value, dict):
        return value
    raise RequestError(400, "invalid_metadata", REST_ERRORS["invalid_metadata"])


def validate_input_channel(value: Any, default: Text) -> Text:
    """The channel name Rasa stores with the message: stock Rasa lets the client set it."""
    if value is None or value == "":
        return default
    if isinstance(value, str) and len(value) <= MAX_INPUT_CHANNEL_CHARS and value.isascii() and value.isprintable():
        return value
    message = REST_ERRORS["invalid_input_channel"].format(limit=MAX_INPUT_CHANNEL_CHARS)
    raise RequestError(400, "invalid_input_channel", message)


def validate_payload(payload: Dict[Text, Any], settings: ChannelSettings, channel_name: Text = "rest") -> RestMessage:
    """Check a parsed request; RequestError (400) names the first problem."""
    sender = validate_sender(payload.get("sender"))
    text = validate_message(payload.get("message"))
    metadata = validate_metadata(payload.get("metadata"))
    input_channel = validate_input_channel(payload.get("input_channel"), channel_name)
    text, original = limit_message_text(text, settings.max_message_chars)
    return RestMessage(sender, text, metadata, input_channel, original)


class RestInput(RasaRestInput):
    """``rest`` channel with checked input, a rate limit and a reply that is never silence."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RestInput":
        if credentials:
            raise SettingsError(
                f"channels.rest.RestInput no acepta opciones en credentials.yml ({', '.join(map(str, credentials))}): "
                "se configura con las variables REST_MAX_BODY_BYTES, REST_RATE_LIMIT, REST_RATE_WINDOW "
                "y CHANNEL_* (docs/hardening.md)."
            )
        return cls(RestSettings.from_env())

    def __init__(self, settings: Optional[RestSettings] = None) -> None:
        self.settings = settings or RestSettings()
        self.limiter = RateLimiter(self.settings.rate_limit, self.settings.rate_window)
        logger.info(
            "Canal REST: cuerpo ≤ %d bytes, %d mensajes por %gs por remitente (por proceso), "
            "mensajes ≤ %d caracteres, respuesta ≤ %gs.",
            self.settings.max_body_bytes,
            self.settings.rate_limit,
            self.settings.rate_window,
            self.settings.channel.max_message_chars,
            self.settings.channel.reply_timeout,
        )

    # --- request -> RestMessage ---------------------------------------------------------------
    async def read_body(self, request: Request) -> bytes:
        """The body, refused (413) as soon as it is known to exceed the limit."""
        limit = self.settings.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None and length.strip().isdigit() and int(length) > limit:
            raise body_too_large(limit)
        stream = request.stream
        if stream is None:  # not a streaming request (e.g. a test client)
            body = request.body or b""
            if len(body) > limit:
                raise body_too_large(limit)
            return body
        # Sanic lifts its own size limit for streaming routes: set ours, so it
        # also stops draining an oversized body after we answer.
        stream.request_max_size = limit
        chunks = []
        size = 0
        try:
            async for chunk in stream:
                size += len(chunk)
                if size > limit:
                    raise body_too_large(limit)
                chunks.append(chunk)
        except PayloadTooLarge:
            raise body_too_large(limit) from None
        except InvalidUsage:  # e.g. bad chunked encoding
            raise RequestError(400, "invalid_body", REST_ERRORS["invalid_body"]) from None
        return b"".join(chunks)

    async def parse_request(self, request: Request) -> RestMessage:
        payload = parse_json_body(await self.read_body(request))
        return validate_payload(payload, self.settings.channel, self.name())

    def _user_message(self, msg: RestMessage, output: CollectingOutputChannel) -> UserMessage:
        metadata = msg.metadata
        if msg.truncated_from is not None:
            metadata = {**(metadata or {}), "truncated_from_chars": msg.truncated_from}
        return UserMessage(msg.text, output, msg.sender, input_channel=msg.input_channel, metadata=metadata)

    # --- handing over to Rasa -------------------------------------------------------------------
    async def _handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> None:
        await handle_with_fallback(on_new_message, message, timeout=self.settings.channel.reply_timeout)

    def _stream(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], msg: RestMessage
    ) -> Callable[[Any], Awaitable[None]]:
        """``?stream=true``: one JSON message per line as the bot sends them (as Rasa's)."""

        async def stream(resp: Any) -> None:
            queue: asyncio.Queue = asyncio.Queue()
            done = object()

            async def run() -> None:
                try:
                    await self._handle(on_new_message, self._user_message(msg, QueueOutputChannel(queue)))
                finally:
                    await queue.put(done)

            task = asyncio.ensure_future(run())
            try:
                while True:
                    item = await queue.get()
                    if item is done:
                        break
                    await resp.write(json.dumps(item) + "\n")
                await task
            finally:
                if not task.done():  # the client went away
                    task.cancel()

        return stream

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"al_invest_{self.name()}_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            try:
                msg = await self.parse_request(request)
                wait = self.limiter.acquire(msg.sender)
                if wait > 0:
                    logger.debug(
                        "Remitente %r limitado: %d mensajes por %gs.",
                        msg.sender,
                        self.limiter.limit,
                        self.limiter.window,
                    )
                    raise rate_limited(wait)
            except RequestError as e:
                logger.debug("Petición REST rechazada: %s", e)
                return e.response()
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(self._stream(on_new_message, msg), content_type="text/event-stream")
            collector = CollectingOutputChannel()
            await self._handle(on_new_message, self._user_message(msg, collector))
            return response.json(collector.messages)

        return bp
