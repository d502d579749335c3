"""Where conversations and locks live: the stores' settings, built from the table.

No connection is opened here: these functions only turn ``TRACKER_STORE_URL``,
``LOCK_STORE_URL`` and ``LOCK_STORE_KEY_PREFIX`` (or the ``url`` /
``key_prefix`` keys of endpoints.yml, used when the variable is unset or
empty) into settings, and raise :class:`SettingsError` naming the variable
for a value they cannot use.  Passwords never appear in a message or a log
line (:func:`mask`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Text, Tuple
from urllib.parse import SplitResult, unquote, urlsplit

from settings.errors import SettingsError
from settings.table import BY_NAME, raw_value

ENV_TRACKER_STORE_URL = "TRACKER_STORE_URL"
ENV_LOCK_STORE_URL = "LOCK_STORE_URL"
ENV_LOCK_STORE_KEY_PREFIX = "LOCK_STORE_KEY_PREFIX"
ENV_SANIC_WORKERS = "SANIC_WORKERS"  # Rasa's own: worker processes of one `rasa run`

# The embedded default: the same SQLite file as before scale-out (relative to
# the working directory of `rasa run`, as Rasa's `db: tracker.db` was).
DEFAULT_TRACKER_STORE_URL = BY_NAME[ENV_TRACKER_STORE_URL].default
DEFAULT_LOCK_KEY_PREFIX = BY_NAME[ENV_LOCK_STORE_KEY_PREFIX].default
DEFAULT_REDIS_PORT = 6379
DEFAULT_REDIS_DB = 0  # as redis-py's from_url (Rasa's own `type: redis` defaults to 1)

# SQLAlchemy backend names we accept, and the spelling SQLAlchemy 1.4 needs.
_SQL_BACKENDS = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql"}
_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)([^@\s]*)(@)")


def mask(url: Text) -> Text:
    """``url`` with its password replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(r"\1***\3", url)


def _source(environ: Mapping[Text, Text], name: Text, configured: Optional[Text]) -> Tuple[Optional[Text], Text]:
    """(value, where it came from) of a setting: the variable first, then endpoints.yml."""
    value = raw_value(environ, name)
    if value is not None:
        return value, name
    if configured is not None and str(configured).strip():
        return str(configured).strip(), f"{name} (sin definir; `url` de endpoints.yml)"
    return None, name


# --- tracker store -----------------------------------------------------------------------------
@dataclass(frozen=True)
class TrackerStoreSettings:
    url: Text  # what SQLAlchemy gets (password included)
    backend: Text  # "sqlite" or "postgresql"
    origin: Text  # the variable (or endpoints.yml) it came from, for messages

    @property
    def display(self) -> Text:
        return mask(self.url)


