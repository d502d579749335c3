"""What every input channel of ours shares: limits, settings, and a reply that is never silence.

Rasa 3.6.21 swallows a custom action that fails (the processor logs
"Encountered an exception while running action" and carries on), so when the
action server is down the user gets no message at all; and when it is slow the
user waits up to Rasa's fixed 300 s action timeout.  A channel calls
:func:`handle_with_fallback` instead of ``await on_new_message(message)``::

    from channels.common import ChannelSettings, handle_with_fallback

    settings = ChannelSettings.from_env()          # once, at start-up
    ...
    await handle_with_fallback(on_new_message, message, timeout=settings.reply_timeout)

and the user gets :data:`NO_DATA_MESSAGE` through the channel's own output
channel when the turn failed or said nothing (see :class:`TurnResult`).

Also here: environment settings parsed and validated at start-up
(:class:`ConfigError` names the variable), the truncation that lets the NLU
input guard answer a too-long message (:func:`limit_message_text`), an
in-memory per-key :class:`RateLimiter`, and the shape of a bot message
(:data:`RASA_MESSAGE_KEYS`; our extras go in ``metadata``, :func:`with_metadata`).
Importing this module has no side effects; the log hook is installed on the
first turn.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import os
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Text, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException

from actions.constants import is_rateable_response

logger = logging.getLogger(__name__)

# What the user reads when the assistant could not answer (action server down,
# slow, or any other failure of the turn).
NO_DATA_MESSAGE = "No puedo consultar los datos en este momento; inténtalo de nuevo en unos minutos."

# The NLU input guard's limit (config.yml: nlu_components.input_guard.InputGuard
# max_chars).  tests/hardening/test_limits.py fails if the two drift apart.
DEFAULT_MAX_MESSAGE_CHARS = 600
# Seconds a channel waits for the assistant's reply before it gives up on the turn.
DEFAULT_REPLY_TIMEOUT = 15.0
# Marks a message the channel cut short (stored in the user event's text).
TRUNCATION_MARK = "…"

ENV_MAX_MESSAGE_CHARS = "CHANNEL_MAX_MESSAGE_CHARS"
ENV_REPLY_TIMEOUT = "CHANNEL_REPLY_TIMEOUT"


# --- Settings from the environment ----------------------------------------------------------
class ConfigError(RasaException):
    """An environment variable holds a value the channels cannot use.

    A ``RasaException``: ``rasa run`` prints its message (which names the
    variable) and exits with code 1 instead of starting.
    """


def _raw(environ: Mapping[Text, Text], name: Text) -> Optional[Text]:
    value = environ.get(name)
    if value is None or not value.strip():
        return None  # unset or empty: the default
    return value.strip()


def env_int(
    name: Text,
    default: int,
    *,
    minimum: Optional[int] = None,
    maximum: Optional[int] = None,
    environ: Optional[Mapping[Text, Text]] = None,
) -> int:
    """The integer in environment variable ``name`` (``default`` when unset or empty).

    Raises ConfigError naming the variable when the value is not an integer or
    is out of [minimum, maximum].
    """
    raw = _raw(os.environ if environ is None else environ, name)
    if raw is None:
        return default
    try:
        value = int(raw, 10)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} no es válido: debe ser un número entero.") from None
    _check_range(name, raw, value, minimum, maximum)
    return value


def env_float(
    name: Text,
    default: float,
    *,
    minimum: Optional[float] = None,
    maximum: Optional[float] = None,
    exclusive_minimum: bool = False,
    environ: Optional[Mapping[Text, Text]] = None,
) -> float:
    """The finite number in environment variable ``name`` (``default`` when unset or empty)."""
    raw = _raw(os.environ if environ is None else environ, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} no es válido: debe ser un número (p. ej. 15 o 2.5).") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name}={raw!r} no es válido: debe ser un número finito.")
    if exclusive_minimum and minimum is not None and value <= minimum:
        raise ConfigError(f"{name}={raw!r} no es válido: debe ser mayor que {minimum:g}.")
    _check_range(name, raw, value, None if exclusive_minimum else minimum, maximum)
    return value


def _check_range(name: Text, raw: Text, value: float, minimum: Optional[float], maximum: Optional[float]) -> None:
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} no es válido: el mínimo es {minimum:g}.")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r} no es válido: el máximo es {maximum:g}.")


@dataclass(frozen=True)
class ChannelSettings:
    """Settings every channel applies (environment variables ``CHANNEL_*``)."""

    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    reply_timeout: float = DEFAULT_REPLY_TIMEOUT

    @classmethod
    def from_env(cls, environ: Optional[Mapping[Text, Text]] = None) -> "ChannelSettings":
        """Read and validate the settings; ConfigError names a bad variable."""
        return cls(
            max_message_chars=env_int(ENV_MAX_MESSAGE_CHARS, DEFAULT_MAX_MESSAGE_CHARS, minimum=1, maximum=100_000, environ=environ),
            reply_timeout=env_float(ENV_REPLY_TIMEOUT, DEFAULT_REPLY_TIMEOUT, minimum=0, exclusive_minimum=True, maximum=3600, environ=environ),
        )


# --- Message text ---------------------------------------------------------------------------------
def limit_message_text(text: Text, max_chars: int) -> Tuple[Text, Optional[int]]:
    """``(text to hand to Rasa, original length or None)``.

    Rasa strips the text; a stripped text longer than ``max_chars`` is cut to
    ``max_chars`` characters plus :data:`TRUNCATION_MARK` (``max_chars + 1`` in
    all, never whitespace at the end), so the NLU input guard, whose limit is
    the same, still sees a message that is too long and answers it politely,
    while nothing huge is tokenised, classified or stored.
    """
    stripped = text.strip()
    if len(stripped) <= max_chars:
        return text, None
    return stripped[:max_chars] + TRUNCATION_MARK, len(stripped)


# Control characters a message may keep (everything else of category Cc is removed).
_KEPT_CONTROLS = frozenset("\t\n\r")


def valid_unicode(text: Text) -> bool:
    """False for text with lone surrogates (``"\\ud800"`` in JSON), which cannot be UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(text: Text) -> Text:
    """``text`` without control characters other than tab and line breaks.

    PostgreSQL cannot store NUL, and no control character means anything to
    the NLU; the REST channel and the socket.io and Telegram channels apply it.
    """
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc")


