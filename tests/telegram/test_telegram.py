"""The Telegram connector, against a fake Bot API on 127.0.0.1 (never Telegram).

First the pieces without servers (configuration, text splitting, buttons, the
routing of updates), then the real `rasa run` with our connector: once in
webhook mode (updates POSTed with and without the secret) and once in polling
mode (queued updates, errors, a restart).  Every wait polls the fake API's
record with a deadline.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import time
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from settings import SettingsError as TelegramConfigError
from settings.channels import TELEGRAM_DISABLED as DISABLED_MESSAGE
from settings.channels import TelegramConfig
from settings.channels import telegram_status as status_line
from channels.telegram.text import (
    MAX_CALLBACK_DATA_BYTES,
    chat_id_of,
    inline_keyboard,
    sender_id_for,
    split_text,
    utf16_len,
)
from tests.support.phrases import UNSURE as SHARED_UNSURE
from tests.support.fuzz import (
    assert_events_intact,
    fuzz_settings,
    json_scalars,
    json_values,
    stored_user_texts,
    weighted,
)
from tools.stack import MODEL, ROOT, VENV_BIN, free_port, http
from tests.telegram import fuzz_updates as fuzz
from tests.telegram.conftest import SECRET, WEBHOOK_URL
from tests.telegram.fake_bot_api import (
    BOT,
    TOKEN,
    FakeBotAPI,
    callback_update,
    group_chat,
    message,
    private_chat,
    text_update,
    user,
)

# Phrases a model tends to be unsure about; the first that gets topic buttons
# from the model under test is used (the shared one first).
UNSURE = SHARED_UNSURE

QUESTION = "¿Cuántas mipymes peruanas se beneficiaron?"
FACT = "5.375"
SECTORS_PAYLOAD, SECTOR = "/ask_sectors", "textil"
TEXT_ONLY = "Solo puedo leer mensajes de texto"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

_users = itertools.count(700001)


def new_user() -> int:
    return next(_users)


def texts(calls) -> str:
    return "\n".join(c.params.get("text", "") for c in calls)


# =========================================================================================================
# Configuration (no servers)
# =========================================================================================================

WEBHOOK_ENV = {
    "TELEGRAM_TOKEN": TOKEN,
    "TELEGRAM_MODE": "webhook",
    "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
    "TELEGRAM_SECRET_TOKEN": SECRET,
}


def test_without_a_token_telegram_is_off():
    assert TelegramConfig.from_env({}) is None
    assert status_line({"TELEGRAM_MODE": "webhook"}) == DISABLED_MESSAGE


@pytest.mark.parametrize(
    "env, mode",
    [
        ({"TELEGRAM_TOKEN": TOKEN}, "polling"),
        ({"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_MODE": "POLLING", "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL}, "polling"),
        (WEBHOOK_ENV, "webhook"),
        ({k: v for k, v in WEBHOOK_ENV.items() if k != "TELEGRAM_MODE"}, "webhook"),
    ],
)
def test_valid_configurations(env, mode):
    config = TelegramConfig.from_env(env)
    assert config.mode == mode
    assert config.api_url == "https://api.telegram.org"
    assert status_line(env) == f"Telegram activado (modo {mode})"


@pytest.mark.parametrize(
    "change, variable",
    [
        ({"TELEGRAM_WEBHOOK_URL": ""}, "TELEGRAM_WEBHOOK_URL"),
        ({"TELEGRAM_SECRET_TOKEN": ""}, "TELEGRAM_SECRET_TOKEN"),
        ({"TELEGRAM_WEBHOOK_URL": "http://bot.example.test/webhooks/telegram/webhook"}, "TELEGRAM_WEBHOOK_URL"),
        ({"TELEGRAM_SECRET_TOKEN": "no spaces allowed"}, "TELEGRAM_SECRET_TOKEN"),
        ({"TELEGRAM_MODE": "websocket"}, "TELEGRAM_MODE"),
        ({"TELEGRAM_TOKEN": "not-a-token"}, "TELEGRAM_TOKEN"),
        ({"TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL"),
        ({"TELEGRAM_POLL_TIMEOUT": "90"}, "TELEGRAM_POLL_TIMEOUT"),
    ],
)
def test_invalid_configurations_name_the_variable(change, variable):
    with pytest.raises(TelegramConfigError, match=variable):
        TelegramConfig.from_env({**WEBHOOK_ENV, **change})


def test_rasa_stops_with_the_spanish_error(monkeypatch):
    from channels.telegram import TelegramInput
    from settings import SettingsError as TelegramConfigurationError
    from rasa.shared.exceptions import RasaException

    for k, v in {**WEBHOOK_ENV, "TELEGRAM_SECRET_TOKEN": ""}.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(TelegramConfigurationError, match="TELEGRAM_SECRET_TOKEN no está definido") as e:
        TelegramInput.from_credentials(None)
    assert isinstance(e.value, RasaException)  # rasa's CLI prints it and exits with 1


def test_rasa_run_exits_at_start_up_naming_the_variable(tmp_path):
    """The real CLI: no model is loaded, the channel refuses first."""
    (tmp_path / "credentials.yml").write_text("channels.telegram.TelegramInput:\n")
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TELEGRAM_STATE_DIR": str(tmp_path),
        **{k: v for k, v in WEBHOOK_ENV.items() if k != "TELEGRAM_WEBHOOK_URL"},
        "TELEGRAM_WEBHOOK_URL": "",
    }
    run = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(MODEL),
            "--port",
            str(free_port()),
            "--interface",
            "127.0.0.1",
            "--credentials",
            str(tmp_path / "credentials.yml"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 1
    assert "TELEGRAM_WEBHOOK_URL no está definido" in run.stdout + run.stderr


# =========================================================================================================
# Text, ids, buttons (no servers)
# =========================================================================================================


def _paragraphs(n: int, size: int) -> str:
    return "\n\n".join(f"Párrafo {i}. " + "palabra_*[ " * (size // 11) for i in range(n))


@pytest.mark.parametrize(
    "text",
    [
        "Una respuesta corta con _guiones_bajos_, *asteriscos* y [corchetes.",
        _paragraphs(12, 900),  # ~10 800 characters in paragraphs
        "Una sola línea sin saltos. " * 400,  # sentences only
        "x" * 9000,  # no boundary at all
        "😀" * 3000,  # 2 UTF-16 units each: 6000 units
    ],
)
def test_split_text_keeps_every_word_under_the_limit(text):
    parts = split_text(text)
    assert parts and all(0 < utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    if utf16_len(text) <= 4096:
        assert parts == [text]


def test_split_text_cuts_at_a_paragraph():
    text = _paragraphs(12, 900)
    for part in split_text(text)[:-1]:
        assert text[text.index(part) + len(part) :].lstrip(" ").startswith("\n\n")


def test_split_text_of_nothing_is_nothing():
    assert split_text("  \n ") == []


@pytest.mark.parametrize(
    "chat, sender, expected",
    [
        (private_chat(42), user(42), "42"),
        (group_chat(-1001234), user(42), "-1001234:42"),
        ({"id": -55, "type": "group"}, user(7), "-55:7"),
    ],
)
def test_one_conversation_per_user_and_per_group_member(chat, sender, expected):
    assert sender_id_for(chat, sender) == expected
    assert chat_id_of(expected) == chat["id"]


def test_buttons_become_an_inline_keyboard_with_short_callback_data():
    long_payload = '/ask_sector{"sector": "' + "metalmecánica " * 8 + '"}'
    remembered = {}
    keyboard = inline_keyboard(
        [
            {"title": "Sectores más activos", "payload": SECTORS_PAYLOAD},
            {"title": "Un sector", "payload": long_payload},
            {"title": "La nota", "url": "https://example.org/nota"},
            {"title": "", "payload": "/nada"},
        ],
        remembered.__setitem__,
    )
    rows = keyboard["inline_keyboard"]
    assert [len(r) for r in rows] == [1, 1, 1]
    assert rows[0][0] == {"text": "Sectores más activos", "callback_data": SECTORS_PAYLOAD}
    key = rows[1][0]["callback_data"]
    assert len(key.encode()) <= MAX_CALLBACK_DATA_BYTES and remembered == {key: long_payload}
    assert rows[2][0] == {"text": "La nota", "url": "https://example.org/nota"}
    assert inline_keyboard([], remembered.__setitem__) is None


# =========================================================================================================
# Routing of updates, in process (fake API, a recording assistant, no model)
# =========================================================================================================


class Recorder:
    """Stands for Rasa's on_new_message: records, and answers "ok: <text>"."""

    def __init__(self):
        self.messages = []

    async def __call__(self, msg):
        self.messages.append((msg.text, msg.sender_id))
        await msg.output_channel.send_response(msg.sender_id, {"text": f"ok: {msg.text}"})


