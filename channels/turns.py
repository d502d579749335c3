"""A turn that is never silence: what every input channel of ours hands Rasa instead of ``on_new_message``.

Rasa 3.6.21 swallows a custom action that fails (the processor logs
"Encountered an exception while running action" and carries on), so when the
action server is down the user gets no message at all; and when it is slow the
user waits up to Rasa's fixed 300 s action timeout.  A channel calls
:func:`handle_with_fallback` instead of ``await on_new_message(message)``::

    from channels.turns import handle_with_fallback
    from settings.channels import ChannelSettings

    settings = ChannelSettings.from_env()          # once, at start-up
    ...
    await handle_with_fallback(on_new_message, message, timeout=settings.reply_timeout)

and the user gets :data:`channels.messages.NO_DATA_MESSAGE` through the
channel's own output channel when the turn failed or said nothing (see
:class:`TurnResult`).  Importing this module has no side effects; the log hook
is installed on the first turn.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.messages import NO_DATA_MESSAGE
from settings.table import BY_NAME

logger = logging.getLogger(__name__)

# Seconds a channel waits for the assistant's reply before it gives up on the turn.
DEFAULT_REPLY_TIMEOUT = BY_NAME["CHANNEL_REPLY_TIMEOUT"].default

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

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        self.sent += 1
        await self.inner.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
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
