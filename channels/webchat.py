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
* **Same-origin files and history.**  The blueprint is mounted at ``/webchat``
  (not ``/webhooks/webchat``) and serves the demo page, the widget, its CSS,
  the socket.io client from ``node_modules`` (``npm ci``) and a read-only
  ``/webchat/history/<session id>`` with the text of the conversation's
  current session, so the widget shows it again after a page reload without
  opening Rasa's HTTP API.
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

import rasa.core.channels.channel
import rasa.shared.utils.io
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.common import ChannelSettings, handle_with_fallback, limit_message_text

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
    "Sectores más activos").
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
            for i, part in enumerate(parts):
                message: Dict[Text, Any] = {"sender": "bot", "text": part}
                if buttons and i == len(parts) - 1:
                    message["buttons"] = buttons
                messages.append(message)
    return messages


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
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allows)
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

        # --- socket.io events (as Rasa's, plus the session id checks) -------------
        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            payload = token and rasa.core.channels.channel.decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            return bool(payload)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.match(requested) else uuid.uuid4().hex
            if self.session_persistence:
                for room in sio.rooms(sid, namespace=self.namespace):
                    if room != sid:
                        sio.leave_room(sid, room, namespace=self.namespace)
                sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not (isinstance(sender_id, str) and SESSION_ID.match(sender_id)):
                    rasa.shared.utils.io.raise_warning(
                        "Mensaje de socket.io sin session_id válido: ignorado "
                        "(el cliente debe enviar antes `session_request`)."
                    )
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            text, _ = limit_message_text(str(data.get("message", "")), self.settings.max_message_chars)
            message = UserMessage(
                text,
                SocketIOOutput(sio, self.bot_message_evt),
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            # Never silence: a failed or slow turn gets the Spanish notice.
            await handle_with_fallback(on_new_message, message, timeout=self.settings.reply_timeout)

        return bp
