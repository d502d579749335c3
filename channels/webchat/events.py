"""The socket.io events of the widget's channel: Rasa's own, plus the checks of the package docstring.

Handlers take ``*args``: python-socketio calls them with whatever number of
arguments the client sent, and a TypeError there would be a traceback.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Text

import rasa.core.channels.channel
from rasa.core.channels.channel import UserMessage
from socketio import AsyncServer

from channels.messages import WEBCHAT_ERRORS
from channels.output import with_metadata
from channels.text import limit_message_text, readable_text
from channels.turns import handle_with_fallback
from channels.webchat.output import WebChatOutput, message_metadata

if TYPE_CHECKING:
    from channels.webchat.input import WebChatInput

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def new_session_id(requested: Any) -> Text:
    """The session a ``session_request`` gets: the one it asked for when valid, else a new one."""
    return requested if isinstance(requested, str) and SESSION_ID.match(requested) else uuid.uuid4().hex


def register(channel: "WebChatInput", sio: AsyncServer, on_new_message: OnNewMessage) -> None:
    """Attach connect, session_request and the user's message to ``sio``."""
    namespace = channel.namespace

    @sio.on("connect", namespace=namespace)
    async def connect(sid: Text, *args: Any) -> bool:
        if not channel.jwt_key:
            return True
        auth = args[1] if len(args) > 1 else None
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            return False
        try:
            payload = rasa.core.channels.channel.decode_bearer_token(token, channel.jwt_key, channel.jwt_algorithm)
        except Exception:  # noqa: BLE001 - a malformed token is a refused connection, not a traceback
            return False
        return bool(payload)

    @sio.on("session_request", namespace=namespace)
    async def session_request(sid: Text, *args: Any) -> None:
        data = args[0] if len(args) == 1 else None
        session_id = new_session_id(data.get("session_id") if isinstance(data, dict) else None)
        if channel.session_persistence:
            for room in sio.rooms(sid, namespace=namespace):
                if room != sid:
                    sio.leave_room(sid, room, namespace=namespace)
            sio.enter_room(sid, session_id, namespace=namespace)
        await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

    @sio.on(channel.user_message_evt, namespace=namespace)
    async def handle_message(sid: Text, *args: Any) -> None:
        await user_message(channel, sio, on_new_message, sid, args)


async def refuse(channel: "WebChatInput", sio: AsyncServer, sid: Text, reason: Text) -> None:
    """The Spanish error of a `user_uttered` that cannot be a message, to that socket only."""
    logger.info("socket.io: mensaje rechazado de %s (%s)", sid, reason)
    message = with_metadata({"text": WEBCHAT_ERRORS[reason]}, error=reason, rateable=False)
    await sio.emit(channel.bot_message_evt, message, room=sid, namespace=channel.namespace)


async def user_message(
    channel: "WebChatInput", sio: AsyncServer, on_new_message: OnNewMessage, sid: Text, args: Any
) -> None:
    """A ``user_uttered``: refused with a Spanish error, or handed to Rasa (never silence)."""
    if len(args) != 1 or not isinstance(args[0], dict):
        return await refuse(channel, sio, sid, "invalid_data")
    data = args[0]
    if channel.session_persistence:
        sender_id = data.get("session_id")
        if not (isinstance(sender_id, str) and SESSION_ID.match(sender_id)):
            return await refuse(channel, sio, sid, "invalid_session")
        # Only a session this socket asked for: the reply goes to that
        # session's room, so for any other one the sender would get silence.
        if sender_id not in sio.rooms(sid, namespace=channel.namespace):
            return await refuse(channel, sio, sid, "unknown_session")
    else:
        sender_id = sid
    raw_text = data.get("message")
    if not isinstance(raw_text, str):
        return await refuse(channel, sio, sid, "invalid_message")
    text, _ = limit_message_text(readable_text(raw_text), channel.settings.max_message_chars)
    message = UserMessage(
        text,
        WebChatOutput(sio, channel.bot_message_evt),
        sender_id,
        input_channel=channel.name(),
        metadata=message_metadata(data.get(channel.metadata_key)),
    )
    # Never silence: a failed or slow turn gets the Spanish notice.
    await handle_with_fallback(on_new_message, message, timeout=channel.settings.reply_timeout)
