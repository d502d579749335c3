"""endpoints.yml: the sections Rasa reads, the action server's URL, and our two stores.

Rasa 3.6.21 silently does something else with a misspelt section, a store
without ``type`` (conversations in memory) or an unknown key under
``action_endpoint`` (dropped): each is named here with its line.  The stores'
``url`` / ``key_prefix`` are judged later with the variables that override
them (``environment.py``, through settings/stores.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional
from urllib.parse import urlsplit

from channels.preflight.report import Report
from channels.preflight.yamlfile import Entry, YamlFile

# endpoints.yml sections Rasa 3.6.21 reads (rasa.core.utils.AvailableEndpoints.read_endpoints).
RASA_SECTIONS = ("action_endpoint", "tracker_store", "lock_store", "event_broker", "nlg", "nlu", "models")
# Keys of action_endpoint that Rasa's EndpointConfig uses (anything else it silently drops).
ACTION_ENDPOINT_KEYS = (
    "url", "headers", "params", "basic_auth", "token", "token_name", "cafile", "timeout", "enable_selective_domain",
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ENV_ACTION_PORT = "ACTION_PORT"


@dataclass(frozen=True)
class StoreKind:
    section: str
    ours: str  # our class
    rasa: tuple  # Rasa's own types
    exact_case: bool  # how Rasa compares the type
    keys: tuple  # what our class reads


STORES = (
    StoreKind("tracker_store", "stores.EnvTrackerStore", ("sql", "redis", "mongod", "dynamo"), False, ("type", "url")),
    StoreKind("lock_store", "stores.EnvLockStore", ("in_memory", "redis"), True, ("type", "url", "key_prefix")),
)


@dataclass
class Store:
    """One of our stores as endpoints.yml configures it (for the checks of the environment)."""

    url: Optional[str] = None
    url_line: Optional[int] = None
    key_prefix: Any = None
    key_prefix_line: Optional[int] = None
    checked: bool = True  # False: the file's url is unusable and already reported


def _unknown_key(f: YamlFile, entry: Entry, known: tuple, why: str) -> None:
    close = difflib.get_close_matches(entry.key, known, n=1, cutoff=0.7)
    hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
    f.error(entry.key_line, entry.full, f"clave desconocida ({why}).{hint}")


def _check_action_keys(f: YamlFile, given: Dict[str, Entry]) -> None:
    for key, entry in given.items():
        if key not in ACTION_ENDPOINT_KEYS:
            _unknown_key(f, entry, ACTION_ENDPOINT_KEYS, "Rasa la ignoraría")
        elif key in ("headers", "params"):
            f.mapping(entry)
        elif key == "basic_auth":
            auth = f.mapping(entry, allow_null=False)
            parts = {e.key: e for e in f.entries(auth, f"{entry.full}.")} if auth is not None else None
            for part in ("username", "password") if parts is not None else ():
                if part in parts:
                    f.string(parts[part])
                else:
                    f.error(entry.key_line, f"{entry.full}.{part}", "falta esta clave")
        elif key in ("token", "token_name", "cafile"):
            value = f.string(entry)
            if key == "cafile" and value is not None and not Path(value).is_file():
                f.error(entry.value_line, entry.full, f"el archivo {value!r} no existe")
        elif key == "timeout":
            f.warn(entry.key_line, entry.full, "Rasa 3.6.21 la ignora (la llamada espera hasta 300 s); "
                   "usa CHANNEL_REPLY_TIMEOUT (docs/hardening.md)")
        elif key == "enable_selective_domain":
            f.boolean(entry)


def _url_problem(url: str, action_port: Optional[int]) -> Optional[str]:
    """What is wrong with the action server's URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"{url!r} no es una URL válida (el puerto debe ser un número entre 1 y 65535)"
    if parts.scheme not in ("http", "https"):
        return f"{url!r} debe empezar por http:// o https://"
    if not parts.hostname:
        return f"{url!r} no tiene host (p. ej. http://127.0.0.1:5055/webhook)"
    if port == 0 or any(c.isspace() for c in url):
        return f"{url!r} no es una URL válida"
    effective = port if port is not None else {"http": 80, "https": 443}[parts.scheme]
    if action_port is not None and (parts.hostname not in LOOPBACK_HOSTS or effective != action_port):
        return (f"{url!r} no apunta al servidor de acciones que arranca el script "
                f"(http://127.0.0.1:{action_port}/webhook, {ENV_ACTION_PORT}={action_port})")
    return None


