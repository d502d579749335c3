"""The web chat widget's channel: Rasa's socket.io channel, locked to our origins.

Referenced from credentials.yml as ``channels.webchat.WebChatInput``.  It fixes
three things of Rasa 3.6.21's ``SocketIOInput`` for a widget pasted into a web
page:

* **Origin check.**  Rasa builds its ``AsyncServer`` with
  ``cors_allowed_origins=[]``, which turns Engine.IO's origin check off: any
  web page on the internet can open a socket.  Here a browser's socket (polling
  or WebSocket) is accepted only from the bot's own origin or from an origin
  listed in ``WEBCHAT_ALLOWED_ORIGINS`` (comma list; ``scheme://host:*``
  accepts any port).  Unset, the list is ``http://localhost:*`` and
  ``http://127.0.0.1:*``; set it empty to allow the bot's own origin only.
  Clients that send no ``Origin`` header (not browsers) are not affected.
* **Session ids.**  A ``session_request`` whose session id is not 32 lowercase
  hex digits (what Rasa generates, ``uuid4().hex``) gets a new one, and a
  socket leaves the room of its previous session when it asks for another one
  (the widget's "Nueva conversación").
* **Bad input never raises.**  Rasa's handlers take exactly one argument,
  trust its shape and pass ``str(message)`` on (``None`` became the question
  "None"), so a malformed event was a traceback and silence, or a wrong turn.
  Here (docs/webchat.md, "Datos mal formados"):

  - a ``user_uttered`` that cannot be a message (data that is not one JSON
    object, no valid ``session_id``, a session this socket did not ask for with
    ``session_request``, a ``message`` that is not text) is answered on that
    socket only with ``bot_uttered`` ``{"text": <Spanish error>, "metadata":
    {"error": <reason>, "rateable": false}}`` (:data:`ERRORS`); nothing reaches
    Rasa or the tracker store;
  - a text message is always answered: control characters are removed, lone
    surrogates become U+FFFD (spaCy raises on them), a message over
    ``CHANNEL_MAX_MESSAGE_CHARS`` is cut so the input guard answers it;
    ``metadata`` that is not a JSON object is dropped;
  - a ``session_request`` with any data gets a session (a new one unless it
    asked for a valid id);
  - unknown events, and Socket.IO packets that do not decode or are not
    ``[name, ...]`` (:class:`TolerantServer`), are ignored with one log line.
    Malformed Engine.IO requests get python-engineio's own 400 (or its 200
    for a garbage POST body), and a broken WebSocket handshake a 400
    (:class:`TolerantEngineIO`; Sanic answered 500), and a WebSocket frame
    that is no Engine.IO packet closes that socket (python-engineio let the
    error escape and Sanic wrote a 500 into the open WebSocket).
* **Same-origin files and history.**  The blueprint is mounted at ``/webchat``
  (not ``/webhooks/webchat``) and serves the demo page, the widget, its CSS,
  the socket.io client from ``node_modules`` (``npm ci``) and a read-only
  ``/webchat/history/<session id>`` with the text of the conversation's
  current session, so the widget shows it again after a page reload without
  opening Rasa's HTTP API.

Every ``bot_uttered`` keeps Rasa's own shape at the top level (``text``,
``quick_replies``, ``attachment``...: :data:`channels.common.RASA_MESSAGE_KEYS`);
what we add (``rateable``, ``error``) travels in its ``metadata``, so other
socket.io clients such as rasa-webchat draw our messages (docs/webchat.md).
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple
from urllib.parse import urlsplit

import engineio
import engineio.packet
import rasa.core.channels.channel
from engineio.async_drivers.sanic import WebSocket as SanicWebSocket
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.exceptions import ServerError
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from actions.constants import is_rateable_response
from channels.common import AnswerAwareOutput, ChannelSettings, handle_with_fallback, limit_message_text, readable_text, with_metadata

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
STATIC_DIR = ROOT / "webchat"
SOCKETIO_CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

ALLOWED_ORIGINS_ENV = "WEBCHAT_ALLOWED_ORIGINS"
DEFAULT_ALLOWED_ORIGINS = "http://localhost:*,http://127.0.0.1:*"
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")

# Route name -> (URL path under /webchat, file, content type).
FILES: Dict[Text, Tuple[Text, Path, Text]] = {
    "demo": ("/", STATIC_DIR / "index.html", "text/html; charset=utf-8"),
    "widget_js": ("/widget.js", STATIC_DIR / "widget.js", "application/javascript; charset=utf-8"),
    "widget_css": ("/widget.css", STATIC_DIR / "widget.css", "text/css; charset=utf-8"),
    "socketio_client": ("/socket.io.min.js", SOCKETIO_CLIENT, "application/javascript; charset=utf-8"),
}


# --- origins ---------------------------------------------------------------------
def parse_origin_patterns(value: Optional[Text]) -> List[Tuple[Text, Text, Optional[Text]]]:
    """``"https://a.pe, http://localhost:*"`` -> [(scheme, host, port or "*" or None)].

    ``None`` (variable unset) gives the local defaults.  A malformed entry
    raises ``ValueError`` naming it, so a typo stops start-up instead of
    silently locking the widget out.
    """
    if value is None:
        value = DEFAULT_ALLOWED_ORIGINS
    patterns = []
    for raw in (v.strip() for v in value.split(",")):
        if not raw:
            continue
        m = re.fullmatch(r"(https?)://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}|\*))?", raw)
        if not m:
            raise ValueError(
                f"{ALLOWED_ORIGINS_ENV}: origen inválido {raw!r} "
                "(se espera esquema://host o esquema://host:puerto o esquema://host:*)"
            )
        patterns.append((m.group(1), m.group(2).lower(), m.group(3)))
    return patterns


def origin_allowed(origin: Optional[Text], host: Optional[Text], patterns) -> bool:
    """Whether a browser page at ``origin`` may talk to the bot reached as ``host``.

    No Origin header: not a browser's cross-origin request, allowed.  The bot's
    own origin (the Origin's host:port is the Host header) is always allowed.
    """
    if not origin:
        return True
    try:
        parts = urlsplit(origin)
        scheme, hostname, port = parts.scheme, (parts.hostname or ""), parts.port
    except ValueError:
        return False
    if scheme not in ("http", "https") or not hostname or parts.path or parts.query:
        return False
    if host and parts.netloc.lower() == host.lower():
        return True
    for p_scheme, p_host, p_port in patterns:
        if scheme != p_scheme or hostname != p_host.strip("[]"):
            continue
        if p_port == "*" or (p_port is None and port is None) or (p_port and port == int(p_port)):
            return True
    return False


# --- history -------------------------------------------------------------------------
def history_messages(events) -> List[Dict[Text, Any]]:
    """The user's and the bot's texts of a tracker's events, as the widget shows them.

    A bot text is split on blank lines like ``SocketIOOutput`` does, buttons go
    with its last part, and a user message that is the payload of a button the
    bot had just offered shows that button's title ("/ask_sectors" ->
    "Sectores más activos").  A bot message carries ``metadata.rateable`` as
    the live ones do (:class:`WebChatOutput`).
    """
    messages: List[Dict[Text, Any]] = []
    offered: Dict[Text, Text] = {}
    for event in events:
        if isinstance(event, UserUttered):
            text = event.text or ""
            if not text.strip():
                continue
            messages.append({"sender": "user", "text": offered.get(text, text)})
            offered = {}
        elif isinstance(event, BotUttered):
            buttons = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in (event.data or {}).get("buttons") or []
                if isinstance(b, dict)
            ]
            offered = {b["payload"]: b["title"] for b in buttons}
            parts = [p for p in (event.text or "").strip().split("\n\n") if p] or ([""] if buttons else [])
            rateable = is_rateable_response((event.metadata or {}).get("utter_action"))
            for i, part in enumerate(parts):
                message: Dict[Text, Any] = {"sender": "bot", "text": part, "metadata": {"rateable": rateable}}
                if buttons and i == len(parts) - 1:
                    message["buttons"] = buttons
                messages.append(message)
    return messages


class WebChatOutput(AnswerAwareOutput, SocketIOOutput):
    """Rasa's socket.io output, plus ``metadata.rateable`` on every message it
    emits: the widget shows 👍/👎 only under an answer about the programme
    (docs/ratings.md; false for small talk, clarifications, bad-input replies
    and the channel's own notices).  In ``metadata``, not beside ``text``:
    rasa-webchat draws nothing that has other keys at the top level."""

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if isinstance(response, dict):
            response = with_metadata(response, rateable=self._answering)
        await super()._send_message(socket_id, response)


# --- socket.io input -------------------------------------------------------------------
# What a socket reads (event bot_uttered, {"text": ..., "metadata": {"error":
# reason, "rateable": false}}) when its `user_uttered` cannot be a message.
# Nothing of it reaches Rasa.
ERRORS: Dict[Text, Text] = {
    "invalid_data": (
        "No pude leer tu mensaje: el chat envió datos con un formato inesperado. "
        "Recarga la página y vuelve a escribir tu pregunta."
    ),
    "invalid_session": (
        "No pude leer tu mensaje: falta el identificador de la conversación o no es válido. "
        "Recarga la página para empezar de nuevo."
    ),
    "unknown_session": (
        "Esta conversación no está abierta en este chat. "
        "Recarga la página para continuar la conversación."
    ),
    "invalid_message": "No pude leer tu mensaje: debe ser un texto. Escríbeme tu pregunta, por ejemplo: «¿Qué sectores participaron?»",
}


def message_metadata(value: Any) -> Dict[Text, Any]:
    """A message's metadata: a JSON object (or its JSON text); anything else is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return {}
    return value if isinstance(value, dict) else {}


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
                return response.text("Mensaje demasiado grande.", status=413)
        try:
            return await super().handle_request(*args, **kwargs)
        except ServerError as e:
            transport = getattr(request, "transport", None)
            protocol = transport.get_protocol() if transport is not None else None
            if getattr(protocol, "websocket", None) is not None:
                raise
            logger.warning("socket.io: conexión WebSocket rechazada (%s)", str(e).splitlines()[0])
            return response.text("Solicitud de WebSocket no válida.", status=400)


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

    async def _handle_event_internal(self, server: Any, sid: Text, eio_sid: Text, data: Any, namespace: Any, id: Any) -> None:
        # Run as a task of its own (async_handlers): an error here would only
        # be "Task exception was never retrieved".
        try:
            await super()._handle_event_internal(server, sid, eio_sid, data, namespace, id)
        except Exception:  # noqa: BLE001 - logged with its traceback; the socket goes on
            logger.exception("socket.io: error al atender el evento %.40r de %s", data[0], sid)


class WebChatInput(SocketIOInput):
    """Rasa's socket.io channel with an origin check, static files and history."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def url_prefix(self) -> Text:
        # Rasa mounts channels at urljoin("/webhooks/", url_prefix()); an
        # absolute path replaces the "/webhooks/" part: /webchat/...
        return "/webchat"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origin_patterns = parse_origin_patterns(os.environ.get(ALLOWED_ORIGINS_ENV))
        # Message length and reply timeout shared with the other channels (a bad value stops start-up).
        self.settings = ChannelSettings.from_env()
        if not SOCKETIO_CLIENT.is_file():
            logger.warning(f"Falta {SOCKETIO_CLIENT}: ejecuta `npm ci` (el widget no podrá conectarse).")

    def allows(self, origin: Optional[Text], environ: Dict[Text, Any]) -> bool:
        """Engine.IO's ``cors_allowed_origins`` callable (polling and WebSocket)."""
        allowed = origin_allowed(origin, environ.get("HTTP_HOST"), self.origin_patterns)
        if not allowed:
            logger.debug(f"Socket rechazado: origen no permitido {origin!r}")
        return allowed

    def _cors(self, request: Request, resp: HTTPResponse) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin and origin_allowed(origin, request.headers.get("host"), self.origin_patterns):
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Vary"] = "Origin"
        return resp

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = TolerantServer(async_mode="sanic", cors_allowed_origins=self.allows)
        bp = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)
        self.sio = sio  # get_output_channel() needs it

        # --- files and history ---------------------------------------------------
        def serve(path: Path, content_type: Text):
            async def handler(_: Request) -> HTTPResponse:
                if not path.is_file():
                    hint = "ejecuta `npm ci`" if path == SOCKETIO_CLIENT else "falta el archivo"
                    return response.text(f"No disponible: {hint}.", status=503)
                return await response.file(path, mime_type=content_type, headers={"Cache-Control": "no-cache"})

            return handler

        for name, (uri, path, content_type) in FILES.items():
            bp.add_route(serve(path, content_type), uri, methods=["GET"], name=name)

        @bp.route("/history/<session_id>", methods=["GET"])
        async def history(request: Request, session_id: Text) -> HTTPResponse:
            if not SESSION_ID.match(session_id):
                return self._cors(request, response.json({"error": "session_id inválido"}, status=400))
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or agent.tracker_store is None:
                return self._cors(request, response.json({"error": "el asistente no está listo"}, status=503))
            tracker = await agent.tracker_store.retrieve(session_id)
            messages = history_messages(tracker.events) if tracker else []
            resp = response.json({"session_id": session_id, "messages": messages}, headers={"Cache-Control": "no-store"})
            return self._cors(request, resp)

        # --- socket.io events (as Rasa's, plus the checks of the module docstring) ---
        # Handlers take *args: python-socketio calls them with whatever number of
        # arguments the client sent, and a TypeError there would be a traceback.
        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, *args: Any) -> bool:
            if not self.jwt_key:
                return True
            auth = args[1] if len(args) > 1 else None
            token = auth.get("token") if isinstance(auth, dict) else None
            if not isinstance(token, str) or not token:
                return False
            try:
                payload = rasa.core.channels.channel.decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            except Exception:  # noqa: BLE001 - a malformed token is a refused connection, not a traceback
                return False
            return bool(payload)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, *args: Any) -> None:
            data = args[0] if len(args) == 1 else None
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.match(requested) else uuid.uuid4().hex
            if self.session_persistence:
                for room in sio.rooms(sid, namespace=self.namespace):
                    if room != sid:
                        sio.leave_room(sid, room, namespace=self.namespace)
                sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def refuse(sid: Text, reason: Text) -> None:
            """The Spanish error of a `user_uttered` that cannot be a message, to that socket only."""
            logger.info("socket.io: mensaje rechazado de %s (%s)", sid, reason)
            message = with_metadata({"text": ERRORS[reason]}, error=reason, rateable=False)
            await sio.emit(self.bot_message_evt, message, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, *args: Any) -> None:
            if len(args) != 1 or not isinstance(args[0], dict):
                return await refuse(sid, "invalid_data")
            data = args[0]
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not (isinstance(sender_id, str) and SESSION_ID.match(sender_id)):
                    return await refuse(sid, "invalid_session")
                # Only a session this socket asked for: the reply goes to that
                # session's room, so for any other one the sender would get silence.
                if sender_id not in sio.rooms(sid, namespace=self.namespace):
                    return await refuse(sid, "unknown_session")
            else:
                sender_id = sid
            raw_text = data.get("message")
            if not isinstance(raw_text, str):
                return await refuse(sid, "invalid_message")
            text, _ = limit_message_text(readable_text(raw_text), self.settings.max_message_chars)
            message = UserMessage(
                text,
                WebChatOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=message_metadata(data.get(self.metadata_key)),
            )
            # Never silence: a failed or slow turn gets the Spanish notice.
            await handle_with_fallback(on_new_message, message, timeout=self.settings.reply_timeout)

        return bp