def make_channel(fake: FakeBotAPI, state_dir, **env):
    from channels.telegram import TelegramInput

    config = TelegramConfig.from_env(
        {**WEBHOOK_ENV, "TELEGRAM_API_URL": fake.url, "TELEGRAM_STATE_DIR": str(state_dir), **env}
    )
    channel = TelegramInput(config)
    channel.api.base_delay = 0.01
    return channel


async def _route(fake, state_dir, update):
    channel, recorder = make_channel(fake, state_dir), Recorder()
    await channel._identify()
    try:
        outcome = await channel.handle_update(update, recorder)
    finally:
        await channel.api.close()
    return outcome, recorder.messages


GROUP = group_chat(-1009876)
BOT_MESSAGE = message(GROUP, BOT, "Los sectores más activos fueron ...")


@pytest.mark.parametrize(
    "name, update, outcome, to_rasa",
    [
        ("text", text_update(42, "hola, ¿qué es esto?"), "handled", [("hola, ¿qué es esto?", "42")]),
        ("/start", text_update(42, "/start"), "handled", [("/greet", "42"), ("/ask_capabilities", "42")]),
        ("/ayuda", text_update(42, "/ayuda"), "handled", [("/ask_capabilities", "42")]),
        ("typed intent", text_update(42, "/ask_budget"), "handled", [("/ask_capabilities", "42")]),
        (
            "group, not addressed",
            {"message": message(GROUP, user(42), "¿qué sectores participaron?")},
            "ignored:not-addressed",
            [],
        ),
        (
            "group, mention",
            {"message": message(GROUP, user(42), "@AlInvest_Test_Bot ¿qué sectores participaron?")},
            "handled",
            [("¿qué sectores participaron?", "-1009876:42")],
        ),
        (
            "group, reply",
            {"message": message(GROUP, user(43), "¿y en total?", reply_to_message=BOT_MESSAGE)},
            "handled",
            [("¿y en total?", "-1009876:43")],
        ),
        (
            "group, our command",
            {"message": message(GROUP, user(42), "/ayuda@alinvest_test_bot")},
            "handled",
            [("/ask_capabilities", "-1009876:42")],
        ),
        (
            "group, other bot's command",
            {"message": message(GROUP, user(42), "/ayuda@otro_bot")},
            "ignored:not-addressed",
            [],
        ),
        ("edited", {"edited_message": message(private_chat(42), user(42), "hola")}, "ignored:edited_message", []),
        (
            "my_chat_member",
            {
                "my_chat_member": {
                    "chat": GROUP,
                    "from": user(42),
                    "date": 0,
                    "old_chat_member": {"status": "left", "user": BOT},
                    "new_chat_member": {"status": "member", "user": BOT},
                }
            },
            "ignored:my_chat_member",
            [],
        ),
        (
            "channel_post",
            {"channel_post": message({"id": -1002, "type": "channel"}, user(42), "noticia")},
            "ignored:channel_post",
            [],
        ),
        ("from a bot", {"message": message(private_chat(42), dict(user(42), is_bot=True), "hola")}, "ignored:bot", []),
        ("service", {"message": message(GROUP, user(42), new_chat_members=[user(44)])}, "ignored:not-addressed", []),
        (
            "sticker",
            {"message": message(private_chat(42), user(42), sticker={"file_id": "s", "emoji": "👍"})},
            "text-only",
            [],
        ),
        (
            "location",
            {"message": message(private_chat(42), user(42), location={"latitude": -12.05, "longitude": -77.04})},
            "text-only",
            [],
        ),
        ("empty", {}, "ignored:vacía", []),
    ],
)
def test_routing(tmp_path, fake_api, name, update, outcome, to_rasa):
    fake_api.reset()
    update = dict(update, update_id=fake_api.next_update_id())
    got, messages = asyncio.run(_route(fake_api, tmp_path, update))
    assert (got, messages) == (outcome, to_rasa), name
    sends = fake_api.calls_of("sendMessage")
    if outcome == "text-only":
        assert len(sends) == 1 and TEXT_ONLY in sends[0].params["text"]
    else:
        assert len(sends) == len(to_rasa)
    if to_rasa and name.startswith("group"):
        assert sends[0].params["chat_id"] == GROUP["id"]
        assert sends[0].params["reply_parameters"]["message_id"] == update["message"]["message_id"]