def _check_action_endpoint(f: YamlFile, section: Entry, action_port: Optional[int]) -> None:
    node = f.mapping(section, allow_null=False)
    if node is None:
        return
    given = {e.key: e for e in f.entries(node, "action_endpoint.")}
    _check_action_keys(f, given)
    if "url" not in given:
        f.error(section.key_line, "action_endpoint.url", "falta esta clave (p. ej. http://127.0.0.1:5055/webhook)")
        return
    url = f.string(given["url"])
    problem = None if url is None or "${" in url else _url_problem(url, action_port)  # ${VAR}: reported
    if problem:
        f.error(given["url"].value_line, "action_endpoint.url", problem)


def _check_store(f: YamlFile, kind: StoreKind, section: Optional[Entry], top_line: int) -> Optional[Store]:
    """Our store's url / key_prefix, or None (Rasa's store, in memory, or reported)."""
    node = f.mapping(section) if section is not None else None
    if node is None:  # missing or empty: Rasa's in-memory store
        if kind.section == "tracker_store" and (section is None or section.raw is None):
            f.warn(section.key_line if section else top_line, kind.section,
                   "sin almacén configurado Rasa guarda las conversaciones en memoria: se pierden al reiniciar")
        return None
    given = {e.key: e for e in f.entries(node, f"{kind.section}.")}
    type_entry = given.get("type") or given.get("store_type")
    if type_entry is None:
        f.error(section.key_line, f"{kind.section}.type",
                f"falta esta clave: sin ella Rasa usa el almacén en memoria (pon type: {kind.ours})")
        return None
    store_type = f.string(type_entry)
    if store_type is None or (store_type if kind.exact_case else store_type.lower()) in kind.rasa:
        return None  # Rasa's own store: its keys are Rasa's business
    if store_type != kind.ours:
        close = difflib.get_close_matches(store_type, [kind.ours, *kind.rasa], n=1, cutoff=0.6)
        hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
        allowed = ", ".join([kind.ours, *kind.rasa])
        f.error(type_entry.value_line, type_entry.full,
                f"tipo desconocido {store_type!r} (se admiten: {allowed}).{hint}")
        return None
    store = Store()
    for key, entry in given.items():
        if entry is type_entry:
            continue
        if key not in kind.keys:
            _unknown_key(f, entry, kind.keys, f"{kind.ours} solo lee {', '.join(kind.keys)}")
        elif key == "url":
            store.url, store.url_line = f.string(entry, allow_null=True), entry.value_line
            # Unusable, or an unset variable: already reported.
            store.checked = (store.url is not None or entry.raw is None) and "${" not in (store.url or "")
        elif key == "key_prefix":
            store.key_prefix, store.key_prefix_line = f.value(entry.raw), entry.value_line
    return store


def check_endpoints(
    path: str, environ: Mapping[str, str], report: Report, action_port: Optional[int]
) -> Dict[str, Store]:
    """Checks the file; returns our store sections ("tracker_store"/"lock_store") for the environment checks."""
    f = YamlFile(path, environ, report)
    root = f.load()
    if root is None:
        return {}
    sections = {e.key: e for e in f.entries(root)}
    for name, entry in sections.items():
        if name in RASA_SECTIONS:
            continue
        close = difflib.get_close_matches(name, RASA_SECTIONS, n=1, cutoff=0.75)
        if close:  # a misspelt section is silently ignored by Rasa: refuse it
            f.error(entry.key_line, name, f"sección desconocida: Rasa la ignoraría. ¿quisiste decir '{close[0]}'?")
        else:  # maybe another tool's: say it, but do not stop
            f.warn(entry.key_line, name, f"sección desconocida: Rasa la ignora (lee {', '.join(RASA_SECTIONS)})")
    if "action_endpoint" in sections:
        _check_action_endpoint(f, sections["action_endpoint"], action_port)
    else:
        f.error(root.lc.line + 1, "action_endpoint",
                "falta esta sección: sin servidor de acciones el asistente no puede dar ningún dato")
    stores = {kind.section: _check_store(f, kind, sections.get(kind.section), root.lc.line + 1) for kind in STORES}
    return {section: store for section, store in stores.items() if store is not None}
