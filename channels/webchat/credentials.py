"""The keys of credentials.yml that ``channels.webchat.WebChatInput`` reads, and what our widget needs of them.

Rasa 3.6.21's ``SocketIOInput.from_credentials`` takes any value as it comes:
``session_persistence: yes`` is the text "yes", an empty event name never
fires, a misspelt key is dropped.  :func:`check` judges the values one key at
a time; ``WebChatInput.from_credentials`` refuses the errors and logs the
warnings, and the preflight (``channels/preflight/``) reports both with the
file and line.  No Rasa import.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Collection, Dict, List, Mapping, Optional, Tuple

KEYS = (
    "user_message_evt", "bot_message_evt", "namespace", "session_persistence",
    "socketio_path", "jwt_key", "jwt_method", "metadata_key",
)
# What the widget (webchat/widget.js) hard-codes: other values are legal for
# another socket.io client, but our own widget would never get an answer.
WIDGET = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "socketio_path": "/socket.io"}
# Event names socket.io or Rasa's channel already use for something else.
RESERVED_EVENTS = ("connect", "connect_error", "disconnect", "disconnecting", "session_request", "session_confirm")
_NULLABLE_KEYS = ("namespace", "jwt_key")


@dataclass(frozen=True)
class Finding:
    key: str  # the key under channels.webchat.WebChatInput
    message: str  # Spanish
    warning: bool = False


def _describe(value: Any) -> str:
    return "vacío" if value is None else repr(value)


def _jwt_algorithms() -> List[str]:
    from jwt.algorithms import get_default_algorithms  # PyJWT comes with Rasa

    return sorted(a for a in get_default_algorithms() if a != "none")


def _text(value: Any, nullable: bool) -> Optional[str]:
    """The value when it is a usable text, else None with the reason raised as ValueError."""
    if value is None and nullable:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError("debe ser un texto")
    if not isinstance(value, str):
        raise ValueError(f"debe ser un texto, no {_describe(value)}")
    if not value.strip():
        raise ValueError("no puede estar vacío")
    return value


def _typed(key: str, value: Any, from_env: bool) -> Tuple[Any, Optional[str]]:
    """(the value, None) when it has the type the key needs, else (None, the error)."""
    if key != "session_persistence":
        try:
            return _text(value, key in _NULLABLE_KEYS), None
        except ValueError as e:
            return None, str(e)
    if isinstance(value, bool):
        return value, None
    shown = "un mapa o una lista" if isinstance(value, (dict, list)) else _describe(value)
    extra = " (una variable ${…} siempre da un texto)" if from_env else ""
    return None, f"debe ser true o false, no {shown}{extra}"


def _rule(key: str, text: Any) -> Optional[str]:
    """The error of a value of the right type, or None."""
    if not isinstance(text, str):
        return None
    if key in ("user_message_evt", "bot_message_evt") and text in RESERVED_EVENTS:
        return f"'{text}' ya es un evento de socket.io o de Rasa: elige otro nombre"
    if key == "namespace" and not text.startswith("/"):
        return f"un namespace de socket.io empieza por «/», no {text!r}"
    if key == "socketio_path" and not text.startswith("/"):
        return f"debe ser una ruta que empieza por «/», no {text!r}"
    if key == "jwt_method" and text not in _jwt_algorithms():
        return f"algoritmo JWT desconocido {text!r} (se admiten: {', '.join(_jwt_algorithms())})"
    return None


def _widget_warnings(values: Mapping[str, Any]) -> List[Finding]:
    """Legal for another socket.io client, but webchat/widget.js would not work, or forgets on reload."""
    found = [
        Finding(key, f"el widget (webchat/widget.js) usa {widget!r}: con {values[key]!r} no recibirá respuestas", True)
        for key, widget in WIDGET.items() if values.get(key) not in (None, widget)
    ]
    if values.get("namespace") not in (None, "/"):
        found.append(Finding("namespace", "el widget (webchat/widget.js) usa el namespace por defecto «/»", True))
    if values.get("jwt_key") is not None:
        found.append(Finding(
            "jwt_key", "el widget (webchat/widget.js) no envía token: con jwt_key no podrá conectarse", True))
    if "session_persistence" not in values:
        reload = "sin «session_persistence: true» recargar la página empieza otra conversación"
        found.append(Finding("session_persistence", reload, True))
    elif values.get("session_persistence") is False:
        found.append(Finding(
            "session_persistence", "con false recargar la página empieza otra conversación", True))
    return found


def check(credentials: Optional[Mapping[str, Any]], from_env: Optional[Collection[str]] = None) -> List[Finding]:
    """Every error and warning of the channel's keys, in the order of the keys.

    ``from_env``: the keys whose value came from a ``${VAR}`` (None: not known,
    as inside Rasa, which has substituted them already; then a ``jwt_key``
    written in the file is not flagged).
    """
    found: List[Finding] = []
    values: Dict[str, Any] = {}  # each known key's value, None when it is not of the type the key needs
    for key, value in (credentials or {}).items():
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.7)
            hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
            found.append(Finding(key, f"clave desconocida (SocketIOInput solo lee {', '.join(KEYS)}).{hint}"))
            continue
        values[key], error = _typed(key, value, from_env is not None and key in from_env)
        error = error or _rule(key, values[key])
        if error:
            found.append(Finding(key, error))
        elif key == "jwt_key" and value is not None and from_env is not None and key not in from_env:
            found.append(Finding(
                key, "es un secreto escrito en el archivo: tómalo del entorno (jwt_key: ${WEBCHAT_JWT_KEY})", True))
    user_event = values.get("user_message_evt", WIDGET["user_message_evt"])
    if user_event is not None and user_event == values.get("bot_message_evt", WIDGET["bot_message_evt"]):
        found.append(Finding("bot_message_evt", "no puede ser el mismo evento que user_message_evt"))
    return found + _widget_warnings(values)


def errors_message(findings: List[Finding]) -> str:
    """One Spanish line for ``rasa run`` (SettingsError) listing the errors."""
    where = "credentials.yml, channels.webchat.WebChatInput"
    return f"{where}: " + "; ".join(f"{f.key}: {f.message}" for f in findings if not f.warning)