@pytest.mark.parametrize(
    "name, update, outcome",
    [
        ("message is a string", {"message": "hola"}, "ignored:malformed"),
        ("callback_query is a list", {"callback_query": [1]}, "ignored:malformed"),
        (
            "chat is a list",
            {"message": dict(message(private_chat(42), user(42), "hola"), chat=[42])},
            "ignored:no-user",
        ),
        (
            "ids are strings",
            {"message": message({"id": "42", "type": "private"}, dict(user(42), id="42"), "hola")},
            "ignored:malformed",
        ),
        (
            "id is true",
            {"message": message({"id": True, "type": "private"}, dict(user(42), id=True), "hola")},
            "ignored:malformed",
        ),
        ("text is a number", {"message": dict(message(private_chat(42), user(42)), text=5)}, "ignored:malformed"),
        (
            "group, entities a string",
            {"message": message(GROUP, user(42), "hola", entities="x", reply_to_message=[1])},
            "ignored:not-addressed",
        ),
        (
            "group, caption a number",
            {"message": message(GROUP, user(42), caption=5, photo=[])},
            "ignored:not-addressed",
        ),
        (
            "callback data a number",
            {
                "callback_query": {
                    "id": "q1",
                    "from": user(42),
                    "data": 5,
                    "message": message(private_chat(42), BOT, "x"),
                }
            },
            "ignored:callback",
        ),
        (
            "callback message a string",
            {"callback_query": {"id": "q2", "from": user(42), "data": "/ask_sectors", "message": "x"}},
            "ignored:callback",
        ),
        (
            "rating, message a list",
            {"callback_query": {"id": "q3", "from": user(42), "data": '/rate{"rating":"up"}', "message": [1]}},
            "ignored:callback",
        ),
        ("my_chat_member a string", {"my_chat_member": "x"}, "ignored:my_chat_member"),
    ],
)
def test_malformed_updates_are_ignored_without_an_error(tmp_path, fake_api, name, update, outcome):
    """What the fuzz tests found, one case each: ignored, nothing reaches Rasa, nothing raises."""
    fake_api.reset()
    update = dict(update, update_id=fake_api.next_update_id())
    got, messages = asyncio.run(_route(fake_api, tmp_path, update))
    assert (got, messages) == (outcome, []), name
    assert fake_api.calls_of("sendMessage") == []


@pytest.mark.parametrize(
    "text, to_rasa",
    [
        ("hola\x00\x1b ¿qué?", "hola ¿qué?"),  # control characters removed
        ("\ud800 hola", "\ufffd hola"),  # a lone surrogate (spaCy raises on it) replaced
        ("\x00\x01", "/ask_capabilities"),  # nothing left: the help
    ],
)
def test_texts_are_made_readable_before_rasa(tmp_path, fake_api, text, to_rasa):
    fake_api.reset()
    update = text_update(42, text, update_id=fake_api.next_update_id())
    assert asyncio.run(_route(fake_api, tmp_path, update)) == ("handled", [(to_rasa, "42")])


def test_the_same_update_is_handled_once(tmp_path, fake_api):
    fake_api.reset()

    async def run():
        channel, recorder = make_channel(fake_api, tmp_path), Recorder()
        update = text_update(42, "hola", update_id=fake_api.next_update_id())
        outcomes = [await channel.handle_update(update, recorder) for _ in range(2)]
        await channel.api.close()
        return outcomes, recorder.messages

    assert asyncio.run(run()) == (["handled", "duplicate"], [("hola", "42")])


