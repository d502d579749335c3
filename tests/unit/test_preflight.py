"""channels/preflight/: broken credentials.yml / endpoints.yml / variables, each named with file and line.

Each broken file is a copy of the production one with one change; the test
asserts the exact file name and line number of the problem, and that every
problem of a run is reported, not only the first.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from channels.preflight import Problem, main, run_checks
from settings import SettingsError
from tests.conftest import KNOWLEDGE_FILE, ROOT

CREDENTIALS = (ROOT / "credentials.yml").read_text(encoding="utf-8")
ENDPOINTS = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
WEBCHAT = "channels.webchat.WebChatInput"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(text, needle):
    return next(i for i, line in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in line)


def check(tmp_path, credentials=CREDENTIALS, endpoints=ENDPOINTS, env=None, action_port=None):
    cred = write(tmp_path, "cred.yml", credentials)
    end = write(tmp_path, "end.yml", endpoints)
    return run_checks(str(cred), str(end), env or {}, action_port), str(cred), str(end)


def error_at(report, path, line):
    found = [p for p in report.errors if p.path == path and p.line == line]
    assert found, f"no error at {path}:{line}; got:\n" + "\n".join(map(str, report.problems))
    return found


# --- the production files ---------------------------------------------------------------------
def test_production_files_pass_without_a_single_warning():
    report = run_checks(str(ROOT / "credentials.yml"), str(ROOT / "endpoints.yml"), {}, action_port=5055)
    assert report.problems == [], "\n".join(map(str, report.problems))
    assert report.channels == ["rest", "webchat", "telegram"] and report.cors_origins == []


def test_message_format_is_the_knowledge_loaders():
    problem = Problem("credentials.yml", 14, "a.b", "debe ser true o false")
    assert str(problem) == "credentials.yml:14: clave 'a.b': debe ser true o false"
    assert str(Problem("entorno", None, None, "X='1' no es válido")) == "entorno: X='1' no es válido"
    assert str(Problem("e.yml", 3, "k", "p", warning=True)) == "e.yml:3: aviso: clave 'k': p"


# --- credentials.yml ----------------------------------------------------------------------------
SP = "  session_persistence: true"
UE = "  user_message_evt: user_uttered"
BE = "  bot_message_evt: bot_uttered"
RI = "channels.rest.RestInput:"
TI = "channels.telegram.TelegramInput:"
W = WEBCHAT
REPLACE = [
    # (old text of the production file, new text, the needle of the bad line, key, words of the message)
    (SP, "  session_persistence: yes", "session_persistence", f"{W}.session_persistence", "true o false, no 'yes'"),
    (SP, '  session_persistence: "true"', "session_persistence", f"{W}.session_persistence", "true o false"),
    (SP, "  session_persistence: ${PERSIST}", "session_persistence", f"{W}.session_persistence",
     "PERSIST no está definida"),
    (UE, '  user_message_evt: ""', "user_message_evt", f"{W}.user_message_evt", "no puede estar vacío"),
    (BE, "  bot_message_evt: 5", "bot_message_evt", f"{W}.bot_message_evt", "debe ser un texto, no 5"),
    (BE, "  bot_message_evt: user_uttered", "bot_message_evt", f"{W}.bot_message_evt", "mismo evento"),
    (BE, "  bot_message_evt: [a, b]", "bot_message_evt", f"{W}.bot_message_evt", "debe ser un texto"),
    (UE, "  user_message_evt: connect", "user_message_evt", f"{W}.user_message_evt", "ya es un evento"),
    (SP, SP + "\n  sesion_persistence: true", "sesion_persistence", f"{W}.sesion_persistence",
     "¿quisiste decir 'session_persistence'?"),
    (SP, SP + "\n  socketio_path: socket.io", "socketio_path", f"{W}.socketio_path", "empieza por «/»"),
    (SP, SP + "\n  namespace: chat", "namespace", f"{W}.namespace", "empieza por «/»"),
    (SP, SP + "\n  jwt_method: HS999", "jwt_method", f"{W}.jwt_method", "algoritmo JWT desconocido"),
    (SP, SP + "\n  metadata_key: 7", "metadata_key", f"{W}.metadata_key", "debe ser un texto"),
    (SP, SP + "\n  jwt_key: '${JWT}'", "jwt_key", f"{W}.jwt_key", "entre comillas"),
    (RI, RI + "\n  rate_limit: 5", "rate_limit", "channels.rest.RestInput.rate_limit", "REST_*"),
    (TI, TI + "\n  access_token: x", "access_token", "channels.telegram.TelegramInput.access_token", "TELEGRAM_*"),
    (TI, TI + " telegram", "TelegramInput", "channels.telegram.TelegramInput", "mapa de claves"),
    (RI, "channels.rest.RestInputt:", "RestInputt", "channels.rest.RestInputt",
     "¿quisiste decir 'channels.rest.RestInput'?"),
    (TI, "telegram:", "telegram:", "telegram", "usa channels.telegram.TelegramInput"),
    (TI, "rest:", "rest:", "rest", "ya usa la ruta /webhooks/rest/"),
    (TI, RI, RI + "\n", "channels.rest.RestInput", "clave repetida (ya está en la línea 6)"),
    (TI, TI + "\n  - a", "  - a", "channels.telegram.TelegramInput", "mapa de claves"),
    (BE, "  bot_message_evt: 'bot_uttered", "bot_message_evt", "(sintaxis)", "YAML inválido"),
]


@pytest.mark.parametrize("old, new, needle, key, words", REPLACE, ids=[r[1].strip()[:40] for r in REPLACE])
def test_a_broken_credentials_file_is_named_with_its_line(tmp_path, old, new, needle, key, words):
    assert CREDENTIALS.count(old) == 1
    text = CREDENTIALS.replace(old, new)
    report, cred, _ = check(tmp_path, credentials=text)
    # The duplicate is the second occurrence of the needle.
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle.rstrip("\n") in line]
    line = lines[-1] if "repetida" in words or "ruta" in words else lines[0]
    if key == "(sintaxis)":  # the parser reports where it noticed: at or after the bad line
        [p] = report.errors
        assert p.path == cred and p.line >= line and words in p.message
        assert str(p).startswith(f"{cred}:{p.line}: clave '(sintaxis)': YAML inválido")
        return
    found = [p for p in error_at(report, cred, line) if p.key == key and words in p.message]
    assert found, "\n".join(map(str, report.problems))
    assert str(found[0]).startswith(f"{cred}:{line}: clave '{key}': ")


@pytest.mark.parametrize("text, line, words", [
    ("", None, "vacío"),
    ("- channels.rest.RestInput\n", 1, "mapa de claves"),
    ("# only a comment\n", None, "vacío"),
    ("5055: x\n", 1, "debe ser un texto"),
])
def test_a_credentials_file_that_is_not_a_mapping_of_channels(tmp_path, text, line, words):
    report, cred, _ = check(tmp_path, credentials=text)
    [p] = [p for p in report.errors if p.path == cred]
    assert p.line == line and words in p.message


def test_a_missing_file_is_named(tmp_path):
    report = run_checks(str(tmp_path / "no-such.yml"), str(ROOT / "endpoints.yml"), {})
    [p] = report.errors
    assert p.path == str(tmp_path / "no-such.yml") and "no se puede leer" in p.message


def test_every_problem_of_a_file_is_reported_not_only_the_first(tmp_path):
    text = """\
        channels.rest.RestInput:
          rate_limit: 5
        channels.webchat.WebChatInput:
          user_message_evt: ""
          bot_message_evt: 5
          session_persistence: yes
          jwt_key: ${NOT_SET_ANYWHERE}
        channels.telegram.TelegramInput:
          access_token: abc
        telegrm:
        """
    report, cred, _ = check(tmp_path, credentials=text)
    assert sorted(p.line for p in report.errors) == [2, 4, 5, 6, 7, 9, 10]
    assert all(p.path == cred for p in report.errors)
    assert "NOT_SET_ANYWHERE" in next(p.message for p in report.errors if p.line == 7)


def test_widget_incompatible_but_legal_values_only_warn(tmp_path):
    text = """\
        channels.webchat.WebChatInput:
          user_message_evt: mensaje
          bot_message_evt: respuesta
          session_persistence: false
        rest:
        """
    report, cred, _ = check(tmp_path, credentials=text)
    assert report.ok, "\n".join(map(str, report.errors))
    assert sorted((p.line, p.warning) for p in report.problems) == [(2, True), (3, True), (4, True), (5, True)]


def test_a_variable_that_is_set_is_substituted_and_checked(tmp_path):
    text = CREDENTIALS.replace(SP, SP + "\n  socketio_path: ${SIO_PATH}")
    line = line_of(text, "socketio_path")
    report, cred, _ = check(tmp_path, credentials=text, env={"SIO_PATH": "socket.io"})
    assert [p.line for p in report.errors] == [line] and "'socket.io'" in report.errors[0].message
    report, _, _ = check(tmp_path, credentials=text, env={"SIO_PATH": "/socket.io"})
    assert report.ok


@pytest.mark.parametrize("value, words", [
    ("0x1", "no 1"),  # YAML 1.2 as Rasa reads it: a number, not a switch
    ("~", "no vacío"),
    ("{a: 1}", "un mapa o una lista"),
])
def test_values_have_the_type_rasa_gives_them(tmp_path, value, words):
    text = CREDENTIALS.replace(SP, f"  session_persistence: {value}")
    report, cred, _ = check(tmp_path, credentials=text)
    [p] = report.errors
    assert (p.path, p.line) == (cred, line_of(text, "session_persistence")) and words in p.message


def test_the_widget_keys_are_the_channels_own_check_and_rasa_run_refuses_the_same(tmp_path):
    from rasa.shared.utils.io import read_config_file

    from channels.webchat.input import WebChatInput

    production = read_config_file(ROOT / "credentials.yml")[WEBCHAT]  # as Rasa reads it
    assert WebChatInput.from_credentials(production).session_persistence is True
    text = CREDENTIALS.replace(SP, "  session_persistence: yes")
    report, _, _ = check(tmp_path, credentials=text)
    [p] = report.errors
    with pytest.raises(SettingsError) as e:
        WebChatInput.from_credentials(read_config_file(tmp_path / "cred.yml")[WEBCHAT])
    assert p.message in str(e.value) and "session_persistence" in str(e.value)


# --- endpoints.yml ------------------------------------------------------------------------------
URL = '  url: "http://127.0.0.1:5055/webhook"'
TS = "  type: stores.EnvTrackerStore"
LS = "  type: stores.EnvLockStore"
AE = "action_endpoint.url"
ENDPOINT_CASES = [
    (URL, '  url: "ftp://127.0.0.1:5055/webhook"', "url:", AE, "http:// o https://"),
    (URL, '  url: "http:///webhook"', "url:", AE, "no tiene host"),
    (URL, '  url: "http://127.0.0.1:99999/webhook"', "url:", AE, "entre 1 y 65535"),
    (URL, "  url: 5055", "url:", AE, "debe ser un texto"),
    (URL, "  url: ${ACTION_URL}", "url:", AE, "ACTION_URL no está definida"),
    (URL, "  url: http://127.0.0.1:${ACTION_PORT_X}/webhook", "url:", AE, "ACTION_PORT_X no está definida"),
    (URL, URL + "\n  timout: 5", "timout", "action_endpoint.timout", "¿quisiste decir 'timeout'?"),
    (URL, URL + "\n  basic_auth:\n    username: bot", "basic_auth", "action_endpoint.basic_auth.password",
     "falta esta clave"),
    (URL, "  ur: http://127.0.0.1:5055/webhook", "action_endpoint:", AE, "falta esta clave"),
    (TS, "  type: stores.EnvTrackerStor", "EnvTrackerStor", "tracker_store.type",
     "¿quisiste decir 'stores.EnvTrackerStore'?"),
    (TS, TS + "\n  db: tracker.db", "db: tracker.db", "tracker_store.db", "clave desconocida"),
    (TS, TS + "\n  url: mysql://h/db", "mysql", "tracker_store.url", "no admitido"),
    (TS, "  url: sqlite:///tracker.db", "tracker_store:", "tracker_store.type", "memoria"),
    (LS, "  type: Redis", "type: Redis", "lock_store.type", "tipo desconocido"),
    (LS, LS + "\n  url: redis://127.0.0.1:6379/1\n  key_prefix: al-invest", "key_prefix", "lock_store.key_prefix",
     "LOCK_STORE_KEY_PREFIX"),
    ("tracker_store:", "traker_store:", "traker_store", "traker_store", "¿quisiste decir 'tracker_store'?"),
    ("action_endpoint:", "action_endpoint:\n  url: http://127.0.0.1:5055/webhook\naction_endpoint:",
     "action_endpoint:\n", "action_endpoint", "clave repetida (ya está en la línea 2)"),
]


@pytest.mark.parametrize(
    "old, new, needle, key, words", ENDPOINT_CASES, ids=[c[1].strip()[:40] for c in ENDPOINT_CASES]
)
def test_a_broken_endpoints_file_is_named_with_its_line(tmp_path, old, new, needle, key, words):
    assert ENDPOINTS.count(old) == 1
    text = ENDPOINTS.replace(old, new)
    report, _, end = check(tmp_path, endpoints=text)
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle.rstrip("\n") in line]
    line = lines[-1] if "repetida" in words else lines[0]
    found = [p for p in error_at(report, end, line) if p.key == key and words in p.message]
    assert found, "\n".join(map(str, report.problems))
    assert str(found[0]).startswith(f"{end}:{line}: clave '{key}': ")


def test_an_endpoints_file_without_action_endpoint(tmp_path):
    report, _, end = check(tmp_path, endpoints="tracker_store:\n  type: stores.EnvTrackerStore\n")
    assert [(p.path, p.key) for p in report.errors] == [(end, "action_endpoint")]


def test_an_unknown_section_warns_but_a_misspelt_one_stops(tmp_path):
    report, _, end = check(tmp_path, endpoints=ENDPOINTS + "\nbench:\n  users: 50\n")
    assert report.ok and [(p.key, p.warning) for p in report.problems] == [("bench", True)]
    report, _, end = check(tmp_path, endpoints=ENDPOINTS + "\nevent_brokr:\n  type: pika\n")
    assert not report.ok and "¿quisiste decir 'event_broker'?" in report.errors[0].message
    assert report.errors[0].line == line_of(ENDPOINTS + "\nevent_brokr:\n", "event_brokr")


def test_rasa_store_types_pass_and_a_missing_tracker_store_warns(tmp_path):
    endpoints = """\
        action_endpoint:
          url: http://127.0.0.1:5055/webhook
        lock_store:
          type: in_memory
        """
    report, _, end = check(tmp_path, endpoints=endpoints)
    assert report.ok and [(p.path, p.key, p.warning) for p in report.problems] == [(end, "tracker_store", True)]
    sql = endpoints.replace("lock_store", "tracker_store").replace("in_memory", "SQL")
    report, _, _ = check(tmp_path, endpoints=sql)
    assert report.problems == []


def test_the_script_action_port_must_be_the_one_in_the_url(tmp_path):
    report, _, end = check(tmp_path, action_port=5056)
    [p] = report.errors
    assert (p.path, p.line, p.key) == (end, line_of(ENDPOINTS, "url:"), "action_endpoint.url")
    assert "ACTION_PORT=5056" in p.message
    report, _, _ = check(tmp_path, action_port=5055)
    assert report.ok


def test_a_store_url_from_the_file_is_named_with_its_line_and_the_variable_with_its_name(tmp_path):
    text = ENDPOINTS.replace("  type: stores.EnvTrackerStore", "  type: stores.EnvTrackerStore\n  url: mysql://h/db")
    report, _, end = check(tmp_path, endpoints=text, env={"TRACKER_STORE_URL": "ftp://x"})
    [p] = report.errors  # the variable wins over the file's url: only it is reported
    assert p.path == "entorno" and "TRACKER_STORE_URL" in p.message


# --- environment --------------------------------------------------------------------------------
BAD_VARIABLES = {
    "CHANNEL_REPLY_TIMEOUT": "abc",
    "CHANNEL_MAX_MESSAGE_CHARS": "0",
    "REST_RATE_LIMIT": "-1",
    "REST_RATE_WINDOW": "0",
    "REST_MAX_BODY_BYTES": "1",
    "BOT_PORT": "99999",
    "ACTION_PORT": "http",
    "WEBCHAT_ALLOWED_ORIGINS": "ftp://camara.example",
    "TELEGRAM_TOKEN": "no-es-un-token",
    "TELEGRAM_RATINGS": "quizas",
    "TRACKER_STORE_URL": "mysql://h/db",
    "LOCK_STORE_URL": "http://localhost",
    "CORS_ORIGINS": "https://camara.example/",
}


def test_every_bad_variable_is_named_in_one_run(tmp_path):
    report, _, _ = check(tmp_path, env=BAD_VARIABLES)
    messages = [p.message for p in report.errors]
    assert all(p.path == "entorno" and p.line is None for p in report.errors), "\n".join(map(str, report.errors))
    for name in BAD_VARIABLES:
        assert any(name in m for m in messages), f"{name} not reported:\n" + "\n".join(messages)
    assert len(report.errors) == len(BAD_VARIABLES)


@pytest.mark.parametrize("name, value", sorted(BAD_VARIABLES.items()))
def test_each_bad_variable_alone_stops_start_up(tmp_path, name, value):
    report, _, _ = check(tmp_path, env={name: value})
    [p] = report.errors
    assert name in str(p) and str(p).startswith("entorno: ")


def test_combinations_of_telegram_variables_are_checked(tmp_path):
    report, _, _ = check(tmp_path, env={"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_MODE": "webhook"})
    [p] = report.errors
    assert "TELEGRAM_WEBHOOK_URL" in p.message


def test_sanic_workers_without_redis_is_refused(tmp_path):
    report, _, _ = check(tmp_path, env={"SANIC_WORKERS": "2"})
    [p] = report.errors
    assert "SANIC_WORKERS" in p.message and "LOCK_STORE_URL" in p.message


def test_a_broken_knowledge_file_is_reported_with_its_line(tmp_path):
    text = KNOWLEDGE_FILE.read_text(encoding="utf-8").replace("value: 5375", "value: cinco mil", 1)
    knowledge = write(tmp_path, "k.yml", text)
    report, _, _ = check(tmp_path, env={"ALINVEST_KNOWLEDGE_FILE": str(knowledge)})
    [p] = report.errors
    assert (p.path, p.line) == (str(knowledge), line_of(text, "cinco mil"))


# --- CORS ---------------------------------------------------------------------------------------
def test_every_bad_cors_origin_is_reported(tmp_path):
    report, _, _ = check(tmp_path, env={"CORS_ORIGINS": "https://a.pe/, https://ok.pe, http://b.pe:80"})
    assert len(report.errors) == 2
    assert "'https://a.pe/'" in report.errors[0].message and "'http://b.pe:80'" in report.errors[1].message


def test_a_cors_origin_the_widget_also_allows_is_refused(tmp_path):
    # Both lists would send Access-Control-Allow-Origin on /socket.io/: twice.
    report, _, _ = check(tmp_path, env={"CORS_ORIGINS": "http://localhost:3000"})  # default widget origins: localhost:*
    [p] = report.errors
    assert "CORS_ORIGINS" in p.message and "WEBCHAT_ALLOWED_ORIGINS" in p.message
    env = {"CORS_ORIGINS": "http://localhost:3000", "WEBCHAT_ALLOWED_ORIGINS": "https://camara.example"}
    report, _, _ = check(tmp_path, env=env)
    assert report.ok
    no_widget = CREDENTIALS.split(WEBCHAT)[0]
    report, _, _ = check(tmp_path, credentials=no_widget, env={"CORS_ORIGINS": "http://localhost:3000"})
    assert report.ok


def test_cors_star_needs_an_empty_widget_list_and_warns(tmp_path):
    report, _, _ = check(tmp_path, env={"CORS_ORIGINS": "*"})
    assert not report.ok and "WEBCHAT_ALLOWED_ORIGINS" in report.errors[0].message
    report, _, _ = check(tmp_path, env={"CORS_ORIGINS": "*", "WEBCHAT_ALLOWED_ORIGINS": ""})
    assert report.ok and report.cors_origins == ["*"] and len(report.warnings) == 1


# --- the command --------------------------------------------------------------------------------
def _run(args, env=None):
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "channels.preflight", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_the_command_exits_2_naming_every_file_and_line(tmp_path):
    cred = write(tmp_path, "broken-credentials.yml", CREDENTIALS.replace(SP, "  session_persistence: si"))
    end = write(tmp_path, "broken-endpoints.yml", ENDPOINTS.replace("stores.EnvLockStore", "stores.LockStore"))
    result = _run(["--credentials", str(cred), "--endpoints", str(end)], {"CHANNEL_REPLY_TIMEOUT": "pronto"})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    line = line_of(CREDENTIALS, "session_persistence")
    assert f"{cred}:{line}: clave '{WEBCHAT}.session_persistence'" in result.stderr
    assert f"{end}:{line_of(ENDPOINTS, 'stores.EnvLockStore')}: clave 'lock_store.type'" in result.stderr
    assert "entorno: CHANNEL_REPLY_TIMEOUT='pronto'" in result.stderr
    assert "3 problemas" in result.stderr.splitlines()[-1]


def test_the_command_prints_one_line_when_all_is_well():
    result = _run(["--credentials", "credentials.yml", "--endpoints", "endpoints.yml", "--action-port", "5055"],
                  {"CORS_ORIGINS": "https://camara.example"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.startswith("Configuración correcta") and "https://camara.example" in line


def test_main_in_process_returns_2(tmp_path, capsys):
    cred = write(tmp_path, "c.yml", "channels.rest.RestInput:\n  x: 1\n")
    assert main(["--credentials", str(cred), "--endpoints", str(ROOT / "endpoints.yml")], environ={}) == 2
    assert f"{cred}:2: clave 'channels.rest.RestInput.x'" in capsys.readouterr().err


def test_importing_the_module_has_no_side_effects_and_no_rasa():
    modules = "('rasa', 'sanic', 'stores', 'channels.webchat')"
    code = f"import sys, channels.preflight; print(sorted(m for m in {modules} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "[]", "")
