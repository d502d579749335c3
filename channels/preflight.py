"""Start-up check of credentials.yml, endpoints.yml and the environment: every problem at once.

::

    python -m channels.preflight --credentials credentials.yml --endpoints endpoints.yml [--action-port 5055]

``scripts/serve.sh`` and ``scripts/chat.sh`` run it before any server starts.
Exit code 0 and one summary line on stdout when everything is usable; exit
code 2 and every problem on stderr otherwise, one per line, in the knowledge
loader's format (``actions/knowledge/loader.py``)::

    credentials.yml:14: clave 'channels.webchat.WebChatInput.session_persistence': debe ser true o false, no 'yes'
    endpoints.yml:3: clave 'action_endpoint.url': la variable de entorno ACTION_URL no está definida
    entorno: CHANNEL_REPLY_TIMEOUT='x' no es válido: debe ser un número (p. ej. 15 o 2.5).

Warnings (``aviso:``) go to stderr too but do not stop start-up.

Why a separate check: Rasa 3.6.21 reads both files with ruamel (YAML 1.2)
and either fails with a message that names no line (an unknown channel, an
unset ``${VAR}``), or silently does something else (``session_persistence:
yes`` is the *string* "yes"; a misspelt ``traker_store`` section or a store
without ``type`` keeps conversations in memory; an unknown key under
``action_endpoint`` is ignored).  The files are parsed here with
``yaml.compose`` so that every node keeps its line, and plain scalars are
typed as YAML 1.2 does (what Rasa gets), not as PyYAML's YAML 1.1 would.

The environment variables are checked by a loop over settings/table.py (the
rows the channels and stores read at start-up; each message names its
variable), one variable at a time so that one run reports every bad variable,
not only the first; Telegram's and the stores' variables with their group.
``CORS_ORIGINS`` (passed by serve.sh to ``rasa run --cors``): settings.parsers
and docs/hardening.md.

Importing this module has no side effects and imports no Rasa: the
validators are imported when the checks run.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

ENV_CORS_ORIGINS = "CORS_ORIGINS"
ALLOWED_ORIGINS_ENV = "WEBCHAT_ALLOWED_ORIGINS"
ENV_ACTION_PORT = "ACTION_PORT"
ENVIRONMENT = "entorno"  # where an environment problem is reported

# --- what we accept ---------------------------------------------------------------------
REST = "channels.rest.RestInput"
WEBCHAT = "channels.webchat.WebChatInput"
TELEGRAM = "channels.telegram.TelegramInput"
# Module path -> the name() Rasa mounts it under (two channels with one name clash).
OUR_CHANNELS = {REST: "rest", WEBCHAT: "webchat", TELEGRAM: "telegram"}
# Rasa's own channels we allow: only the stock REST channel, which the test
# stacks use next to ours; it lacks channels/rest.py's checks, hence a warning.
ALLOWED_BUILTIN_CHANNELS = {"rest": "rest"}
# Rasa 3.6.21's built-in channel names (rasa.core.channels.BUILTIN_CHANNELS),
# to tell "not ours" from "misspelt".
RASA_BUILTIN_CHANNELS = (
    "botframework", "callback", "cmdline", "facebook", "hangouts", "mattermost", "rasa", "rest",
    "rocketchat", "slack", "socketio", "telegram", "twilio", "twilio_voice", "webexteams",
)
OUR_REPLACEMENT = {"socketio": WEBCHAT, "telegram": TELEGRAM}

# What the widget (webchat/widget.js) hard-codes: other values are legal for
# another socket.io client, but our own widget would never get an answer.
WIDGET_USER_EVENT = "user_uttered"
WIDGET_BOT_EVENT = "bot_uttered"
WIDGET_SOCKETIO_PATH = "/socket.io"
# Event names socket.io or Rasa's channel already use for something else.
RESERVED_SOCKETIO_EVENTS = ("connect", "connect_error", "disconnect", "disconnecting", "session_request", "session_confirm")

# endpoints.yml sections Rasa 3.6.21 reads (rasa.core.utils.AvailableEndpoints.read_endpoints).
RASA_SECTIONS = ("action_endpoint", "tracker_store", "lock_store", "event_broker", "nlg", "nlu", "models")
# Keys of action_endpoint that Rasa's EndpointConfig uses (anything else it silently drops).
ACTION_ENDPOINT_KEYS = ("url", "headers", "params", "basic_auth", "token", "token_name", "cafile", "timeout", "enable_selective_domain")
OUR_TRACKER_STORE = "stores.EnvTrackerStore"
OUR_LOCK_STORE = "stores.EnvLockStore"
RASA_TRACKER_STORES = ("sql", "redis", "mongod", "dynamo")  # compared lower-case, as Rasa does
RASA_LOCK_STORES = ("in_memory", "redis")  # compared as written, as Rasa does
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# YAML 1.2 core schema (ruamel, what Rasa reads with) for plain scalars.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9_]+$|^0o[0-7_]+$|^0x[0-9a-fA-F_]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9_]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
# Rasa's implicit resolver for ${VAR} (rasa/shared/utils/io.py): plain scalars only.
_RASA_ENV_SCALAR = re.compile(r"^(.*)\$\{(.*)\}(.*)$")
_ENV_REFERENCE = re.compile(r"\$\{([^}]*)\}")


# --- problems -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One finding.  ``str()`` is ``file:line: clave 'key': problem`` (``entorno: ...`` for a variable)."""

    path: str  # the file as given, or ENVIRONMENT
    line: Optional[int]
    key: Optional[str]
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"clave '{self.key}': {self.message}" if self.key else self.message
        return f"{where}: {'aviso: ' if self.warning else ''}{text}"