@pytest.mark.parametrize("behaviour", ["raises", "silent"])
def test_a_turn_that_fails_or_says_nothing_gets_the_no_data_notice(tmp_path, fake_api, behaviour):
    from channels.messages import NO_DATA_MESSAGE

    fake_api.reset()

    async def assistant(msg):
        if behaviour == "raises":
            raise RuntimeError("action server down")

    async def run():
        channel = make_channel(fake_api, tmp_path)
        outcome = await channel.handle_update(text_update(42, QUESTION, update_id=fake_api.next_update_id()), assistant)
        await channel.api.close()
        return outcome

    assert asyncio.run(run()).startswith("fallback:")
    assert [c.params["text"] for c in fake_api.sent_to(42)] == [NO_DATA_MESSAGE]


def test_reiniciar_restarts_silently_then_greets(tmp_path, fake_api):
    fake_api.reset()
    seen = []

    async def assistant(msg):
        seen.append(msg.text)
        if msg.text != "/restart":
            await msg.output_channel.send_response(msg.sender_id, {"text": "¡Hola!"})

    async def run():
        channel = make_channel(fake_api, tmp_path)
        outcome = await channel.handle_update(
            text_update(42, "/reiniciar", update_id=fake_api.next_update_id()), assistant
        )
        await channel.api.close()
        return outcome

    assert asyncio.run(run()) == "handled"
    assert seen == ["/restart", "/greet"]
    assert [c.params["text"] for c in fake_api.sent_to(42)] == ["¡Hola!"]


def test_a_long_payload_survives_a_restart(tmp_path, fake_api):
    fake_api.reset()
    payload = '/ask_sector{"sector": "' + "carpintería " * 10 + '"}'

    async def run():
        first = make_channel(fake_api, tmp_path)
        await first.get_output_channel().send_text_with_buttons(
            "42", "¿Cuál?", [{"title": "Carpintería", "payload": payload}]
        )
        await first.api.close()
        first.state.close()
        data = fake_api.calls_of("sendMessage")[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        second, recorder = make_channel(fake_api, tmp_path), Recorder()  # a restarted bot
        update = dict(callback_update(42, data), update_id=fake_api.next_update_id())
        await second.handle_update(update, recorder)
        await second.api.close()
        return data, recorder.messages

    data, messages = asyncio.run(run())
    assert len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
    assert messages == [(payload, "42")]
    assert fake_api.calls_of("answerCallbackQuery")


def test_a_failing_send_never_raises_into_rasa(tmp_path, fake_api):
    fake_api.reset()
    fake_api.fail_next("500", 10, method="sendMessage")

    async def run():
        channel = make_channel(fake_api, tmp_path)
        await channel.get_output_channel().send_text_message("42", "hola")
        await channel.api.close()

    asyncio.run(run())  # no exception
    assert [c.status for c in fake_api.calls_of("sendMessage")] == [500] * 4
    fake_api.clear_failures()


def test_the_api_client_retries_drops_5xx_and_429_but_not_400(fake_api):
    from channels.telegram.api import TelegramAPIError, TelegramBotAPI

    fake_api.reset()
    fake_api.fail_next("drop", 1, method="sendMessage")
    fake_api.fail_next("500", 1, method="sendMessage")
    fake_api.fail_next("429", 1, method="sendMessage", retry_after=1)

    async def run():
        api = TelegramBotAPI(TOKEN, fake_api.url, base_delay=0.01)
        try:
            result = await api.call("sendMessage", {"chat_id": 42, "text": "hola"})
            with pytest.raises(TelegramAPIError) as bad:
                await api.call("sendMessage", {"chat_id": 42, "text": " "})
            return result, bad.value
        finally:
            await api.close()

    result, bad = asyncio.run(run())
    assert result["text"] == "hola"
    assert [c.status for c in fake_api.calls_of("sendMessage")] == [0, 500, 429, 200, 400]
    assert bad.status == 400 and not bad.retryable and TOKEN not in str(bad)


class _Request:
    def __init__(self, body, headers, ready=True):
        self.body = json.dumps(body).encode()
        self.headers = headers
        self.ip = "127.0.0.1"
        self.app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(is_ready=lambda: ready)))


def test_without_a_token_the_webhook_answers_503():
    from channels.telegram import TelegramInput

    channel = TelegramInput(None)
    recorder = Recorder()
    resp = asyncio.run(channel._webhook(_Request(text_update(1, "hola"), {SECRET_HEADER: SECRET}), recorder))
    assert resp.status == 503 and recorder.messages == []
    assert channel.blueprint(recorder) is not None


def test_the_webhook_waits_for_the_model(tmp_path, fake_api):
    fake_api.reset()
    channel, recorder = make_channel(fake_api, tmp_path), Recorder()
    resp = asyncio.run(
        channel._webhook(_Request(text_update(1, "hola"), {SECRET_HEADER: SECRET}, ready=False), recorder)
    )
    assert resp.status == 503 and recorder.messages == []  # Telegram retries later


# =========================================================================================================
# The real `rasa run`, webhook mode
# =========================================================================================================


def post_update(stack, update, secret=SECRET):
    headers = {} if secret is None else {SECRET_HEADER: secret}
    return http("POST", f"{stack.url}/webhooks/telegram/webhook", update, headers=headers, timeout=90)


