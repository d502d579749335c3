"""Every environment variable the assistant reads: one row each, with its default, parser and Spanish help.

One rule for every row: a variable that is unset or holds only blanks takes its
default (:func:`raw_value`); the one exception, ``WEBCHAT_ALLOWED_ORIGINS``,
says so in its row (``blank_is_default=False``: set empty, it allows the bot's
own origin only).  A value a parser cannot use raises :class:`SettingsError`
naming the variable; it is a ``RasaException``, so ``rasa run`` prints the
message and exits with 1 instead of starting.

The rows are grouped by who reads them (``group``); ``alone`` says whether a
value can be judged on its own (the preflight checks those one by one) or only
with its group (Telegram's mode, the stores' URLs with endpoints.yml).  The
README's table of variables is printed from these rows (``python -m settings.doc``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE
from settings import parsers
from settings.errors import SettingsError

Parser = Callable[[str, str], Any]


def raw_value(environ: Mapping[str, str], name: str) -> Optional[str]:
    """The variable's value without surrounding blanks; None when unset or blank (the default applies)."""
    value = environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


@dataclass(frozen=True)
class Var:
    name: str
    default: Any
    parse: Parser  # (name, value without surrounding blanks) -> value; raises SettingsError
    help: str  # one line, in Spanish
    group: str
    shown_default: Optional[str] = None  # the default as the README shows it
    alone: bool = True  # False: judged with its group (see the module docstring)
    blank_is_default: bool = True

    def read(self, environ: Optional[Mapping[str, str]] = None) -> Any:
        env = os.environ if environ is None else environ
        raw = raw_value(env, self.name)
        if raw is None:
            if not self.blank_is_default and self.name in env:
                return self.parse(self.name, "")
            return self.default
        return self.parse(self.name, raw)


# --- generic parsers --------------------------------------------------------------------------
def _range(name: str, raw: str, value: float, minimum: Optional[float], maximum: Optional[float]) -> None:
    if minimum is not None and value < minimum:
        raise SettingsError(f"{name}={raw!r} no es válido: el mínimo es {minimum:g}.")
    if maximum is not None and value > maximum:
        raise SettingsError(f"{name}={raw!r} no es válido: el máximo es {maximum:g}.")


def integer(minimum: Optional[int] = None, maximum: Optional[int] = None) -> Parser:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw, 10)
        except ValueError:
            raise SettingsError(f"{name}={raw!r} no es válido: debe ser un número entero.") from None
        _range(name, raw, value, minimum, maximum)
        return value

    return parse


def number(minimum: Optional[float] = None, maximum: Optional[float] = None, *, above: bool = False) -> Parser:
    """A finite number in [minimum, maximum] (``above``: strictly greater than ``minimum``)."""

    def parse(name: str, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name}={raw!r} no es válido: debe ser un número (p. ej. 15 o 2.5).") from None
        if not math.isfinite(value):
            raise SettingsError(f"{name}={raw!r} no es válido: debe ser un número finito.")
        if above and minimum is not None and value <= minimum:
            raise SettingsError(f"{name}={raw!r} no es válido: debe ser mayor que {minimum:g}.")
        _range(name, raw, value, None if above else minimum, maximum)
        return value

    return parse


def text(_name: str, raw: str) -> str:
    return raw


def checked(check: Callable[[str], Any]) -> Parser:
    """A parser from a check of :mod:`settings.parsers`, which names its own variable."""
    return lambda _name, raw: check(raw)


PORT = integer(1, 65535)

# --- the table ----------------------------------------------------------------------------------
CHANNELS, REST, WEBCHAT, TELEGRAM, STORES, SESSIONS, KNOWLEDGE, SCRIPTS, MAKE = (
    "canales", "REST", "widget", "Telegram", "almacenes", "sesiones", "conocimiento", "scripts", "make",
)