def readable_text(text: Text) -> Text:
    """``text`` as the assistant can read it: lone surrogates become U+FFFD, control characters go.

    spaCy's tokenizer raises on a lone surrogate (the turn would fail and the
    message be lost), so channels that answer rather than refuse such text
    (socket.io, Telegram) replace it.  A surrogate pair written as two escapes
    (``"\\ud83d\\ude00"``) is joined into its character.
    """
    if not valid_unicode(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return clean_text(text)


# --- Rate limit ---------------------------------------------------------------------------------
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


# --- A reply that is never silence ------------------------------------------------------------
# Why a turn got NO_DATA_MESSAGE (TurnResult.fallback_reason).
REASON_ACTION_FAILED = "action_failed"  # Rasa logged a failed action (server down, error)
REASON_TIMEOUT = "timeout"  # no reply within the timeout; the turn was cancelled
REASON_ERROR = "error"  # on_new_message raised
REASON_SILENT = "silent"  # the turn ended without a single message

_ACTION_FAILURE_LOGGER = "rasa.core.processor"
_ACTION_FAILURE_PREFIX = "Encountered an exception while running action"


@dataclass
class _TurnState:
    action_failures: List[Text] = field(default_factory=list)


_current_turn: "contextvars.ContextVar[Optional[_TurnState]]" = contextvars.ContextVar("al_invest_turn", default=None)


class _ActionFailureHook(logging.Handler):
    """Notes Rasa's "Encountered an exception while running action" in the current turn.

    The processor logs it from inside the task that runs the turn, so the
    context variable set by handle_with_fallback is visible here.
    """

    def emit(self, record: logging.LogRecord) -> None:
        turn = _current_turn.get()
        if turn is not None and str(record.msg).startswith(_ACTION_FAILURE_PREFIX):
            turn.action_failures.append(str(record.msg))


_hook: Optional[_ActionFailureHook] = None


def _install_hook() -> None:
    global _hook
    if _hook is None:
        _hook = _ActionFailureHook(level=logging.ERROR)
        logging.getLogger(_ACTION_FAILURE_LOGGER).addHandler(_hook)


class CountingOutputChannel(OutputChannel):
    """Passes every message on to ``inner`` and counts them; keeps ``inner``'s name.

    The name matters: Rasa picks channel-specific responses by
    ``output_channel.name()``.
    """

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # type: ignore[override]  # instance, not class: the inner one's
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_image_url(recipient_id, image, **kwargs)

    async def send_attachment(self, recipient_id: Text, attachment: Text, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_attachment(recipient_id, attachment, **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_quick_replies(self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_quick_replies(recipient_id, text, quick_replies, **kwargs)

    async def send_elements(self, recipient_id: Text, elements: Iterable[Dict[Text, Any]], **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_elements(recipient_id, elements, **kwargs)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_custom_json(recipient_id, json_message, **kwargs)

    def __getattr__(self, item: Text) -> Any:  # anything channel-specific
        if item == "inner":  # not set yet: no recursion
            raise AttributeError(item)
        return getattr(self.inner, item)


@dataclass(frozen=True)
class TurnResult:
    """What happened to one turn handed to Rasa by :func:`handle_with_fallback`."""

    sent: int  # messages the assistant sent (the fallback not included)
    fallback_reason: Optional[Text]  # None, or one of the REASON_* constants
    action_failures: Tuple[Text, ...] = ()

    @property
    def fell_back(self) -> bool:
        return self.fallback_reason is not None


def _log_late_turn(task: "asyncio.Future[Any]") -> None:
    """A turn that outlived its caller: log its end (and its error, if any)."""
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        logger.error("Un turno que terminó tarde falló: %r", error)
    else:
        logger.info("Un turno que tardó más que el límite terminó y quedó guardado.")


async def handle_with_fallback(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    *,
    timeout: Optional[float] = DEFAULT_REPLY_TIMEOUT,
    fallback_text: Text = NO_DATA_MESSAGE,
) -> TurnResult:
    """Run ``await on_new_message(message)``; answer ``fallback_text`` if the turn failed or said nothing.

    Use it in place of ``await on_new_message(message)`` in a channel's
    blueprint.  The fallback goes to ``message.output_channel`` (the channel's
    own, as ``{"text": fallback_text}``) when:

    * a custom action failed in this turn (Rasa logs it and carries on; the
      user would get nothing, or only what came before the action),
    * the turn took longer than ``timeout`` seconds (``None``: no limit): the
      user is told now, and the turn goes on in the background (it is never
      cancelled, so no conversation loses its message; a late answer still
      reaches channels that can push it, and is in the tracker either way),
    * ``on_new_message`` raised (logged here; never propagated),
    * the turn ended without a single message.

    Never raises except ``asyncio.CancelledError`` when the caller itself is
    cancelled (e.g. the client went away).  Returns a :class:`TurnResult`.
    """
    _install_hook()
    real_output = message.output_channel
    counting = CountingOutputChannel(real_output)
    message.output_channel = counting
    turn = _TurnState()
    token = _current_turn.set(turn)
    reason: Optional[Text] = None
    # The turn runs in its own task (which copies this context, and so `turn`),
    # shielded: neither our timeout nor the caller going away cancels it.
    task = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout)
    except asyncio.TimeoutError:
        reason = REASON_TIMEOUT
        task.add_done_callback(_log_late_turn)
    except asyncio.CancelledError:
        task.add_done_callback(_log_late_turn)
        raise
    except Exception:
        reason = REASON_ERROR
        logger.exception("El turno de %r falló.", message.sender_id)
    finally:
        _current_turn.reset(token)
        message.output_channel = real_output
    if reason is None and turn.action_failures:
        reason = REASON_ACTION_FAILED
    if reason is None and counting.sent == 0:
        reason = REASON_SILENT
    if reason is not None:
        logger.warning("Aviso de datos no disponibles enviado a %r (motivo: %s).", message.sender_id, reason)
        try:
            await real_output.send_response(message.sender_id, {"text": fallback_text})
        except Exception:  # the channel itself is broken: nothing more we can do
            logger.exception("No se pudo enviar el aviso de fallo a %r.", message.sender_id)
    return TurnResult(sent=counting.sent, fallback_reason=reason, action_failures=tuple(turn.action_failures))


# --- The shape of a bot message ---------------------------------------------------------------
# The top-level keys of a bot message in Rasa's own channels (CollectingOutputChannel,
# SocketIOOutput) and what their clients read: `rasa shell` prints these, and
# rasa-webchat draws a text only when `text` is its single key besides
# `metadata` (buttons: exactly `text` plus `buttons` or `quick_replies`).
# Anything a channel of ours adds goes in `metadata` (with_metadata).
RASA_MESSAGE_KEYS = frozenset(
    {"recipient_id", "text", "buttons", "quick_replies", "image", "attachment", "custom", "elements", "metadata"}
)


def with_metadata(message: Dict[Text, Any], **extras: Any) -> Dict[Text, Any]:
    """A copy of ``message`` with ``extras`` added to its ``metadata`` (never to its top level)."""
    metadata = message.get("metadata")
    return {**message, "metadata": {**(metadata if isinstance(metadata, dict) else {}), **extras}}


# --- Which messages are answers (👍/👎, docs/ratings.md) -----------------------------------
class AnswerAwareOutput:
    """Mixin for an OutputChannel: ``self._answering`` is true while the
    message being sent comes from an answer about the programme.

    Rasa calls ``send_response`` with the response's name (``utter_action``),
    judged by ``actions.constants.is_rateable_response``; anything a channel
    sends outside it (its own "no puedo consultar…" notice) is not an answer.
    """

    _answering = False

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self._answering = is_rateable_response(message.get("utter_action"))
        try:
            await super().send_response(recipient_id, message)  # type: ignore[misc]
        finally:
            self._answering = False