def tracker_events(stack, sender):
    status, body = http("GET", f"{stack.url}/conversations/{quote(sender, safe=':')}/tracker?include_events=ALL")
    assert status == 200, body
    return body["events"]


def user_texts(stack, sender):
    return [e.get("text") for e in tracker_events(stack, sender) if e["event"] == "user"]


def ask(stack, fake_api, uid, text):
    """POST one text update; the bot's sendMessage calls to that chat."""
    status, body = post_update(stack, text_update(uid, text))
    assert status == 200, body
    return fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, f"una respuesta a {text!r}")


@pytest.fixture
def webhook_still_answers(webhook_stack, fake_api):
    """After a fuzz test: rasa is up, a normal question gets its fact, every stored event is readable."""
    yield
    assert webhook_stack.procs["rasa"].poll() is None, webhook_stack.log("rasa")[-3000:]
    uid = new_user()
    assert FACT in texts(ask(webhook_stack, fake_api, uid, QUESTION))
    assert stored_user_texts(webhook_stack.workdir / "tracker.db", str(uid)) == [QUESTION]
    assert_events_intact(webhook_stack.workdir / "tracker.db")


@pytest.fixture
def polling_still_answers(polling_stack, fake_api):
    """The same in polling mode: the poller is alive and answers a queued question."""
    yield
    assert polling_stack.procs["rasa"].poll() is None, polling_stack.log("rasa")[-3000:]
    uid = new_user()
    fake_api.enqueue(text_update(uid, QUESTION))
    assert FACT in texts(fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, "la respuesta tras el fuzz"))
    assert_events_intact(polling_stack.workdir / "tracker.db")


def check_update_handled(stack, fake_api, update):
    """After an update was accepted: a person's private question was answered and stored as sent,
    and a button press was answered (the spinner stops)."""
    question, query = fuzz.private_question(update), fuzz.answerable_callback(update)
    if question is not None:
        uid = question["chat"]["id"]
        # Webhook: the update is handled before the 200; polling: before the next good one.
        sent = fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, f"la respuesta a {question['text'][:40]!r}")
        assert all(isinstance(t, str) and t.strip() for t in fuzz.sent_texts(sent)), sent
        stored = stored_user_texts(stack.workdir / "tracker.db", str(uid))
        assert len(stored) == 1 and fuzz.same_words(stored[0], fuzz.expected_stored(question["text"])), (
            stored,
            question["text"][:80],
        )
        event("pregunta respondida")
    if query is not None:
        assert fake_api.calls_of("answerCallbackQuery", callback_query_id=query["id"]), fake_api.summary()[-5:]
        event("botón atendido")


