"""settings/: the one table of environment variables, its blank-means-default rule, and the README's copy."""

import pytest

from settings import VARIABLES, SettingsError, value
from settings.doc import table
from settings.parsers import cors_origins as parse_cors_origins
from tests.conftest import ROOT


def test_the_readme_table_of_variables_is_the_settings_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table() in readme, "README.md is stale: paste the output of `python -m settings.doc`"


def test_every_variable_has_one_row_with_spanish_help():
    names = [v.name for v in VARIABLES]
    assert len(names) == len(set(names))
    assert all(v.help and "|" not in v.help for v in VARIABLES)


@pytest.mark.parametrize("var", [v for v in VARIABLES if v.blank_is_default], ids=lambda v: v.name)
def test_unset_or_blank_means_the_default(var):
    assert value(var.name, {}) == var.default
    assert value(var.name, {var.name: "  "}) == var.default


def test_an_empty_widget_origin_list_allows_only_the_bots_own_origin():
    assert value("WEBCHAT_ALLOWED_ORIGINS", {"WEBCHAT_ALLOWED_ORIGINS": ""}) == []
    assert value("WEBCHAT_ALLOWED_ORIGINS", {}) != []


@pytest.mark.parametrize("name, raw", [
    ("CHANNEL_REPLY_TIMEOUT", "pronto"), ("REST_RATE_LIMIT", "-1"), ("SESSION_MAX_TURNS", "muchos"),
    ("TELEGRAM_RATINGS", "quizás"), ("BOT_PORT", "99999"), ("CORS_ORIGINS", "https://a.pe/"),
])
def test_one_error_class_names_the_variable(name, raw):
    from rasa.shared.exceptions import RasaException

    with pytest.raises(SettingsError, match=name) as e:
        value(name, {name: raw})
    assert isinstance(e.value, RasaException)


# --- CORS_ORIGINS (passed by serve.sh to `rasa run --cors`) -----------------------------------
@pytest.mark.parametrize("value, origins", [
    (None, []),
    ("", []),
    ("  ", []),
    ("https://camara.example", ["https://camara.example"]),
    ("https://camara.example, http://localhost:3000", ["https://camara.example", "http://localhost:3000"]),
    ("https://a.pe https://b.pe,https://a.pe", ["https://a.pe", "https://b.pe"]),
    ("http://192.168.1.20:8080", ["http://192.168.1.20:8080"]),
    ("*", ["*"]),
])
def test_cors_origins_accepted(value, origins):
    assert parse_cors_origins(value) == origins


@pytest.mark.parametrize("value, words", [
    ("https://camara.example/", "sin ruta"),
    ("https://camara.example/widget", "sin ruta"),
    ("camara.example", "esquema://host"),
    ("ftp://camara.example", "esquema://host"),
    ("https://camara.example:443", "escribe https://camara.example"),
    ("http://camara.example:80", "escribe http://camara.example"),
    ("https://camara.example:99999", "no existe"),
    ("https://*.camara.example", "expresión regular"),
    ("http://localhost:*", "expresión regular"),
    ("http://[::1]:8080", "expresión regular"),
    ("https://Camara.example", "minúsculas"),
    ("*, https://camara.example", "«*» ya permite"),
])
def test_cors_origins_refused_naming_the_variable(value, words):
    with pytest.raises(SettingsError) as e:
        parse_cors_origins(value)
    assert str(e.value).startswith("CORS_ORIGINS") and words in str(e.value)
