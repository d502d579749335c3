"""The parsers of variables whose rules are their own: origins, Telegram's formats, switches.

Each takes the value without surrounding blanks and returns what the code
uses, or raises :class:`~settings.errors.SettingsError` with a Spanish message
that names the variable.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from settings.errors import SettingsError

# --- on/off -----------------------------------------------------------------------------------
_ON = ("1", "true", "yes", "si", "sí", "on")
_OFF = ("0", "false", "no", "off")


def switch(value: Optional[str], default: bool = True) -> Optional[bool]:
    """An on/off value; ``default`` when unset or empty, None when unreadable."""
    value = (value or "").strip().lower()
    if not value:
        return default
    if value in _ON:
        return True
    if value in _OFF:
        return False
    return None


def telegram_ratings(raw: str) -> bool:
    value = switch(raw)
    if value is None:
        raise SettingsError(f"TELEGRAM_RATINGS={raw!r} no es válido: usa 1 (valoraciones 👍/👎) o 0 (sin ellas).")
    return value


# --- sessions ---------------------------------------------------------------------------------
MAX_SESSION_MAX_TURNS = 10_000


def session_max_turns(raw: str) -> int:
    if not raw.isdigit() or int(raw) > MAX_SESSION_MAX_TURNS:
        raise SettingsError(
            f"SESSION_MAX_TURNS={raw!r} no es válido: debe ser un número entero entre 0 "
            f"(sin límite) y {MAX_SESSION_MAX_TURNS} (mensajes del usuario por sesión; por defecto 20)."
        )
    return int(raw)


# --- web origins ------------------------------------------------------------------------------
DEFAULT_WEBCHAT_ORIGINS = "http://localhost:*,http://127.0.0.1:*"
_WEBCHAT_ORIGIN = re.compile(r"(https?)://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}|\*))?")

OriginPattern = Tuple[str, str, Optional[str]]


def webchat_origins(value: Optional[str]) -> List[OriginPattern]:
    """``"https://a.pe, http://localhost:*"`` -> [(scheme, host, port or "*" or None)].

    ``None`` (variable unset) gives the local defaults; empty gives none (the
    bot's own origin only).  A malformed entry stops start-up instead of
    silently locking the widget out.
    """
    if value is None:
        value = DEFAULT_WEBCHAT_ORIGINS
    patterns = []
    for raw in (v.strip() for v in value.split(",")):
        if not raw:
            continue
        m = _WEBCHAT_ORIGIN.fullmatch(raw)
        if not m:
            raise SettingsError(
                f"WEBCHAT_ALLOWED_ORIGINS: origen inválido {raw!r} "
                "(se espera esquema://host o esquema://host:puerto o esquema://host:*)"
            )
        patterns.append((m.group(1), m.group(2).lower(), m.group(3)))
    return patterns


_CORS_ORIGIN = re.compile(r"(https?)://([a-z0-9](?:[a-z0-9.\-]*[a-z0-9])?)(?::(\d{1,5}))?")
DEFAULT_PORTS = {"http": 80, "https": 443}


def cors_origin(raw: str) -> str:
    """One origin of CORS_ORIGINS, exactly as a browser sends it in ``Origin`` (see :func:`cors_origins`)."""
    m = _CORS_ORIGIN.fullmatch(raw)
    if not m:
        hint = "esquema://host o esquema://host:puerto, sin ruta ni «/» final"
        if any(c in raw for c in "*?\\[]"):
            hint = ("sin comodines ni IPv6 entre corchetes: sanic_cors los toma como expresión regular "
                    "y aceptaría otros orígenes")
        elif raw.lower() != raw and _CORS_ORIGIN.fullmatch(raw.lower()):
            hint = f"en minúsculas: {raw.lower()}"
        raise SettingsError(f"CORS_ORIGINS: origen inválido {raw!r} (se espera {hint}).")
    scheme, host, port = m.group(1), m.group(2), m.group(3)
    if port is not None:
        number = int(port)
        if not 1 <= number <= 65535:
            raise SettingsError(f"CORS_ORIGINS: origen inválido {raw!r} (el puerto {number} no existe).")
        if number == DEFAULT_PORTS[scheme]:
            raise SettingsError(
                f"CORS_ORIGINS: origen inválido {raw!r}: el navegador no envía el puerto {number} "
                f"con {scheme}://, escribe {scheme}://{host}."
            )
    return raw


def cors_entries(value: Optional[str]) -> List[str]:
    return [e for e in re.split(r"[\s,]+", (value or "").strip()) if e]


def cors_origins(value: Optional[str]) -> List[str]:
    """``CORS_ORIGINS`` (commas and/or spaces) -> the origins to pass to ``rasa run --cors``.

    Unset or empty: ``[]``, no CORS headers at all (the widget is served from
    the bot's own origin and needs none).  Each origin must be exactly what a
    browser sends in ``Origin``: ``scheme://host`` or ``scheme://host:port``,
    lower case, no path, no default port.  That is because sanic_cors (what
    ``--cors`` configures) compares a plain origin with the header as an
    exact, case-insensitive string, so ``https://a.pe/`` or ``https://a.pe:443``
    would never match; and it treats any origin containing ``*``, ``?``,
    ``\\`` or ``]`` as a regular expression matched at the *start* of the
    header only, so ``https://*.a.pe`` or ``http://[::1]:8080`` would match
    the wrong origins: they are refused.  ``*`` alone (every origin; see the
    risk in docs/hardening.md) is accepted.
    """
    entries = cors_entries(value)
    if "*" in entries:
        if len(entries) > 1:
            raise SettingsError(
                f"CORS_ORIGINS: «*» ya permite todos los orígenes; no lo combines con otros ({value.strip()!r})."
            )
        return ["*"]
    origins: List[str] = []
    for raw in entries:
        if cors_origin(raw) not in origins:
            origins.append(raw)
    return origins


# --- Telegram (Bot API rules: setWebhook and getUpdates) ------------------------------------
TELEGRAM_API_URL = "https://api.telegram.org"
TELEGRAM_MODES = ("webhook", "polling")
MAX_POLL_TIMEOUT = 50
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_BOT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def telegram_token(raw: str) -> str:
    if not _TOKEN.match(raw):
        raise SettingsError(
            "TELEGRAM_TOKEN no tiene el formato de un token de bot (<número>:<clave>, como lo da @BotFather)."
        )
    return raw


def telegram_mode(raw: str) -> str:
    mode = raw.lower()
    if mode not in TELEGRAM_MODES:
        raise SettingsError(f"TELEGRAM_MODE debe ser «webhook» o «polling», no «{raw}».")
    return mode


def telegram_secret(raw: str) -> str:
    if not _SECRET.match(raw):
        raise SettingsError("TELEGRAM_SECRET_TOKEN solo admite letras, números, «_» y «-», de 1 a 256 caracteres.")
    return raw


def telegram_bot_name(raw: str) -> str:
    name = raw.lstrip("@")
    if not _BOT_NAME.match(name):
        raise SettingsError(f"TELEGRAM_BOT_NAME «{name}» no es un nombre de usuario de Telegram válido.")
    return name


def telegram_api_url(raw: str) -> str:
    url = raw.rstrip("/")
    if not re.match(r"^https?://[^/\s]+", url):
        raise SettingsError(f"TELEGRAM_API_URL «{url}» no es una URL http(s).")
    return url


def telegram_poll_timeout(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_POLL_TIMEOUT:
        raise SettingsError(f"TELEGRAM_POLL_TIMEOUT debe ser un número de segundos entre 0 y {MAX_POLL_TIMEOUT}.")
    return value