class TestWebhook:
    def test_start_up_sets_the_webhook_with_the_secret(self, webhook_stack, fake_api):
        calls = fake_api.wait_for(
            lambda: [c for c in fake_api.calls_of("setWebhook") if c.status == 200], 30, "setWebhook"
        )
        assert calls[-1].params["url"] == WEBHOOK_URL
        assert calls[-1].params["secret_token"] == SECRET
        assert "Telegram activado (modo webhook)" in webhook_stack.log("rasa")

    def test_a_question_gets_its_fact(self, webhook_stack, fake_api):
        uid = new_user()
        sent = ask(webhook_stack, fake_api, uid, QUESTION)
        assert FACT in texts(sent)
        assert all("parse_mode" not in c.params for c in sent)  # plain text: nothing to mis-parse
        assert user_texts(webhook_stack, str(uid)) == [QUESTION]

    def test_a_button_press_is_answered_and_gets_its_answer(self, webhook_stack, fake_api):
        uid = new_user()
        update = callback_update(uid, SECTORS_PAYLOAD)
        status, _ = post_update(webhook_stack, update)
        assert status == 200
        query_id = update["callback_query"]["id"]
        fake_api.wait_for(
            lambda: fake_api.calls_of("answerCallbackQuery", callback_query_id=query_id), 30, "answerCallbackQuery"
        )
        sent = fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, "la respuesta al botón")
        assert SECTOR in texts(sent)

    def test_a_clarification_offers_buttons_that_work(self, webhook_stack, fake_api):
        for phrase in dict.fromkeys(UNSURE):
            uid = new_user()
            sent = ask(webhook_stack, fake_api, uid, phrase)
            keyboards = [c.params["reply_markup"]["inline_keyboard"] for c in sent if "reply_markup" in c.params]
            # An answer's 👍/👎 (test_ratings.py) is not a clarification.
            keyboards = [
                k
                for k in keyboards
                if not any(b.get("callback_data", "").startswith("/rate") for row in k for b in row)
            ]
            if keyboards:
                break
        else:
            pytest.fail(f"none of {UNSURE} gets clarification buttons from this model")
        buttons = [b for row in keyboards[-1] for b in row]
        assert len(buttons) >= 2 and all(len(b["callback_data"].encode()) <= MAX_CALLBACK_DATA_BYTES for b in buttons)
        before = len(fake_api.sent_to(uid))
        update = callback_update(uid, buttons[0]["callback_data"])
        assert post_update(webhook_stack, update)[0] == 200
        fake_api.wait_for(lambda: len(fake_api.sent_to(uid)) > before, 60, "la respuesta al botón elegido")
        assert fake_api.calls_of("answerCallbackQuery", callback_query_id=update["callback_query"]["id"])
        assert user_texts(webhook_stack, str(uid))[-1] == buttons[0]["callback_data"]

    @pytest.mark.parametrize("secret, status", [(None, 401), ("wrong-secret", 403), (SECRET[:-1], 403)])
    def test_a_forged_update_is_refused(self, webhook_stack, fake_api, secret, status):
        uid = new_user()
        got, _ = post_update(webhook_stack, text_update(uid, QUESTION), secret=secret)
        assert got == status
        ask(webhook_stack, fake_api, new_user(), QUESTION)  # a genuine update, handled after it
        assert fake_api.sent_to(uid, ok_only=False) == []
        assert user_texts(webhook_stack, str(uid)) == []

    @pytest.mark.parametrize(
        "kind",
        [
            "sticker",
            "photo",
            "voice",
            "location",
            "my_chat_member",
            "channel_post",
            "edited_message",
            "group, no mention",
        ],
    )
    def test_updates_that_are_not_questions(self, webhook_stack, fake_api, kind):
        uid = new_user()
        chat, sender = private_chat(uid), user(uid)
        content = {
            "sticker": {
                "sticker": {
                    "file_id": "CAAC",
                    "file_unique_id": "u",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            },
            "photo": {
                "photo": [{"file_id": "AgAC", "file_unique_id": "p", "width": 90, "height": 90}],
                "caption": "mira",
            },
            "voice": {"voice": {"file_id": "AwAC", "file_unique_id": "v", "duration": 3}},
            "location": {"location": {"latitude": -12.0464, "longitude": -77.0428}},
        }
        if kind in content:
            update = {"message": message(chat, sender, **content[kind])}
        elif kind == "my_chat_member":
            update = {
                "my_chat_member": {
                    "chat": group_chat(-100 - uid),
                    "from": sender,
                    "date": 0,
                    "old_chat_member": {"status": "left", "user": BOT},
                    "new_chat_member": {"status": "member", "user": BOT},
                }
            }
        elif kind == "channel_post":
            update = {
                "channel_post": message(
                    {"id": -100 - uid, "type": "channel", "title": "Noticias"}, sender, "Hoy: " + QUESTION
                )
            }
        elif kind == "edited_message":
            original = message(chat, sender, QUESTION)
            assert post_update(webhook_stack, {"message": original})[0] == 200
            fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, "la respuesta al original")
            update = {"edited_message": dict(original, text=QUESTION + " (editado)", edit_date=int(time.time()))}
        else:
            update = {"message": message(group_chat(-100 - uid), sender, QUESTION)}
        before = len(fake_api.sent_to(uid, ok_only=False))
        status, body = post_update(webhook_stack, update)
        assert status == 200, body
        if kind in content:
            sent = fake_api.wait_for(lambda: fake_api.sent_to(uid), 30, "la respuesta «solo texto»")
            assert len(sent) == 1 and TEXT_ONLY in sent[0].params["text"]
        else:
            ask(webhook_stack, fake_api, new_user(), QUESTION)  # handled after it
            assert len(fake_api.sent_to(uid, ok_only=False)) == before
            assert fake_api.sent_to(-100 - uid, ok_only=False) == []

    def test_in_a_group_a_mention_gets_an_answer_for_that_member(self, webhook_stack, fake_api):
        uid, chat = new_user(), group_chat(-1005550001)
        msg = message(chat, user(uid), f"@{BOT['username']} {QUESTION}")
        assert post_update(webhook_stack, {"message": msg})[0] == 200
        sent = fake_api.wait_for(lambda: fake_api.sent_to(chat["id"]), 60, "la respuesta en el grupo")
        assert FACT in texts(sent)
        assert sent[0].params["reply_parameters"]["message_id"] == msg["message_id"]
        assert user_texts(webhook_stack, f"{chat['id']}:{uid}") == [QUESTION]

    def test_start_and_ayuda(self, webhook_stack, fake_api):
        uid = new_user()
        sent = ask(webhook_stack, fake_api, uid, "/start")
        fake_api.wait_for(lambda: len(fake_api.sent_to(uid)) >= 2, 30, "saludo y ayuda")
        reply = texts(fake_api.sent_to(uid))
        assert "Hola" in reply and "Puedo responder" in reply, reply
        uid = new_user()
        sent = ask(webhook_stack, fake_api, uid, "/ayuda")
        assert "Puedo responder" in texts(sent)
        uid = new_user()
        sent = ask(webhook_stack, fake_api, uid, "/reiniciar")
        assert "Hola" in texts(sent)
        assert any(e["event"] == "restart" for e in tracker_events(webhook_stack, str(uid)))

    def test_a_429_is_retried(self, webhook_stack, fake_api):
        uid = new_user()
        fake_api.fail_next("429", 1, method="sendMessage", retry_after=1)
        sent = ask(webhook_stack, fake_api, uid, QUESTION)
        assert FACT in texts(sent)
        attempts = fake_api.sent_to(uid, ok_only=False)
        assert [c.status for c in attempts] == [429, 200]
        assert attempts[1].at - attempts[0].at >= 0.9  # it waited retry_after
        assert attempts[0].params["text"] == attempts[1].params["text"]

    def test_a_failing_send_keeps_the_message_in_the_tracker(self, webhook_stack, fake_api):
        uid = new_user()
        fake_api.fail_next("500", 4, method="sendMessage")  # every attempt of the answer
        try:
            status, _ = post_update(webhook_stack, text_update(uid, QUESTION))
        finally:
            fake_api.clear_failures()
        assert status == 200
        assert fake_api.sent_to(uid) == [] and fake_api.sent_to(uid, ok_only=False)
        events = tracker_events(webhook_stack, str(uid))
        assert [e["text"] for e in events if e["event"] == "user"] == [QUESTION]
        assert any(FACT in (e.get("text") or "") for e in events if e["event"] == "bot")

    # --- Fuzz (tests/telegram/fuzz_updates.py): any update, any body, any secret ------------------------
    @fuzz_settings(120)
    @given(update=fuzz.updates)
    def test_fuzz_any_update_gets_200_and_a_persons_question_its_answer(
        self, webhook_stack, fake_api, webhook_still_answers, update
    ):
        log = fuzz.LogTail(lambda: webhook_stack.log("rasa"))
        update = fuzz.materialize(update, fake_api.next_update_id)
        status, body = post_update(webhook_stack, update)
        assert status == 200, body  # Telegram would retry anything else forever
        check_update_handled(webhook_stack, fake_api, update)
        fuzz.assert_no_failure_in(log.new())

    @fuzz_settings(80)
    @given(
        body=weighted(
            (3, fuzz.updates),
            (2, json_values),
            (1, st.binary(max_size=200)),
            (
                1,
                st.sampled_from(
                    [b"[" * 100_000, b'{"update_id": 1', b"\xff\xfe{}", b"", b"NaN", b'{"message": NaN}', b"1e999999"]
                ),
            ),
        ),
        secret=weighted((4, st.just(SECRET)), (1, st.none()), (1, st.text(alphabet="abcdefXYZ019_-", max_size=40))),
    )
    def test_fuzz_any_body_with_any_secret_gets_a_4xx_or_200_never_a_5xx(
        self, webhook_stack, fake_api, webhook_still_answers, body, secret
    ):
        log = fuzz.LogTail(lambda: webhook_stack.log("rasa"))
        if not isinstance(body, bytes):
            body = fuzz.materialize(body, fake_api.next_update_id)
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = (
            {"Content-Type": "application/json"}
            if secret is None
            else {"Content-Type": "application/json", SECRET_HEADER: secret}
        )
        status, answer = http(
            "POST", f"{webhook_stack.url}/webhooks/telegram/webhook", raw, headers=headers, timeout=90
        )
        event(f"HTTP {status}")
        if secret is None or secret != SECRET:
            assert status == (401 if secret is None else 403), answer
            question = fuzz.private_question(body)
            if question is not None:  # a forged update never reaches anyone
                assert fake_api.sent_to(question["chat"]["id"], ok_only=False) == []
                assert stored_user_texts(webhook_stack.workdir / "tracker.db", str(question["chat"]["id"])) == []
        else:
            try:
                parsed = json.loads(raw)
            except (ValueError, RecursionError):
                parsed = None
            assert status == (200 if isinstance(parsed, dict) else 400), (status, answer, raw[:100])
            if isinstance(parsed, dict):
                check_update_handled(webhook_stack, fake_api, body)
        fuzz.assert_no_failure_in(log.new())

    def test_fuzz_a_conversation_interleaved_with_garbage_is_kept_whole(
        self, webhook_stack, fake_api, webhook_still_answers
    ):
        uid = new_user()
        chat = private_chat(uid)
        garbage = [
            {"message": dict(message(chat, user(uid)), text=["¿cuántas?"])},  # text that is a list
            {"message": dict(message(chat, user(uid), QUESTION), chat=str(uid))},  # chat that is a string
            # The same ids as strings: must not land in this user's conversation.
            {"message": message({"id": str(uid), "type": "private"}, dict(user(uid), id=str(uid)), "intruso")},
            # In a group (where entities and replies are read), every part of the wrong type.
            {
                "message": message(
                    group_chat(-uid),
                    user(uid),
                    QUESTION,
                    entities="no es una lista",
                    caption_entities=[7],
                    reply_to_message=[1],
                )
            },
            {"callback_query": {"id": "cq-basura-1", "from": user(uid), "data": 5, "message": message(chat, BOT, "x")}},
            {"callback_query": {"id": "cq-basura-2", "from": user(uid), "data": SECTORS_PAYLOAD, "message": "no"}},
            {"callback_query": [uid]},
            {"my_chat_member": "no"},
        ]
        questions = [QUESTION, "¿Qué sectores participaron?", QUESTION]
        replies, counts = [], []
        for question in questions:
            for update in garbage:
                assert post_update(webhook_stack, dict(update, update_id=fake_api.next_update_id()))[0] == 200
            for raw in (b"[" * 100_000, b"{no json"):
                status, _ = http(
                    "POST",
                    f"{webhook_stack.url}/webhooks/telegram/webhook",
                    raw,
                    headers={"Content-Type": "application/json", SECRET_HEADER: SECRET},
                )
                assert status == 400
            before = len(fake_api.sent_to(uid, ok_only=False))
            assert post_update(webhook_stack, text_update(uid, question))[0] == 200  # handled before the 200
            answer = fake_api.sent_to(uid, ok_only=False)[before:]
            replies.append(texts(answer))
            counts.append(len(answer))
        # Nothing but the three answers reached this chat (no garbage was
        # answered in it), each the right one.
        assert FACT in replies[0] and SECTOR in replies[1] and FACT in replies[2], replies
        assert all(counts) and len(fake_api.sent_to(uid, ok_only=False)) == len(fake_api.sent_to(uid)) == sum(counts), (
            fake_api.summary()[-10:]
        )
        assert user_texts(webhook_stack, str(uid)) == questions
        assert_events_intact(webhook_stack.workdir / "tracker.db", str(uid))