def tracker_store_settings(
    environ: Optional[Mapping[Text, Text]] = None, configured: Optional[Text] = None
) -> TrackerStoreSettings:
    """``TRACKER_STORE_URL``, else ``configured`` (endpoints.yml ``url``), else ``sqlite:///tracker.db``.

    Accepted: ``sqlite:///<file>`` and ``postgresql://user:pass@host:5432/db``
    (``postgresql+psycopg2://``, the ``postgres://`` alias and ``?sslmode=...``
    too).  Anything else raises SettingsError naming the variable.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    environ = os.environ if environ is None else environ
    raw, origin = _source(environ, ENV_TRACKER_STORE_URL, configured)
    if raw is None:
        origin = f"{ENV_TRACKER_STORE_URL} (sin definir: por defecto)"
        return TrackerStoreSettings(DEFAULT_TRACKER_STORE_URL, "sqlite", origin)

    def bad(problem: Text) -> SettingsError:
        return SettingsError(
            f"{origin}={mask(raw)!r} no es válido: {problem}. "
            f"Ejemplos: sqlite:///tracker.db o postgresql://usuario:clave@host:5432/base"
        )

    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as e:  # ValueError: a port that is not a number
        raise bad(f"no es una URL de base de datos ({e.__class__.__name__})") from None
    backend = _SQL_BACKENDS.get(url.get_backend_name())
    if backend is None:
        raise bad(f"tipo de base de datos {url.get_backend_name()!r} no admitido (solo sqlite o postgresql)")
    if not url.database:
        if backend == "sqlite":
            raise bad(
                "falta la ruta del archivo (sqlite:///ruta.db; sqlite:// sería una base en memoria de cada proceso)"
            )
        raise bad("falta el nombre de la base (…:5432/base)")
    if url.port is not None and not 1 <= url.port <= 65535:
        raise bad(f"el puerto {url.port} no existe")
    if backend == "postgresql" and url.get_backend_name() == "postgres":
        # SQLAlchemy 1.4 dropped the alias that Heroku-style URLs use.
        raw = "postgresql" + raw[len("postgres"):]
    return TrackerStoreSettings(raw, backend, origin)


# --- lock store --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RedisSettings:
    host: Text
    port: int
    db: int
    username: Optional[Text]
    password: Optional[Text]
    use_ssl: bool
    key_prefix: Text
    url: Text  # as given (password included)
    origin: Text

    @property
    def display(self) -> Text:
        return mask(self.url)


def _int_in(value: Text, low: int, high: int) -> Optional[int]:
    if not value.isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


def _check_workers(environ: Mapping[Text, Text]) -> None:
    """Without Redis, ``SANIC_WORKERS`` above 1 is refused: an in-memory lock only serialises one process."""
    workers = raw_value(environ, ENV_SANIC_WORKERS)
    if workers is not None and workers.isdigit() and int(workers) > 1:
        raise SettingsError(
            f"{ENV_SANIC_WORKERS}={workers} necesita {ENV_LOCK_STORE_URL}=redis://host:6379/0: "
            "el candado en memoria solo ordena los mensajes de un proceso."
        )


def _redis_url(raw: Text, origin: Text) -> Tuple[SplitResult, int, int]:
    """(parts, port, db) of a Redis URL; SettingsError names ``origin``."""

    def bad(problem: Text) -> SettingsError:
        return SettingsError(f"{origin}={mask(raw)!r} no es válido: {problem}. Ejemplo: redis://host:6379/1")

    try:
        parts = urlsplit(raw)
        port = parts.port  # ValueError: not a number, or over 65535
    except ValueError:
        raise bad("el puerto debe ser un número entre 1 y 65535") from None
    port = DEFAULT_REDIS_PORT if port is None else port
    if parts.scheme not in ("redis", "rediss"):
        raise bad("debe empezar por redis:// (o rediss:// con TLS)")
    if not parts.hostname:
        raise bad("falta el host")
    if not 1 <= port <= 65535:
        raise bad("el puerto debe ser un número entre 1 y 65535")
    db_text = parts.path.strip("/")
    db = DEFAULT_REDIS_DB if not db_text else _int_in(db_text, 0, 10_000)
    if db is None:
        raise bad(f"la base de Redis debe ser un número (…/1), no {db_text!r}")
    if parts.query or parts.fragment:
        raise bad("no admite parámetros (?…)")
    return parts, port, db


def _lock_key_prefix(environ: Mapping[Text, Text], configured_prefix: Optional[Any]) -> Text:
    """``LOCK_STORE_KEY_PREFIX``, else endpoints.yml ``key_prefix``, else ``alinvest``: letters and digits only."""
    prefix = raw_value(environ, ENV_LOCK_STORE_KEY_PREFIX)
    origin = ENV_LOCK_STORE_KEY_PREFIX
    if prefix is None:
        prefix = DEFAULT_LOCK_KEY_PREFIX if configured_prefix is None else str(configured_prefix)
        if configured_prefix is not None:
            origin = f"{ENV_LOCK_STORE_KEY_PREFIX} (`key_prefix` de endpoints.yml)"
    if not prefix.isascii() or not prefix.isalnum():
        # Rasa would silently drop such a prefix and share the default "lock:" keys.
        raise SettingsError(f"{origin}={prefix!r} no es válido: solo letras y dígitos ASCII (p. ej. alinvest).")
    return prefix


def lock_store_settings(
    environ: Optional[Mapping[Text, Text]] = None,
    configured_url: Optional[Text] = None,
    configured_prefix: Optional[Any] = None,
) -> Optional[RedisSettings]:
    """``LOCK_STORE_URL`` (else endpoints.yml ``url``): None for the in-memory lock store.

    ``redis://[[user]:password@]host[:port][/db]`` (``rediss://`` for TLS);
    port 6379 and db 0 by default.  Keys are ``<LOCK_STORE_KEY_PREFIX>:lock:<conversation>``
    (prefix: the variable, else endpoints.yml ``key_prefix``, else ``alinvest``;
    letters and digits only).  Without Redis, ``SANIC_WORKERS`` above 1 is refused:
    an in-memory lock only serialises one process.
    """
    environ = os.environ if environ is None else environ
    raw, origin = _source(environ, ENV_LOCK_STORE_URL, configured_url)
    if raw is None:
        _check_workers(environ)
        return None
    parts, port, db = _redis_url(raw, origin)
    return RedisSettings(
        host=parts.hostname,
        port=port,
        db=db,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
        key_prefix=_lock_key_prefix(environ, configured_prefix),
        url=raw,
        origin=origin,
    )
