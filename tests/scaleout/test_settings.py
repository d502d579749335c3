"""TRACKER_STORE_URL / LOCK_STORE_URL: what is accepted, and refusals that name the variable (no servers)."""

from __future__ import annotations

import pytest

from settings import SettingsError as StoreConfigError
from settings.stores import (
    DEFAULT_TRACKER_STORE_URL,
    lock_store_settings,
    mask,
    tracker_store_settings,
)


@pytest.mark.parametrize(
    "environ, configured, url, backend",
    [
        ({}, None, DEFAULT_TRACKER_STORE_URL, "sqlite"),
        ({"TRACKER_STORE_URL": "  "}, None, DEFAULT_TRACKER_STORE_URL, "sqlite"),  # empty: the default
        ({}, "sqlite:////tmp/x.db", "sqlite:////tmp/x.db", "sqlite"),  # endpoints.yml `url`
        (
            {"TRACKER_STORE_URL": "sqlite:///otro.db"},
            "sqlite:////tmp/x.db",
            "sqlite:///otro.db",
            "sqlite",
        ),  # the variable wins
        ({"TRACKER_STORE_URL": "postgresql://u:p@db:5432/rasa"}, None, "postgresql://u:p@db:5432/rasa", "postgresql"),
        (
            {"TRACKER_STORE_URL": "postgresql+psycopg2://u:p%40x@db/rasa?sslmode=require"},
            None,
            "postgresql+psycopg2://u:p%40x@db/rasa?sslmode=require",
            "postgresql",
        ),
        (
            {"TRACKER_STORE_URL": "postgres://u:p@db/rasa"},
            None,
            "postgresql://u:p@db/rasa",
            "postgresql",
        ),  # Heroku's alias
    ],
)
def test_tracker_store_urls_accepted(environ, configured, url, backend):
    settings = tracker_store_settings(environ, configured)
    assert (settings.url, settings.backend) == (url, backend)


@pytest.mark.parametrize(
    "value, problem",
    [
        ("tracker.db", "no es una URL"),
        ("postgresql://u:secreto@db:54x2/rasa", "no es una URL"),
        ("postgresql://u:secreto@db:70000/rasa", "puerto"),
        ("postgresql://u:secreto@db:5432", "nombre de la base"),
        ("sqlite://", "ruta del archivo"),
        ("mysql://u:secreto@db/rasa", "no admitido"),
        ("redis://db:6379/0", "no admitido"),
    ],
)
def test_tracker_store_urls_refused(value, problem):
    with pytest.raises(StoreConfigError) as e:
        tracker_store_settings({"TRACKER_STORE_URL": value})
    message = str(e.value)
    assert message.startswith("TRACKER_STORE_URL=") and problem in message
    assert "secreto" not in message, "la contraseña no sale en el mensaje"


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LOCK_STORE_URL": "redis://127.0.0.1:6379/1"}, ("127.0.0.1", 6379, 1, None, None, False, "alinvest")),
        ({"LOCK_STORE_URL": "redis://cache"}, ("cache", 6379, 0, None, None, False, "alinvest")),
        ({"LOCK_STORE_URL": "rediss://:cl%40ve@cache:6380/2"}, ("cache", 6380, 2, None, "cl@ve", True, "alinvest")),
        (
            {"LOCK_STORE_URL": "redis://yo:clave@cache/3", "LOCK_STORE_KEY_PREFIX": "bot2"},
            ("cache", 6379, 3, "yo", "clave", False, "bot2"),
        ),
    ],
)
def test_lock_store_urls_accepted(environ, expected):
    s = lock_store_settings(environ)
    assert (s.host, s.port, s.db, s.username, s.password, s.use_ssl, s.key_prefix) == expected


def test_no_lock_store_url_means_in_memory():
    assert lock_store_settings({}) is None
    assert lock_store_settings({"LOCK_STORE_URL": ""}) is None
    assert lock_store_settings({"SANIC_WORKERS": "1"}) is None


def test_endpoints_yml_values_are_the_fallback():
    s = lock_store_settings({}, "redis://cache:6379/4", "desdeyml")
    assert (s.host, s.db, s.key_prefix) == ("cache", 4, "desdeyml")
    s = lock_store_settings(
        {"LOCK_STORE_URL": "redis://otro/5", "LOCK_STORE_KEY_PREFIX": "env"}, "redis://cache:6379/4", "desdeyml"
    )
    assert (s.host, s.db, s.key_prefix) == ("otro", 5, "env")


@pytest.mark.parametrize(
    "environ, variable, problem",
    [
        ({"LOCK_STORE_URL": "cache:6379"}, "LOCK_STORE_URL", "redis://"),
        ({"LOCK_STORE_URL": "http://cache:6379/1"}, "LOCK_STORE_URL", "redis://"),
        ({"LOCK_STORE_URL": "redis://:secreto@cache:63x9/1"}, "LOCK_STORE_URL", "puerto"),
        ({"LOCK_STORE_URL": "redis://:secreto@cache:6379/uno"}, "LOCK_STORE_URL", "número"),
        ({"LOCK_STORE_URL": "redis://:secreto@/1"}, "LOCK_STORE_URL", "host"),
        ({"LOCK_STORE_URL": "redis://cache/1?timeout=3"}, "LOCK_STORE_URL", "parámetros"),
        (
            {"LOCK_STORE_URL": "redis://cache/1", "LOCK_STORE_KEY_PREFIX": "al-invest"},
            "LOCK_STORE_KEY_PREFIX",
            "letras y dígitos",
        ),
        # Several workers with a lock only one process sees: refused.
        ({"SANIC_WORKERS": "4"}, "SANIC_WORKERS", "LOCK_STORE_URL"),
    ],
)
def test_lock_store_settings_refused(environ, variable, problem):
    with pytest.raises(StoreConfigError) as e:
        lock_store_settings(environ)
    message = str(e.value)
    assert message.startswith(variable) and problem in message, message
    assert "secreto" not in message


@pytest.mark.parametrize(
    "url, masked",
    [
        ("postgresql://u:secreto@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("redis://:secreto@h/1", "redis://:***@h/1"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite:///tracker.db", "sqlite:///tracker.db"),
    ],
)
def test_mask(url, masked):
    assert mask(url) == masked