# =========================================================================================================
# The real `rasa run`, polling mode
# =========================================================================================================


def sticker_update(uid):
    return {"message": message(private_chat(uid), user(uid), sticker={"file_id": "CAAC", "emoji": "👍"})}


class TestPolling:
    """In order: the tests share one bot that is restarted in the last one."""

    users = {}

    def test_queued_updates_are_each_answered_once(self, polling_stack, fake_api):
        a, b, c = new_user(), new_user(), new_user()
        TestPolling.users.update(question=a, button=b, sticker=c)
        fake_api.enqueue(text_update(a, QUESTION))
        button = fake_api.enqueue(callback_update(b, SECTORS_PAYLOAD))
        fake_api.enqueue(sticker_update(c))
        polling_stack.start_rasa()
        assert "Telegram activado (modo polling)" in polling_stack.log("rasa")
        fake_api.wait_for(
            lambda: fake_api.sent_to(a) and fake_api.sent_to(b) and fake_api.sent_to(c), 60, "las tres respuestas"
        )
        assert FACT in texts(fake_api.sent_to(a))
        assert SECTOR in texts(fake_api.sent_to(b))
        assert TEXT_ONLY in texts(fake_api.sent_to(c))
        assert fake_api.calls_of("answerCallbackQuery", callback_query_id=button["callback_query"]["id"])
        methods = [call.method for call in fake_api.calls if call.method in ("deleteWebhook", "getUpdates")]
        assert methods[0] == "deleteWebhook"
        time.sleep(1)  # one more poll round: nothing is answered twice
        assert [len(fake_api.sent_to(u)) for u in (a, b, c)] == [1, 1, 1]

    def test_the_webhook_is_closed_in_polling_mode(self, polling_stack, fake_api):
        uid = new_user()
        status, _ = post_update(polling_stack, text_update(uid, QUESTION))
        assert status == 403
        assert fake_api.sent_to(uid, ok_only=False) == []

    def test_get_updates_errors_are_retried_with_backoff(self, polling_stack, fake_api):
        fake_api.fail_next("500", 1, method="getUpdates")
        fake_api.fail_next("drop", 1, method="getUpdates")
        fake_api.wait_for(
            lambda: {c.status for c in fake_api.calls_of("getUpdates")} >= {500, 0}, 30, "los dos errores de getUpdates"
        )
        uid = new_user()
        TestPolling.users["after_errors"] = uid
        fake_api.enqueue(text_update(uid, QUESTION))
        sent = fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, "la respuesta tras los errores")
        assert FACT in texts(sent)

    @fuzz_settings(60)
    @given(
        result=weighted(
            (5, st.lists(weighted((5, fuzz.updates), (1, json_values)), max_size=4)),
            (1, st.one_of(json_scalars, st.dictionaries(st.text(max_size=10), json_values, max_size=3))),  # not a list
        )
    )
    def test_fuzz_malformed_get_updates_results_are_skipped_and_polling_goes_on(
        self, polling_stack, fake_api, polling_still_answers, result
    ):
        """getUpdates answering anything: the poller logs, skips what it cannot
        use, moves its offset past what it handled and answers the next good update."""
        log = fuzz.LogTail(lambda: polling_stack.log("rasa"))
        # One new user per update, so that each one's answer can be checked.
        if isinstance(result, list):
            result = [fuzz.materialize(update, fake_api.next_update_id) for update in result]
        else:
            result = fuzz.materialize(result, fake_api.next_update_id)
        fake_api.serve_raw(result)
        probe_uid = new_user()
        probe = fake_api.enqueue(sticker_update(probe_uid))  # answered without the model: quick
        sent = fake_api.wait_for(lambda: fake_api.sent_to(probe_uid), 90, "la respuesta a la actualización buena")
        assert TEXT_ONLY in texts(sent)
        assert fake_api.raw_pending() == 0
        # The offset moved past the good update, and so past everything served before it.
        fake_api.wait_for(
            lambda: fake_api.calls_of("getUpdates", offset=probe["update_id"] + 1), 60, "el offset siguiente"
        )
        for update in result if isinstance(result, list) else []:
            if fuzz.polled(update):
                check_update_handled(polling_stack, fake_api, update)
        new_log = log.new()
        fuzz.assert_no_failure_in(new_log)
        if not isinstance(result, list):
            assert "en vez de una lista" in new_log
            event("no es una lista")
        elif not all(fuzz.polled(u) for u in result):
            assert "sin update_id entero ignoradas" in new_log
            event("sin update_id")

    def test_a_restart_neither_repeats_nor_loses_updates(self, polling_stack, fake_api):
        earlier = list(TestPolling.users.values())
        assert earlier, "runs after the other polling tests"
        answered = {u: len(fake_api.sent_to(u)) for u in earlier}
        last_id = max(u["update_id"] for u in fake_api.queued())
        polling_stack.stop_one("rasa")
        # Telegram did not get our last confirmation: it would serve everything again.
        fake_api.forget_confirmations()
        uid = new_user()
        fake_api.enqueue(text_update(uid, QUESTION))  # arrives while the bot is down
        restarted = time.monotonic()
        polling_stack.start_rasa()
        sent = fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, "la respuesta tras el reinicio")
        assert FACT in texts(sent)
        first_poll = next(c for c in fake_api.calls_of("getUpdates") if c.at > restarted)
        assert first_poll.params["offset"] == last_id + 1
        time.sleep(1)
        assert {u: len(fake_api.sent_to(u)) for u in earlier} == answered
        assert len(fake_api.sent_to(uid)) == 1
