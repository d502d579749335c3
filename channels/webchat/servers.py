"""python-socketio 5.9 and python-engineio 4.x servers that answer a client's garbage instead of failing."""

from __future__ import annotations

import logging
from typing import Any, Optional, Text

import engineio
import engineio.packet
from engineio.async_drivers.sanic import WebSocket as SanicWebSocket
from sanic import response
from sanic.exceptions import ServerError
from socketio import AsyncServer

from channels.messages import WEBCHAT_BAD_WEBSOCKET, WEBCHAT_TOO_LARGE

logger = logging.getLogger(__name__)


class TolerantWebSocket(SanicWebSocket):
    """python-engineio's Sanic WebSocket, closing a socket that sends a frame that is no Engine.IO packet.

    python-engineio 4.x decodes each frame outside its error handling: a
    frame such as ``zz`` or an empty one escaped from the WebSocket's handler,
    Sanic wrote an HTTP 500 into the open WebSocket and the Engine.IO socket
    was left half-closed.  Reported as "connection closed by the client", it
    is closed the normal way instead (one log line).
    """

    async def wait(self) -> Any:
        data = await super().wait()
        try:
            engineio.packet.Packet(encoded_packet=data)
        except Exception as e:  # noqa: BLE001 - whatever the decoder raises for garbage
            logger.warning("socket.io: trama WebSocket mal formada (%s: %s); se cierra ese socket", type(e).__name__, e)
            return None
        return data


class TolerantEngineIO(engineio.AsyncServer):
    """python-engineio's server, with three client errors answered instead of hanging or failing.

    - A polling POST larger than ``max_http_buffer_size`` (1 MB): python-engineio
      disconnects the socket and waits for its queue to drain, which on polling
      never happens while nobody polls: the request hung for good.  Now a 413,
      before python-engineio reads it; the socket is left to its ping timeout.
    - A WebSocket handshake Sanic 21.12 cannot accept (no or a malformed
      ``Sec-WebSocket-Key``, another ``Sec-WebSocket-Version``) was a
      ``ServerError`` 500 with a traceback: now a 400.  An error after the
      WebSocket opened is not touched (there is no HTTP answer left to give).
    - A WebSocket frame that is no Engine.IO packet: :class:`TolerantWebSocket`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A copy: the driver's table is shared by every server of the process.
        self._async = dict(self._async, websocket=TolerantWebSocket)

    async def handle_request(self, *args: Any, **kwargs: Any) -> Any:
        request = args[0] if args else kwargs.get("request")
        if getattr(request, "method", None) == "POST":
            try:
                length = int(request.headers.get("content-length") or 0)
            except ValueError:
                length = 0
            if length > self.max_http_buffer_size:
                logger.warning("socket.io: POST de %d bytes rechazado (máximo %d)", length, self.max_http_buffer_size)
                return response.text(WEBCHAT_TOO_LARGE, status=413)
        try:
            return await super().handle_request(*args, **kwargs)
        except ServerError as e:
            transport = getattr(request, "transport", None)
            protocol = transport.get_protocol() if transport is not None else None
            if getattr(protocol, "websocket", None) is not None:
                raise
            logger.warning("socket.io: conexión WebSocket rechazada (%s)", str(e).splitlines()[0])
            return response.text(WEBCHAT_BAD_WEBSOCKET, status=400)


class TolerantServer(AsyncServer):
    """python-socketio 5.9's server, with malformed packets ignored instead of raising.

    A Socket.IO packet that does not decode (``42[``), an event that is not a
    list starting with a name (``42[]``, ``42{}``, ``42[5]``), or a client
    event named like a reserved one (``connect``, ``disconnect``) raises inside
    python-socketio (a traceback in the log per packet) or calls our connect
    handler with arguments it never expects.  Each is logged on one line and
    dropped; the socket stays open.

    These classes override private methods of the pinned python-socketio
    5.9.0 and python-engineio (requirements.lock);
    tests/hardening/test_webchat_fuzz.py fails if an upgrade changes them.
    """

    def _engineio_server_class(self) -> type:
        return TolerantEngineIO

    async def _handle_eio_message(self, eio_sid: Text, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except Exception as e:  # noqa: BLE001 - a client's garbage, not our failure
            logger.warning("socket.io: paquete mal formado de %s ignorado (%s: %s)", eio_sid, type(e).__name__, e)

    async def _handle_event(self, eio_sid: Text, namespace: Optional[Text], id: Any, data: Any) -> None:
        if not (isinstance(data, list) and data and isinstance(data[0], str)) or data[0] in self.reserved_events:
            logger.warning("socket.io: evento mal formado de %s ignorado: %.80r", eio_sid, data)
            return
        await super()._handle_event(eio_sid, namespace, id, data)

    async def _handle_event_internal(
        self, server: Any, sid: Text, eio_sid: Text, data: Any, namespace: Any, id: Any
    ) -> None:
        # Run as a task of its own (async_handlers): an error here would only
        # be "Task exception was never retrieved".
        try:
            await super()._handle_event_internal(server, sid, eio_sid, data, namespace, id)
        except Exception:  # noqa: BLE001 - logged with its traceback; the socket goes on
            logger.exception("socket.io: error al atender el evento %.40r de %s", data[0], sid)
