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
    {"error": <reason>, "rateable": false}}`` (channels/messages.py); nothing reaches
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
``quick_replies``, ``attachment``...: :data:`channels.output.RASA_MESSAGE_KEYS`);
what we add (``rateable``, ``error``) travels in its ``metadata``, so other
socket.io clients such as rasa-webchat draw our messages (docs/webchat.md).

One module per concern: ``input.py`` (the channel and its blueprint),
``credentials.py`` (its keys in credentials.yml, also judged by the
preflight), ``events.py`` (the socket.io handlers), ``servers.py``
(python-socketio and python-engineio made tolerant of garbage),
``origins.py``, ``history.py``, ``output.py``.  The class is imported on first use (``channels.webchat.WebChatInput``).
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "WebChatInput":
        from channels.webchat.input import WebChatInput

        return WebChatInput
    raise AttributeError(f"module 'channels.webchat' has no attribute {name!r}")
