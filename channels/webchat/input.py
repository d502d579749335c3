"""``channels.webchat.WebChatInput``: the blueprint under /webchat (files, history, socket.io)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import messages
from channels.webchat import events
from channels.webchat.credentials import check as credential_findings
from channels.webchat.credentials import errors_message
from channels.webchat.history import history_messages
from channels.webchat.origins import origin_allowed
from channels.webchat.servers import TolerantServer
from settings.channels import WebchatSettings
from settings.errors import SettingsError

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "webchat"
SOCKETIO_CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

# Route name -> (URL path under /webchat, file, content type).
FILES: Dict[Text, Tuple[Text, Path, Text]] = {
    "demo": ("/", STATIC_DIR / "index.html", "text/html; charset=utf-8"),
    "widget_js": ("/widget.js", STATIC_DIR / "widget.js", "application/javascript; charset=utf-8"),
    "widget_css": ("/widget.css", STATIC_DIR / "widget.css", "text/css; charset=utf-8"),
    "socketio_client": ("/socket.io.min.js", SOCKETIO_CLIENT, "application/javascript; charset=utf-8"),
}


def _file_handler(path: Path, content_type: Text) -> Callable[[Request], Awaitable[HTTPResponse]]:
    async def handler(_: Request) -> HTTPResponse:
        if not path.is_file():
            hint = messages.WEBCHAT_RUN_NPM if path == SOCKETIO_CLIENT else messages.WEBCHAT_NO_FILE
            return response.text(messages.WEBCHAT_FILE_MISSING.format(hint=hint), status=503)
        return await response.file(path, mime_type=content_type, headers={"Cache-Control": "no-cache"})

    return handler


class WebChatInput(SocketIOInput):
    """Rasa's socket.io channel with an origin check, static files and history."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> SocketIOInput:
        """Rasa's reading of the keys, after our check of them (channels/webchat/credentials.py)."""
        findings = credential_findings(credentials)
        for finding in findings:
            if finding.warning:
                logger.warning(f"credentials.yml: channels.webchat.WebChatInput.{finding.key}: {finding.message}")
        if any(not f.warning for f in findings):
            raise SettingsError(errors_message(findings))
        return super().from_credentials(credentials)

    def url_prefix(self) -> Text:
        # Rasa mounts channels at urljoin("/webhooks/", url_prefix()); an
        # absolute path replaces the "/webhooks/" part: /webchat/...
        return "/webchat"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Origins, message length and reply timeout (a bad value stops start-up).
        webchat = WebchatSettings.from_env()
        self.origin_patterns = webchat.origin_patterns
        self.settings = webchat.channel
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

    async def history(self, request: Request, session_id: Text) -> HTTPResponse:
        if not events.SESSION_ID.match(session_id):
            return self._cors(request, response.json({"error": messages.WEBCHAT_BAD_SESSION_ID}, status=400))
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return self._cors(request, response.json({"error": messages.WEBCHAT_NOT_READY}, status=503))
        tracker = await agent.tracker_store.retrieve(session_id)
        messages_ = history_messages(tracker.events) if tracker else []
        resp = response.json({"session_id": session_id, "messages": messages_}, headers={"Cache-Control": "no-store"})
        return self._cors(request, resp)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = TolerantServer(async_mode="sanic", cors_allowed_origins=self.allows)
        bp = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)
        self.sio = sio  # get_output_channel() needs it
        for name, (uri, path, content_type) in FILES.items():
            bp.add_route(_file_handler(path, content_type), uri, methods=["GET"], name=name)

        async def history(request: Request, session_id: Text) -> HTTPResponse:  # Sanic needs a function
            return await self.history(request, session_id)

        bp.add_route(history, "/history/<session_id>", methods=["GET"], name="history")
        events.register(self, sio, on_new_message)
        return bp