VARIABLES: Tuple[Var, ...] = (
    # Every channel.  600: the NLU input guard's limit (config.yml, tests/hardening/test_limits.py).
    Var("CHANNEL_MAX_MESSAGE_CHARS", 600, integer(1, 100_000),
        "mensaje más largo que se pasa tal cual; uno más largo se corta y el asistente pide acortarlo", CHANNELS),
    Var("CHANNEL_REPLY_TIMEOUT", 15.0, number(0, 3600, above=True),
        "segundos hasta avisar «No puedo consultar los datos en este momento»; el turno termina y se guarda igual",
        CHANNELS, "15"),
    # REST.
    Var("REST_MAX_BODY_BYTES", 64 * 1024, integer(1024, 10 * 1024 * 1024),
        "cuerpo más grande de una petición REST (más grande: 413)", REST, "65536"),
    Var("REST_RATE_LIMIT", 20, integer(0, 100_000),
        "mensajes REST por remitente en cada ventana, por proceso (más: 429; 0: sin límite)", REST),
    Var("REST_RATE_WINDOW", 60.0, number(0, 86_400, above=True),
        "la ventana de REST_RATE_LIMIT, en segundos", REST, "60"),
    # The web widget.
    Var("WEBCHAT_ALLOWED_ORIGINS", parsers.webchat_origins(None), checked(parsers.webchat_origins),
        "orígenes web que pueden abrir el socket del widget, separados por comas (vacío: solo el del bot)",
        WEBCHAT, parsers.DEFAULT_WEBCHAT_ORIGINS, blank_is_default=False),
    # Telegram (settings/telegram.py judges them together: mode, URL and secret depend on each other).
    Var("TELEGRAM_TOKEN", None, checked(parsers.telegram_token),
        "token del bot (de @BotFather); sin él Telegram está desactivado", TELEGRAM, "", alone=False),
    Var("TELEGRAM_MODE", None, checked(parsers.telegram_mode),
        "«polling» o «webhook»", TELEGRAM, "webhook con TELEGRAM_WEBHOOK_URL, si no polling", alone=False),
    Var("TELEGRAM_WEBHOOK_URL", None, text,
        "URL pública HTTPS que termina en /webhooks/telegram/webhook (modo webhook)", TELEGRAM, "", alone=False),
    Var("TELEGRAM_SECRET_TOKEN", None, checked(parsers.telegram_secret),
        "secreto que Telegram envía en cada webhook (obligatorio en modo webhook)", TELEGRAM, "", alone=False),
    Var("TELEGRAM_BOT_NAME", None, checked(parsers.telegram_bot_name),
        "nombre de usuario del bot, para reconocer menciones en grupos antes de getMe", TELEGRAM, "", alone=False),
    Var("TELEGRAM_API_URL", parsers.TELEGRAM_API_URL, checked(parsers.telegram_api_url),
        "dirección de la Bot API (un servidor propio, o uno falso en las pruebas)", TELEGRAM, alone=False),
    Var("TELEGRAM_POLL_TIMEOUT", 25, checked(parsers.telegram_poll_timeout),
        "segundos que espera cada getUpdates (0 a 50)", TELEGRAM, alone=False),
    Var("TELEGRAM_STATE_DIR", ".", text,
        "carpeta del archivo telegram.db (offset del sondeo y botones largos)", TELEGRAM, alone=False),
    Var("TELEGRAM_RATINGS", True, checked(parsers.telegram_ratings),
        "1: botones 👍/👎 bajo cada respuesta; 0: sin ellos", TELEGRAM, "1"),
    # Stores (settings/stores.py: the variable first, then endpoints.yml's url / key_prefix).
    Var("TRACKER_STORE_URL", "sqlite:///tracker.db", text,
        "dónde se guardan las conversaciones: sqlite:///archivo.db o postgresql://usuario:clave@host:5432/base",
        STORES, alone=False),
    Var("LOCK_STORE_URL", None, text,
        "candado por conversación: vacío, en memoria (un proceso); redis://host:6379/1 para varias réplicas",
        STORES, "en memoria", alone=False),
    Var("LOCK_STORE_KEY_PREFIX", "alinvest", text,
        "prefijo de las claves del candado en Redis (solo letras y dígitos)", STORES, alone=False),
    Var("SANIC_WORKERS", None, text,
        "procesos de un `rasa run` (de Rasa); más de 1 necesita LOCK_STORE_URL", STORES, "1", alone=False),
    Var("SESSION_MAX_TURNS", 20, checked(parsers.session_max_turns),
        "mensajes del usuario tras los que empieza otra sesión, con los slots (0: solo los 60 min de Rasa)",
        SESSIONS),
    Var("ALINVEST_KNOWLEDGE_FILE", DEFAULT_KNOWLEDGE_FILE, text,
        "otro archivo de conocimiento para el servidor de acciones", KNOWLEDGE, "knowledge/al_invest_5.yml"),
    # scripts/serve.sh and scripts/chat.sh.
    Var("BOT_HOST", "127.0.0.1", text, "interfaz de `rasa run` (0.0.0.0 para publicarlo)", SCRIPTS, alone=False),
    Var("BOT_PORT", 5005, PORT, "puerto de `rasa run`: widget, socket.io, REST", SCRIPTS),
    Var("ACTION_PORT", 5055, PORT, "puerto del servidor de acciones (siempre en 127.0.0.1)", SCRIPTS),
    Var("CREDENTIALS", "credentials.yml", text,
        "archivo de canales de `make serve` / `make chat` (se comprueba antes de arrancar)", SCRIPTS, alone=False),
    Var("ENDPOINTS", "endpoints.yml", text,
        "archivo de endpoints (se comprueba antes de arrancar; el de `make chat` debe usar ACTION_PORT)",
        SCRIPTS, alone=False),
    Var("RASA_API_TOKEN", None, text, "abre la API HTTP de Rasa con este token; sin él queda cerrada", SCRIPTS,
        "", alone=False),
    Var("CORS_ORIGINS", [], checked(parsers.cors_origins),
        "otros orígenes cuyas páginas pueden llamar a REST desde el navegador: https://host[:puerto], "
        "separados por comas o espacios; «*» solo con aviso (docs/hardening.md)", SCRIPTS, "", alone=False),
    # The Makefile.
    Var("REPLICAS", 2, integer(1, 8), "`make serve-cluster`: cuántas réplicas", MAKE, alone=False),
    Var("CLUSTER_PORT", 8080, PORT, "`make serve-cluster`: puerto de nginx en 127.0.0.1", MAKE, alone=False),
    Var("NLU_MIN_F1", 0.85, number(0, 1), "`make test`: F1 macro de intents (conjunto reservado) mínima", MAKE,
        alone=False),
    Var("BLIND_MIN_RIGHT", 0.954, number(0, 1), "`make test`: parte mínima de respuestas correctas de la última "
        "ronda a ciegas", MAKE, alone=False),
    Var("BLIND_MAX_WRONG", 0.025, number(0, 1), "`make test`: parte máxima de respuestas erróneas de esa ronda",
        MAKE, alone=False),
)

BY_NAME: Dict[str, Var] = {v.name: v for v in VARIABLES}


def value(name: str, environ: Optional[Mapping[str, str]] = None) -> Any:
    """The value of one variable of the table (its default when unset or blank); SettingsError names it."""
    return BY_NAME[name].read(environ)