@dataclass
class Report:
    problems: List[Problem] = field(default_factory=list)
    channels: List[str] = field(default_factory=list)  # name() of each configured channel
    cors_origins: List[str] = field(default_factory=list)

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- YAML with lines ----------------------------------------------------------------------------
def _line(node: Optional[Node]) -> Optional[int]:
    return node.start_mark.line + 1 if node is not None else None


def _scalar(node: ScalarNode) -> Any:
    """The value Rasa (ruamel, YAML 1.2, with its ${VAR} resolver) gets for a scalar, before substitution."""
    text = node.value
    if node.style is not None:  # quoted or block: always a string
        return text
    if _RASA_ENV_SCALAR.match(text):
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        try:
            return int(text.replace("_", ""), 0) if text[:2] in ("0o", "0x") else int(text.replace("_", ""))
        except ValueError:
            return text
    if _FLOAT.match(text):
        try:
            return float(text.replace("_", "").replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf"))
        except ValueError:
            return text
    return text


def _describe(value: Any) -> str:
    return "vacío" if value is None else repr(value)


class _FileCheck:
    """Collects the problems of one YAML file (never raises on its content)."""

    def __init__(self, path: str, environ: Mapping[str, str], report: Report):
        self.path = path
        self.environ = environ
        self.report = report

    # reporting
    def error(self, node: Optional[Node], key: Optional[str], message: str) -> None:
        self.report.problems.append(Problem(self.path, _line(node), key, message))

    def warn(self, node: Optional[Node], key: Optional[str], message: str) -> None:
        self.report.problems.append(Problem(self.path, _line(node), key, message, warning=True))

    # reading
    def load(self) -> Optional[Node]:
        try:
            text = Path(self.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self.report.problems.append(Problem(self.path, None, "(archivo)", f"no se puede leer: {e}"))
            return None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = mark.line + 1 if mark else None
            self.report.problems.append(Problem(self.path, line, "(sintaxis)", f"YAML inválido: {getattr(e, 'problem', None) or e}"))
            return None
        if root is None:
            self.report.problems.append(Problem(self.path, None, "(archivo)", "el archivo está vacío"))
            return None
        self.check_env_references(root, "")
        if not isinstance(root, MappingNode):
            self.error(root, "(archivo)", "debe ser un mapa de claves (clave: valor)")
            return None
        return root

    def pairs(self, node: MappingNode, prefix: str) -> List[Tuple[str, Node, Node]]:
        """(key, key node, value node) of a mapping; reports non-text and repeated keys."""
        seen: Dict[str, Node] = {}
        out: List[Tuple[str, Node, Node]] = []
        for k_node, v_node in node.value:
            k = _scalar(k_node) if isinstance(k_node, ScalarNode) else None
            if not isinstance(k, str):
                self.error(k_node, f"{prefix}{k_node.value if isinstance(k_node, ScalarNode) else '?'}", "la clave debe ser un texto")
                continue
            if k in seen:
                self.error(k_node, prefix + k, f"clave repetida (ya está en la línea {_line(seen[k])})")
                continue
            seen[k] = k_node
            out.append((k, k_node, v_node))
        return out

    def value(self, node: Node) -> Any:
        """A scalar's value after Rasa's ${VAR} substitution (unset variables left as written)."""
        if not isinstance(node, ScalarNode):
            return node
        value = _scalar(node)
        if isinstance(value, str) and node.style is None and _RASA_ENV_SCALAR.match(value):
            value = _ENV_REFERENCE.sub(lambda m: self.environ.get(m.group(1), m.group(0)), value)
        return value

    def substituted(self, node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.style is None and bool(_RASA_ENV_SCALAR.match(node.value))

    def check_env_references(self, node: Node, key: str) -> None:
        """Every ${VAR} in a value: set, and written where Rasa substitutes it."""
        if isinstance(node, MappingNode):
            for k_node, v_node in node.value:
                k = k_node.value if isinstance(k_node, ScalarNode) else "?"
                self.check_env_references(v_node, f"{key}.{k}" if key else str(k))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.check_env_references(item, f"{key}[{i}]")
        elif isinstance(node, ScalarNode) and "${" in node.value:
            names = _ENV_REFERENCE.findall(node.value)
            if node.style is not None:
                self.error(node, key or "(archivo)", f"Rasa no sustituye ${{{names[0] if names else '…'}}} en un valor entre comillas: quita las comillas")
                return
            for name in names:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    self.error(node, key, f"${{{name}}} no es un nombre de variable de entorno válido")
                elif name not in self.environ:
                    self.error(
                        node, key,
                        f"la variable de entorno {name} no está definida (Rasa no arrancaría, o usaría «${{{name}}}» tal cual)",
                    )

    # typed values
    def string(self, node: Node, key: str, *, allow_null: bool = False) -> Optional[str]:
        """A non-empty text (or None when ``allow_null`` and the value is null); reports otherwise."""
        if not isinstance(node, ScalarNode):
            self.error(node, key, "debe ser un texto")
            return None
        value = self.value(node)
        if value is None and allow_null:
            return None
        if not isinstance(value, str):
            self.error(node, key, f"debe ser un texto, no {_describe(value)}")
            return None
        if not value.strip():
            self.error(node, key, "no puede estar vacío")
            return None
        return value

    def boolean(self, node: Node, key: str) -> Optional[bool]:
        value = self.value(node) if isinstance(node, ScalarNode) else node
        if isinstance(value, bool):
            return value
        extra = " (una variable ${…} siempre da un texto)" if self.substituted(node) else ""
        shown = _describe(value) if isinstance(node, ScalarNode) else "un mapa o una lista"
        self.error(node, key, f"debe ser true o false, no {shown}{extra}")
        return None

    def mapping(self, node: Node, key: str, *, allow_null: bool = True) -> Optional[MappingNode]:
        if isinstance(node, MappingNode):
            return node
        if allow_null and isinstance(node, ScalarNode) and _scalar(node) is None:
            return None
        self.error(node, key, "debe ser un mapa de claves (o quedar vacío)" if allow_null else "debe ser un mapa de claves")
        return None

    def unknown_key(self, k_node: Node, key: str, name: str, known: Sequence[str], why: str) -> None:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
        hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
        self.error(k_node, key, f"clave desconocida ({why}).{hint}")


# --- credentials.yml --------------------------------------------------------------------------
def _check_credentials(path: str, environ: Mapping[str, str], report: Report) -> Dict[str, Optional[MappingNode]]:
    """The channels configured (module path or built-in name -> settings node)."""
    f = _FileCheck(path, environ, report)
    root = f.load()
    if root is None:
        return {}
    channels: Dict[str, Optional[MappingNode]] = {}
    mounted: Dict[str, str] = {}  # name() -> the entry that uses it
    allowed = [*OUR_CHANNELS, *ALLOWED_BUILTIN_CHANNELS]
    for name, k_node, v_node in f.pairs(root, ""):
        if name in OUR_CHANNELS:
            mount = OUR_CHANNELS[name]
        elif name in ALLOWED_BUILTIN_CHANNELS:
            mount = ALLOWED_BUILTIN_CHANNELS[name]
            f.warn(k_node, name, f"es el canal REST original de Rasa, sin las comprobaciones de {REST} (docs/hardening.md); úsalo solo en pruebas")
        elif name in RASA_BUILTIN_CHANNELS:
            ours = OUR_REPLACEMENT.get(name)
            instead = f"; usa {ours}" if ours else ""
            f.error(k_node, name, f"el canal '{name}' de Rasa no se usa en este asistente{instead} (se admiten: {', '.join(allowed)})")
            continue
        else:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
            f.error(k_node, name, f"canal desconocido (se admiten: {', '.join(allowed)}).{hint}")
            continue
        if mount in mounted:
            f.error(k_node, name, f"'{mounted[mount]}' ya usa la ruta /webhooks/{mount}/: deja solo uno de los dos")
            continue
        mounted[mount] = name
        settings = f.mapping(v_node, name)
        channels[name] = settings
        if name == WEBCHAT:
            _check_webchat(f, name, k_node, settings)
        elif settings is not None:
            for key, key_node, _ in f.pairs(settings, f"{name}."):
                if name == REST:
                    why = "RestInput no lleva claves: se configura con las variables REST_* y CHANNEL_* (docs/hardening.md)"
                elif name == TELEGRAM:
                    why = "TelegramInput no lleva claves: se configura con las variables TELEGRAM_* (docs/telegram.md)"
                else:
                    why = "el canal REST de Rasa no lleva claves"
                f.error(key_node, f"{name}.{key}", f"clave desconocida: {why}")
    if not channels and not report.errors:
        f.error(root, "(archivo)", "no hay ningún canal")
    report.channels = [OUR_CHANNELS.get(n) or ALLOWED_BUILTIN_CHANNELS[n] for n in channels]
    return channels


def _jwt_algorithms() -> List[str]:
    try:
        from jwt.algorithms import get_default_algorithms

        return sorted(a for a in get_default_algorithms() if a != "none")
    except ImportError:  # PyJWT comes with Rasa; keep the check usable without it
        return ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"]


def _check_webchat(f: _FileCheck, name: str, name_node: Node, settings: Optional[MappingNode]) -> None:
    """The keys Rasa 3.6.21's SocketIOInput.from_credentials reads, with the types its code needs."""
    known = ("user_message_evt", "bot_message_evt", "namespace", "session_persistence", "socketio_path", "jwt_key", "jwt_method", "metadata_key")
    values: Dict[str, Any] = {}
    nodes: Dict[str, Node] = {}
    for key, k_node, v_node in f.pairs(settings, f"{name}.") if settings is not None else []:
        full = f"{name}.{key}"
        nodes[key] = k_node
        if key not in known:
            f.unknown_key(k_node, full, key, known, "SocketIOInput solo lee " + ", ".join(known))
        elif key in ("user_message_evt", "bot_message_evt", "metadata_key"):
            values[key] = f.string(v_node, full)
            if values[key] in RESERVED_SOCKETIO_EVENTS and key != "metadata_key":
                f.error(v_node, full, f"'{values[key]}' ya es un evento de socket.io o de Rasa: elige otro nombre")
        elif key == "session_persistence":
            values[key] = f.boolean(v_node, full)
        elif key == "namespace":
            values[key] = f.string(v_node, full, allow_null=True)
            if values[key] is not None and not values[key].startswith("/"):
                f.error(v_node, full, f"un namespace de socket.io empieza por «/», no {values[key]!r}")
        elif key == "socketio_path":
            values[key] = f.string(v_node, full)
            if values[key] is not None and not values[key].startswith("/"):
                f.error(v_node, full, f"debe ser una ruta que empieza por «/», no {values[key]!r}")
        elif key == "jwt_key":
            values[key] = f.string(v_node, full, allow_null=True)
            if values[key] is not None and not f.substituted(v_node):
                f.warn(v_node, full, "es un secreto escrito en el archivo: tómalo del entorno (jwt_key: ${WEBCHAT_JWT_KEY})")
        elif key == "jwt_method":
            values[key] = f.string(v_node, full)
            algorithms = _jwt_algorithms()
            if values[key] is not None and values[key] not in algorithms:
                f.error(v_node, full, f"algoritmo JWT desconocido {values[key]!r} (se admiten: {', '.join(algorithms)})")
    user_evt = values.get("user_message_evt", WIDGET_USER_EVENT)
    bot_evt = values.get("bot_message_evt", WIDGET_BOT_EVENT)
    if user_evt is not None and user_evt == bot_evt:
        f.error(nodes.get("bot_message_evt", name_node), f"{name}.bot_message_evt", "no puede ser el mismo evento que user_message_evt")
    # Legal for another socket.io client, but webchat/widget.js hard-codes these.
    for key, widget in (("user_message_evt", WIDGET_USER_EVENT), ("bot_message_evt", WIDGET_BOT_EVENT), ("socketio_path", WIDGET_SOCKETIO_PATH)):
        if values.get(key) not in (None, widget):
            f.warn(nodes[key], f"{name}.{key}", f"el widget (webchat/widget.js) usa {widget!r}: con {values[key]!r} no recibirá respuestas")
    if values.get("namespace") not in (None, "/"):
        f.warn(nodes["namespace"], f"{name}.namespace", "el widget (webchat/widget.js) usa el namespace por defecto «/»")
    if values.get("jwt_key") is not None:
        f.warn(nodes["jwt_key"], f"{name}.jwt_key", "el widget (webchat/widget.js) no envía token: con jwt_key no podrá conectarse")
    if "session_persistence" not in values:
        f.warn(name_node, f"{name}.session_persistence", "sin «session_persistence: true» recargar la página empieza otra conversación")
    elif values["session_persistence"] is False:
        f.warn(nodes["session_persistence"], f"{name}.session_persistence", "con false recargar la página empieza otra conversación")


# --- endpoints.yml ----------------------------------------------------------------------------
@dataclass
class _Store:
    type: Optional[str] = None
    url: Optional[str] = None
    url_node: Optional[Node] = None
    key_prefix: Any = None
    key_prefix_node: Optional[Node] = None
    checked: bool = True  # False: the file's url is unusable and already reported


def _check_endpoints(path: str, environ: Mapping[str, str], report: Report, action_port: Optional[int]) -> Dict[str, _Store]:
    """Checks the file; returns our store sections ("tracker_store"/"lock_store") for the environment checks."""
    f = _FileCheck(path, environ, report)
    root = f.load()
    if root is None:
        return {}
    ours: Dict[str, _Store] = {}
    sections = {k: (k_node, v_node) for k, k_node, v_node in f.pairs(root, "")}
    for name, (k_node, v_node) in sections.items():
        if name in RASA_SECTIONS:
            continue
        close = difflib.get_close_matches(name, RASA_SECTIONS, n=1, cutoff=0.75)
        if close:  # a misspelt section is silently ignored by Rasa: refuse it
            f.error(k_node, name, f"sección desconocida: Rasa la ignoraría. ¿quisiste decir '{close[0]}'?")
        else:  # maybe another tool's: say it, but do not stop
            f.warn(k_node, name, f"sección desconocida: Rasa la ignora (lee {', '.join(RASA_SECTIONS)})")

    if "action_endpoint" not in sections:
        f.error(root, "action_endpoint", "falta esta sección: sin servidor de acciones el asistente no puede dar ningún dato")
    else:
        _check_action_endpoint(f, *sections["action_endpoint"], action_port)

    for section, ours_type, rasa_types, exact_case, keys in (
        ("tracker_store", OUR_TRACKER_STORE, RASA_TRACKER_STORES, False, ("type", "url")),
        ("lock_store", OUR_LOCK_STORE, RASA_LOCK_STORES, True, ("type", "url", "key_prefix")),
    ):
        k_node, v_node = sections.get(section, (root, None))
        node = f.mapping(v_node, section) if v_node is not None else None
        if node is None:  # missing or empty: Rasa's in-memory store
            if section == "tracker_store" and not (isinstance(v_node, Node) and not isinstance(v_node, ScalarNode)):
                f.warn(k_node, section, "sin almacén configurado Rasa guarda las conversaciones en memoria: se pierden al reiniciar")
            continue
        pairs = f.pairs(node, f"{section}.")
        given = {k: (kn, vn) for k, kn, vn in pairs}
        type_key = "type" if "type" in given else ("store_type" if "store_type" in given else None)
        if type_key is None:
            f.error(k_node, f"{section}.type", f"falta esta clave: sin ella Rasa usa el almacén en memoria (pon type: {ours_type})")
            continue
        store_type = f.string(given[type_key][1], f"{section}.{type_key}")
        if store_type is None:
            continue
        allowed = ", ".join([ours_type, *rasa_types])
        if store_type == ours_type:
            store = _Store(type=store_type)
            for key, (kn, vn) in given.items():
                if key == type_key:
                    continue
                if key not in keys:
                    f.unknown_key(kn, f"{section}.{key}", key, keys, f"{ours_type} solo lee {', '.join(keys)}")
                elif key == "url":
                    store.url, store.url_node = f.string(vn, f"{section}.url", allow_null=True), vn
                    store.checked = store.url is not None or f.value(vn) is None
                    if store.url is not None and "${" in store.url:
                        store.checked = False  # the unset variable is already reported
                elif key == "key_prefix":
                    store.key_prefix, store.key_prefix_node = f.value(vn), vn
            ours[section] = store
        elif (store_type if exact_case else store_type.lower()) in rasa_types:
            pass  # Rasa's own store: its keys are Rasa's business
        else:
            close = difflib.get_close_matches(store_type, [ours_type, *rasa_types], n=1, cutoff=0.6)
            hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
            f.error(given[type_key][1], f"{section}.{type_key}", f"tipo desconocido {store_type!r} (se admiten: {allowed}).{hint}")
    return ours


def _check_action_endpoint(f: _FileCheck, k_node: Node, v_node: Node, action_port: Optional[int]) -> None:
    node = f.mapping(v_node, "action_endpoint", allow_null=False)
    if node is None:
        return
    given = {k: (kn, vn) for k, kn, vn in f.pairs(node, "action_endpoint.")}
    for key, (kn, vn) in given.items():
        full = f"action_endpoint.{key}"
        if key not in ACTION_ENDPOINT_KEYS:
            f.unknown_key(kn, full, key, ACTION_ENDPOINT_KEYS, "Rasa la ignoraría")
        elif key in ("headers", "params"):
            f.mapping(vn, full)
        elif key == "basic_auth":
            auth = f.mapping(vn, full, allow_null=False)
            if auth is not None:
                parts = {k: n for k, _, n in f.pairs(auth, f"{full}.")}
                for part in ("username", "password"):
                    if part not in parts:
                        f.error(kn, f"{full}.{part}", "falta esta clave")
                    else:
                        f.string(parts[part], f"{full}.{part}")
        elif key in ("token", "token_name", "cafile"):
            value = f.string(vn, full)
            if key == "cafile" and value is not None and not Path(value).is_file():
                f.error(vn, full, f"el archivo {value!r} no existe")
        elif key == "timeout":
            f.warn(kn, full, "Rasa 3.6.21 la ignora (la llamada espera hasta 300 s); usa CHANNEL_REPLY_TIMEOUT (docs/hardening.md)")
        elif key == "enable_selective_domain":
            f.boolean(vn, full)
    if "url" not in given:
        f.error(k_node, "action_endpoint.url", "falta esta clave (p. ej. http://127.0.0.1:5055/webhook)")
        return
    url_node = given["url"][1]
    url = f.string(url_node, "action_endpoint.url")
    if url is None or "${" in url:  # an unset variable was already reported
        return
    key = "action_endpoint.url"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        f.error(url_node, key, f"{url!r} no es una URL válida (el puerto debe ser un número entre 1 y 65535)")
        return
    if parts.scheme not in ("http", "https"):
        f.error(url_node, key, f"{url!r} debe empezar por http:// o https://")
        return
    if not parts.hostname:
        f.error(url_node, key, f"{url!r} no tiene host (p. ej. http://127.0.0.1:5055/webhook)")
        return
    if port == 0 or any(c.isspace() for c in url):
        f.error(url_node, key, f"{url!r} no es una URL válida")
        return
    if action_port is not None:
        effective = port if port is not None else {"http": 80, "https": 443}[parts.scheme]
        if parts.hostname not in LOOPBACK_HOSTS or effective != action_port:
            f.error(
                url_node, key,
                f"{url!r} no apunta al servidor de acciones que arranca el script "
                f"(http://127.0.0.1:{action_port}/webhook, {ENV_ACTION_PORT}={action_port})",
            )


# --- environment ------------------------------------------------------------------------------
def _check_cors(environ: Mapping[str, str], report: Report, widget: bool, problem: Callable[[str], None]) -> None:
    """CORS_ORIGINS: every bad origin named, and none the widget's own list already allows."""
    from channels.webchat.origins import origin_allowed
    from settings import SettingsError, value
    from settings.parsers import cors_entries, cors_origin

    try:
        report.cors_origins = value(ENV_CORS_ORIGINS, environ)
    except SettingsError as e:
        bad = []
        for entry in cors_entries(environ.get(ENV_CORS_ORIGINS)):
            try:
                cors_origin(entry) if entry != "*" else None
            except SettingsError as entry_error:
                bad.append(str(entry_error))
        for message in bad if str(e) in bad else [str(e), *bad]:
            problem(message)
    try:
        patterns = value(ALLOWED_ORIGINS_ENV, environ) if widget else []
    except SettingsError:
        patterns = []  # already reported
    # sanic_cors (rasa run --cors) answers on every route, /socket.io/ and
    # /webchat/ included, which already send their own Access-Control-Allow-Origin
    # for WEBCHAT_ALLOWED_ORIGINS: an origin in both lists gets the header twice,
    # and browsers refuse a response with two (the widget would not connect).
    if patterns and report.cors_origins:
        both = ["*"] if report.cors_origins == ["*"] else [
            o for o in report.cors_origins if origin_allowed(o, None, patterns)
        ]
        why = (
            "las respuestas del widget (/socket.io/, /webchat/) llevarían dos cabeceras "
            "Access-Control-Allow-Origin y el navegador las rechaza"
        )
        if both == ["*"]:
            problem(
                f"{ENV_CORS_ORIGINS}=* incluye los orígenes de {ALLOWED_ORIGINS_ENV}: {why}. "
                f"Con «*», define {ALLOWED_ORIGINS_ENV}= vacío (el widget solo en el origen del bot)."
            )
        elif both:
            problem(
                f"{ENV_CORS_ORIGINS}: {', '.join(both)} también está permitido por {ALLOWED_ORIGINS_ENV}: {why}. "
                f"El widget solo necesita {ALLOWED_ORIGINS_ENV}: quita el origen de una de las dos listas."
            )
    if report.cors_origins == ["*"]:
        report.problems.append(Problem(
            ENVIRONMENT, None, None,
            f"{ENV_CORS_ORIGINS}=*: cualquier página web puede llamar al bot (REST y, con RASA_API_TOKEN, la API) "
            "desde el navegador de quien la visite y leer las respuestas; mejor una lista de orígenes (docs/hardening.md)",
            warning=True,
        ))


def _check_stores(
    environ: Mapping[str, str], stores: Mapping[str, _Store], endpoints_path: str, report: Report
) -> None:
    """Only when endpoints.yml uses ours (otherwise the variables are not read)."""
    from settings import SettingsError
    from settings.stores import lock_store_settings, tracker_store_settings

    builders = {
        "tracker_store": lambda store: tracker_store_settings(environ, configured=store.url),
        "lock_store": lambda store: lock_store_settings(environ, store.url, store.key_prefix),
    }
    for section, build in builders.items():
        store = stores.get(section)
        if store is None or not store.checked:
            continue
        try:
            build(store)
        except SettingsError as e:
            # settings/stores.py says where a bad value came from: a variable, or
            # (the variable being unset) the `url` / `key_prefix` of the file.
            message = str(e)
            if "`url` de endpoints.yml" in message and store.url_node is not None:
                problem = Problem(endpoints_path, _line(store.url_node), f"{section}.url", message)
            elif "`key_prefix` de endpoints.yml" in message and store.key_prefix_node is not None:
                problem = Problem(endpoints_path, _line(store.key_prefix_node), f"{section}.key_prefix", message)
            else:
                problem = Problem(ENVIRONMENT, None, None, message)
            report.problems.append(problem)


def _check_environment(
    environ: Mapping[str, str],
    report: Report,
    channels: Mapping[str, Optional[MappingNode]],
    stores: Mapping[str, _Store],
    endpoints_path: str,
) -> None:
    def problem(message: str) -> None:
        report.problems.append(Problem(ENVIRONMENT, None, None, message))

    with warnings.catch_warnings(record=True):
        # Importing the stores imports Rasa's tracker store, which warns about
        # SQLAlchemy 2.0 on import: noise in a configuration report.  Recorded
        # and dropped (Rasa's imports add their own filters, so "ignore" is not enough).
        from actions.knowledge import KnowledgeError, load_knowledge
        from settings import VARIABLES, SettingsError, value
        from settings.channels import TelegramConfig

    # Every variable of settings/table.py that can be judged alone, one at a
    # time, so that one run reports every bad one, not only the first.
    for var in VARIABLES:
        if var.alone and var.name in environ:
            try:
                var.read({var.name: environ[var.name]})
            except SettingsError as e:
                problem(str(e))
    try:  # TELEGRAM_* depend on each other (mode, URL, secret): one check
        TelegramConfig.from_env(environ)
    except SettingsError as e:
        problem(str(e))
    _check_cors(environ, report, WEBCHAT in channels, problem)
    _check_stores(environ, stores, endpoints_path, report)
    # The knowledge file the action server will load (it refuses a broken one too).
    try:
        load_knowledge(value("ALINVEST_KNOWLEDGE_FILE", environ))
    except KnowledgeError as e:
        report.problems.append(Problem(e.path, e.line, e.key, e.problem))
    except SettingsError as e:
        problem(str(e))


# --- entry points -----------------------------------------------------------------------------
def run_checks(
    credentials: str = "credentials.yml",
    endpoints: str = "endpoints.yml",
    environ: Optional[Mapping[str, str]] = None,
    action_port: Optional[int] = None,
) -> Report:
    """Every check; never raises on bad configuration (see ``Report.problems``)."""
    environ = dict(os.environ if environ is None else environ)
    report = Report()
    channels = _check_credentials(str(credentials), environ, report)
    stores = _check_endpoints(str(endpoints), environ, report, action_port)
    _check_environment(environ, report, channels, stores, str(endpoints))
    # File by file (credentials, endpoints, environment, knowledge), line by line.
    order = {}
    for p in report.problems:
        order.setdefault(p.path, len(order))
    report.problems.sort(key=lambda p: (order[p.path], p.line or 0))
    return report


def summary(report: Report, credentials: str, endpoints: str) -> str:
    cors = ", ".join(report.cors_origins) if report.cors_origins else "sin cabeceras"
    notes = f", {len(report.warnings)} aviso(s)" if report.warnings else ""
    return (
        f"Configuración correcta: {credentials} (canales: {', '.join(report.channels)}), {endpoints}, "
        f"variables de entorno; CORS: {cors}{notes}."
    )


def main(argv: Optional[Sequence[str]] = None, environ: Optional[Mapping[str, str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m channels.preflight",
        description="Comprueba credentials.yml, endpoints.yml y las variables de entorno antes de arrancar.",
    )
    parser.add_argument("--credentials", default="credentials.yml", help="archivo de canales (por defecto credentials.yml)")
    parser.add_argument("--endpoints", default="endpoints.yml", help="archivo de endpoints (por defecto endpoints.yml)")
    parser.add_argument(
        "--action-port", default=None,
        help="el puerto del servidor de acciones local al que debe apuntar action_endpoint.url",
    )
    args = parser.parse_args(argv)
    # Not argparse's int: the scripts pass $ACTION_PORT as it is, and a bad one
    # is reported (in Spanish, naming the variable) by the environment checks.
    action_port = int(args.action_port) if args.action_port and args.action_port.isdigit() else None
    report = run_checks(args.credentials, args.endpoints, environ, action_port)
    for p in report.problems:
        print(str(p), file=sys.stderr)
    if not report.ok:
        n = len(report.errors)
        print(f"ERROR: {n} problema{'s' if n != 1 else ''} de configuración: el asistente no arranca.", file=sys.stderr)
        return 2
    print(summary(report, args.credentials, args.endpoints))
    return 0


if __name__ == "__main__":
    sys.exit(main())
