"""The environment: a loop over settings/table.py, then what only makes sense together.

Every variable that can be judged alone is read by its own row, one at a
time, so that one run names every bad variable, not only the first;
Telegram's variables with each other (``TelegramConfig``), the stores' with
the ``url`` / ``key_prefix`` of endpoints.yml they override (settings/stores.py),
``CORS_ORIGINS`` (passed by serve.sh to ``rasa run --cors``) against the
widget's own origins, and the knowledge file the action server will load.
"""

from __future__ import annotations

import warnings
from typing import Callable, List, Mapping

from channels.preflight.endpoints import Store
from channels.preflight.report import Problem, Report

ENV_CORS_ORIGINS = "CORS_ORIGINS"
ALLOWED_ORIGINS_ENV = "WEBCHAT_ALLOWED_ORIGINS"
_BOTH_LISTS = (
    "las respuestas del widget (/socket.io/, /webchat/) llevarían dos cabeceras "
    "Access-Control-Allow-Origin y el navegador las rechaza"
)


def _cors_errors(environ: Mapping[str, str], error: str) -> List[str]:
    """Every bad origin of CORS_ORIGINS, not only the first the parser stopped at."""
    from settings import SettingsError
    from settings.parsers import cors_entries, cors_origin

    bad = []
    for entry in cors_entries(environ.get(ENV_CORS_ORIGINS)):
        try:
            cors_origin(entry) if entry != "*" else None
        except SettingsError as entry_error:
            bad.append(str(entry_error))
    return bad if error in bad else [error, *bad]


def _check_cors(environ: Mapping[str, str], report: Report, widget: bool) -> None:
    """CORS_ORIGINS: every bad origin named, and none the widget's own list already allows."""
    from channels.webchat.origins import origin_allowed
    from settings import SettingsError, value

    try:
        report.cors_origins = value(ENV_CORS_ORIGINS, environ)
    except SettingsError as e:
        for message in _cors_errors(environ, str(e)):
            report.environment(message)
    try:
        patterns = value(ALLOWED_ORIGINS_ENV, environ) if widget else []
    except SettingsError:
        patterns = []  # already reported
    # sanic_cors (rasa run --cors) answers on every route, /socket.io/ and
    # /webchat/ included, which already send their own Access-Control-Allow-Origin
    # for WEBCHAT_ALLOWED_ORIGINS: an origin in both lists gets the header twice,
    # and browsers refuse a response with two (the widget would not connect).
    origins = report.cors_origins
    both = origins if origins == ["*"] else [o for o in origins if origin_allowed(o, None, patterns)]
    if patterns and both == ["*"]:
        report.environment(
            f"{ENV_CORS_ORIGINS}=* incluye los orígenes de {ALLOWED_ORIGINS_ENV}: {_BOTH_LISTS}. "
            f"Con «*», define {ALLOWED_ORIGINS_ENV}= vacío (el widget solo en el origen del bot)."
        )
    elif patterns and both:
        report.environment(
            f"{ENV_CORS_ORIGINS}: {', '.join(both)} también está permitido por {ALLOWED_ORIGINS_ENV}: "
            f"{_BOTH_LISTS}. El widget solo necesita {ALLOWED_ORIGINS_ENV}: quita el origen de una de las dos listas."
        )
    if origins == ["*"]:
        report.environment(
            f"{ENV_CORS_ORIGINS}=*: cualquier página web puede llamar al bot (REST y, con RASA_API_TOKEN, la API) "
            "desde el navegador de quien la visite y leer las respuestas; mejor una lista de orígenes "
            "(docs/hardening.md)",
            warning=True,
        )


def _check_stores(environ: Mapping[str, str], stores: Mapping[str, Store], endpoints: str, report: Report) -> None:
    """Only the stores endpoints.yml gives to our classes (otherwise the variables are not read)."""
    from settings import SettingsError
    from settings.stores import lock_store_settings, tracker_store_settings

    builders: Mapping[str, Callable[[Store], object]] = {
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
            if "`url` de endpoints.yml" in message:
                report.problems.append(Problem(endpoints, store.url_line, f"{section}.url", message))
            elif "`key_prefix` de endpoints.yml" in message:
                report.problems.append(Problem(endpoints, store.key_prefix_line, f"{section}.key_prefix", message))
            else:
                report.environment(message)


def check_environment(
    environ: Mapping[str, str], report: Report, widget: bool, stores: Mapping[str, Store], endpoints: str
) -> None:
    """Every variable of settings/table.py, then the groups (``widget``: credentials.yml has the web widget)."""
    with warnings.catch_warnings(record=True):
        # Importing the stores imports Rasa's tracker store, which warns about
        # SQLAlchemy 2.0 on import: noise in a configuration report.  Recorded
        # and dropped (Rasa's imports add their own filters, so "ignore" is not enough).
        from actions.knowledge import KnowledgeError, load_knowledge
        from settings import VARIABLES, SettingsError, value
        from settings.channels import TelegramConfig

    for var in VARIABLES:
        if var.alone and var.name in environ:
            try:
                var.read({var.name: environ[var.name]})
            except SettingsError as e:
                report.environment(str(e))
    try:  # TELEGRAM_* depend on each other (mode, URL, secret): one check
        TelegramConfig.from_env(environ)
    except SettingsError as e:
        report.environment(str(e))
    _check_cors(environ, report, widget)
    _check_stores(environ, stores, endpoints, report)
    try:  # the knowledge file the action server will load (it refuses a broken one too)
        load_knowledge(value("ALINVEST_KNOWLEDGE_FILE", environ))
    except KnowledgeError as e:
        report.problems.append(Problem(e.path, e.line, e.key, e.problem))
    except SettingsError as e:
        report.environment(str(e))
