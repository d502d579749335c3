"""The channel's building blocks without a server: settings, checks, limiter, fallback."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage

from channels.messages import NO_DATA_MESSAGE
from channels.rate_limit import RateLimiter
from channels.rest import (
    RequestError,
    RestInput,
    parse_json_body,
    validate_input_channel,
    validate_message,
    validate_metadata,
    validate_payload,
    validate_sender,
)
from channels.text import DEFAULT_MAX_MESSAGE_CHARS, clean_text, limit_message_text
from channels.turns import (
    REASON_ACTION_FAILED,
    REASON_ERROR,
    REASON_SILENT,
    REASON_TIMEOUT,
    CountingOutputChannel,
    handle_with_fallback,
)
from settings import SettingsError as ConfigError
from settings import value
from settings.channels import ChannelSettings, RestSettings

ROOT = Path(__file__).resolve().parents[2]


# --- settings from the environment ---------------------------------------------------------------
def test_defaults_when_nothing_is_set():
    s = RestSettings.from_env({})
    assert (s.max_body_bytes, s.rate_limit, s.rate_window) == (64 * 1024, 20, 60.0)
    assert s.channel == ChannelSettings(max_message_chars=600, reply_timeout=15.0)
    assert RestSettings.from_env({"REST_RATE_LIMIT": "  "}).rate_limit == 20  # empty: default


def test_values_are_read():
    env = {
        "REST_MAX_BODY_BYTES": "2048",
        "REST_RATE_LIMIT": "0",
        "REST_RATE_WINDOW": "2.5",
        "CHANNEL_MAX_MESSAGE_CHARS": "800",
        "CHANNEL_REPLY_TIMEOUT": "30",
    }
    s = RestSettings.from_env(env)
    assert (s.max_body_bytes, s.rate_limit, s.rate_window) == (2048, 0, 2.5)
    assert (s.channel.max_message_chars, s.channel.reply_timeout) == (800, 30.0)


@pytest.mark.parametrize(
    "variable, value",
    [
        ("REST_RATE_LIMIT", "abc"),
        ("REST_RATE_LIMIT", "-1"),
        ("REST_RATE_LIMIT", "2.5"),
        ("REST_RATE_WINDOW", "0"),
        ("REST_RATE_WINDOW", "nan"),
        ("REST_RATE_WINDOW", "inf"),
        ("REST_RATE_WINDOW", "un minuto"),
        ("REST_MAX_BODY_BYTES", "100"),
        ("REST_MAX_BODY_BYTES", "64k"),
        ("CHANNEL_MAX_MESSAGE_CHARS", "0"),
        ("CHANNEL_REPLY_TIMEOUT", "-3"),
        ("CHANNEL_REPLY_TIMEOUT", "0"),
    ],
)
def test_an_invalid_value_is_refused_naming_the_variable(variable, value):
    with pytest.raises(ConfigError) as err:
        RestSettings.from_env({variable: value})
    assert str(err.value).startswith(f"{variable}={value!r} no es válido")


def test_settings_read_os_environ(monkeypatch):
    monkeypatch.setenv("REST_RATE_LIMIT", " 7 ")
    monkeypatch.setenv("REST_RATE_WINDOW", "1e1")
    monkeypatch.delenv("REST_MAX_BODY_BYTES", raising=False)
    assert value("REST_RATE_LIMIT") == 7
    assert value("REST_RATE_WINDOW") == 10.0
    assert value("REST_MAX_BODY_BYTES") == 64 * 1024


def test_the_channel_is_configured_by_environment_only(monkeypatch):
    with pytest.raises(ConfigError, match="no acepta opciones"):
        RestInput.from_credentials({"rate_limit": 5})
    monkeypatch.setenv("REST_RATE_LIMIT", "abc")
    with pytest.raises(ConfigError, match="REST_RATE_LIMIT"):
        RestInput.from_credentials(None)
    monkeypatch.setenv("REST_RATE_LIMIT", "3")
    channel = RestInput.from_credentials(None)
    assert channel.name() == "rest" and channel.limiter.limit == 3


def test_the_default_length_limit_is_the_nlu_input_guards():
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    (guard,) = [c for c in config["pipeline"] if c["name"].endswith("InputGuard")]
    assert guard["max_chars"] == DEFAULT_MAX_MESSAGE_CHARS


# --- message length ---------------------------------------------------------------------------------
def test_a_short_message_is_left_alone():
    text = "  ¿qué es AL-INVEST?  "
    assert limit_message_text(text, 600) == (text, None)
    assert limit_message_text("x" * 600, 600) == ("x" * 600, None)


@pytest.mark.parametrize(
    "text",
    ["x" * 601, "palabra " * 625, "a" * 600 + " " + "b" * 50, "   " + "ñ" * 601 + "   ", "/" + "x" * 700],
    ids=["601", "5000-words", "space-at-the-cut", "601-after-strip", "payload"],
)
def test_a_long_message_is_cut_so_that_the_input_guard_still_flags_it(text):
    from nlu_components.input_guard import input_problem

    cut, original = limit_message_text(text, 600)
    assert original == len(text.strip())
    assert len(cut) == 601 and cut.endswith("…") and cut == cut.strip()
    assert input_problem(cut.strip(), 600) == "too_long"  # what the guard sees after Rasa strips


# --- request checks ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, reason",
    [
        (b"", "empty_body"),
        (b" \n", "empty_body"),
        (b"hola", "invalid_json"),
        (b"\xff", "invalid_json"),
        (b'{"a": NaN}', "invalid_json"),
        (b'{"a": Infinity}', "invalid_json"),
        (b"[" * 100_000, "invalid_json"),
        (b"1" * 5000, "invalid_json"),  # over Python's int digits limit
        (b"[]", "not_an_object"),
        (b"null", "not_an_object"),
        (b'"x"', "not_an_object"),
    ],
)
def test_parse_json_body_refusals(body, reason):
    with pytest.raises(RequestError) as err:
        parse_json_body(body)
    assert (err.value.status, err.value.reason) == (400, reason)


def test_parse_json_body_accepts_an_object_in_any_utf():
    payload = {"sender": "s", "message": "¿qué?"}
    assert parse_json_body('{"sender": "s", "message": "¿qué?"}'.encode("utf-16")) == payload
    assert parse_json_body(b'{"sender": "s", "message": "\\u00bfqu\\u00e9?"}') == payload


@pytest.mark.parametrize(
    "value, reason",
    [
        (None, "missing_sender"),
        ("", "missing_sender"),
        (" \t", "missing_sender"),
        ("default", "reserved_sender"),
        (["a"], "invalid_sender"),
        ({"id": 1}, "invalid_sender"),
        (True, "invalid_sender"),
        (1.5, "invalid_sender"),
        ("x" * 256, "invalid_sender"),
        ("a\nb", "invalid_sender"),
        ("a\u0000", "invalid_sender"),
        ("\ud800", "invalid_sender"),
    ],
)
def test_validate_sender_refusals(value, reason):
    with pytest.raises(RequestError) as err:
        validate_sender(value)
    assert (err.value.status, err.value.reason) == (400, reason)
    assert err.value.message  # Spanish, for the client


@pytest.mark.parametrize(
    "value, expected",
    [
        ("user-1", "user-1"),
        (42, "42"),
        ("x" * 255, "x" * 255),
        ("usuaria 😀 ñ", "usuaria 😀 ñ"),
        ("Default", "Default"),
    ],
)
def test_validate_sender_accepts(value, expected):
    assert validate_sender(value) == expected


@pytest.mark.parametrize("value", [None, 123, 1.5, True, ["hola"], {"text": "hola"}, "\udfff"])
def test_validate_message_refusals(value):
    with pytest.raises(RequestError) as err:
        validate_message(value)
    assert err.value.status == 400 and err.value.reason in {"missing_message", "invalid_message"}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("hola", "hola"),
        ("", ""),
        ("línea 1\nlínea 2\ttab\r", "línea 1\nlínea 2\ttab\r"),
        ("a\u0000b\u0007c\u009fd\u007f", "abcd"),
        ("/greet", "/greet"),
    ],
)
def test_validate_message_accepts_and_cleans(value, expected):
    assert validate_message(value) == expected
    assert clean_text(expected) == expected


def test_metadata_and_input_channel():
    assert validate_metadata(None) is None and validate_metadata({"a": 1}) == {"a": 1}
    assert validate_input_channel(None, "rest") == "rest" and validate_input_channel("", "rest") == "rest"
    assert validate_input_channel("app-web", "rest") == "app-web"
    for bad in ([1], "x", 3):
        with pytest.raises(RequestError):
            validate_metadata(bad)
    for bad in (5, "x" * 65, "ñ", "a\nb"):
        with pytest.raises(RequestError):
            validate_input_channel(bad, "rest")


def test_validate_payload_cuts_a_long_message():
    msg = validate_payload({"sender": "s", "message": "x" * 5000, "metadata": {"a": 1}}, ChannelSettings())
    assert (msg.sender, len(msg.text), msg.truncated_from, msg.metadata, msg.input_channel) == (
        "s",
        601,
        5000,
        {"a": 1},
        "rest",
    )


def test_error_bodies_have_one_shape():
    err = RequestError(400, "missing_sender", "Falta el campo")
    assert err.body() == {"status": "failure", "code": 400, "reason": "missing_sender", "message": "Falta el campo"}
    resp = err.response()
    assert resp.status == 400 and "Falta el campo".encode() in resp.body  # not \u-escaped


# --- rate limiter -------------------------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_limiter_allows_the_burst_then_asks_to_wait():
    clock = Clock()
    limiter = RateLimiter(limit=3, window=60, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(20.0)  # one token every 60/3 s
    assert limiter.acquire("b") == 0.0  # others are not affected
    clock.now += 19
    assert limiter.acquire("a") == pytest.approx(1.0)
    clock.now += 1
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0


def test_the_limiter_refills_to_the_burst_and_no_more():
    clock = Clock()
    limiter = RateLimiter(limit=2, window=10, clock=clock)
    limiter.acquire("a"), limiter.acquire("a")
    clock.now += 3600
    assert [limiter.acquire("a") for _ in range(3)][:2] == [0.0, 0.0]


def test_a_refused_message_costs_nothing():
    clock = Clock()
    limiter = RateLimiter(limit=1, window=10, clock=clock)
    limiter.acquire("a")
    for _ in range(5):
        assert limiter.acquire("a") > 0
    clock.now += 10
    assert limiter.acquire("a") == 0.0


def test_a_zero_limit_turns_the_limiter_off():
    limiter = RateLimiter(limit=0, window=60)
    assert not limiter.enabled
    assert all(limiter.acquire("a") == 0.0 for _ in range(1000))
    assert len(limiter) == 0


def test_the_limiter_forgets_the_least_recently_used_keys():
    clock = Clock()
    limiter = RateLimiter(limit=1, window=60, max_keys=3, clock=clock)
    for key in "abc":
        limiter.acquire(key)
    assert limiter.acquire("a") > 0  # a is now the most recent
    limiter.acquire("d")  # forgets b
    assert len(limiter) == 3
    assert limiter.acquire("b") == 0.0  # b starts again with a full bucket
    assert limiter.acquire("a") > 0


@pytest.mark.parametrize(
    "kwargs", [{"limit": -1, "window": 1}, {"limit": 1, "window": 0}, {"limit": 1, "window": 1, "max_keys": 0}]
)
def test_the_limiter_refuses_nonsense(kwargs):
    with pytest.raises(ValueError):
        RateLimiter(**kwargs)


# --- a reply that is never silence ---------------------------------------------------------------------------
def user_message(sender="s"):
    return UserMessage("hola", CollectingOutputChannel(), sender)


def texts(message):
    return [m["text"] for m in message.output_channel.messages]


async def test_a_turn_that_answers_is_left_alone():
    async def on_new_message(message):
        await message.output_channel.send_response(message.sender_id, {"text": "¡Hola!"})

    message = user_message()
    result = await handle_with_fallback(on_new_message, message)
    assert (result.sent, result.fallback_reason, result.fell_back) == (1, None, False)
    assert texts(message) == ["¡Hola!"]
    assert isinstance(message.output_channel, CollectingOutputChannel)  # given back


async def test_a_silent_turn_gets_the_notice():
    async def on_new_message(message):
        return None

    message = user_message()
    result = await handle_with_fallback(on_new_message, message)
    assert result.fallback_reason == REASON_SILENT
    assert texts(message) == [NO_DATA_MESSAGE]


async def test_a_turn_that_raises_gets_the_notice():
    async def on_new_message(message):
        raise RuntimeError("tracker store down")

    message = user_message()
    result = await handle_with_fallback(on_new_message, message)
    assert result.fallback_reason == REASON_ERROR
    assert texts(message) == [NO_DATA_MESSAGE]


async def test_a_slow_turn_gets_the_notice_and_is_not_lost():
    """The user hears back on time; the turn is not cancelled, it finishes later."""
    finished = asyncio.Event()

    async def on_new_message(message):
        await asyncio.sleep(0.6)
        await message.output_channel.send_response(message.sender_id, {"text": "respuesta tardía"})
        finished.set()

    message = user_message()
    started = time.monotonic()
    result = await handle_with_fallback(on_new_message, message, timeout=0.2)
    assert time.monotonic() - started < 0.5
    assert result.fallback_reason == REASON_TIMEOUT
    assert texts(message) == [NO_DATA_MESSAGE]
    await asyncio.wait_for(finished.wait(), 5)
    assert texts(message) == [NO_DATA_MESSAGE, "respuesta tardía"]


async def test_a_failed_action_after_a_message_still_gets_the_notice():
    """Rasa logs the failure and goes on: what came before is kept, the notice follows."""

    async def on_new_message(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Un momento…"})
        logging.getLogger("rasa.core.processor").error(
            "Encountered an exception while running action 'action_answer_fact'."
        )

    message = user_message()
    result = await handle_with_fallback(on_new_message, message)
    assert result.fallback_reason == REASON_ACTION_FAILED and result.sent == 1
    assert result.action_failures and "action_answer_fact" in result.action_failures[0]
    assert texts(message) == ["Un momento…", NO_DATA_MESSAGE]


async def test_a_failure_in_one_conversation_does_not_leak_into_another():
    async def failing(message):
        await asyncio.sleep(0.05)
        logging.getLogger("rasa.core.processor").error("Encountered an exception while running action 'x'.")

    async def answering(message):
        await asyncio.sleep(0.1)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    a, b = user_message("a"), user_message("b")
    ra, rb = await asyncio.gather(handle_with_fallback(failing, a), handle_with_fallback(answering, b))
    assert ra.fallback_reason == REASON_ACTION_FAILED and rb.fallback_reason is None
    assert texts(b) == ["ok"]
    # and outside any turn the hook does nothing
    logging.getLogger("rasa.core.processor").error("Encountered an exception while running action 'y'.")


async def test_the_callers_own_cancellation_is_not_swallowed():
    async def on_new_message(message):
        await asyncio.sleep(30)

    task = asyncio.ensure_future(handle_with_fallback(on_new_message, user_message(), timeout=None))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_custom_fallback_text_and_a_custom_output_channel():
    sent = []

    class Phone(OutputChannel):
        @classmethod
        def name(cls):
            return "phone"

        async def send_text_message(self, recipient_id, text, **kwargs):
            sent.append((recipient_id, text))

    async def on_new_message(message):
        assert message.output_channel.name() == "phone"  # channel-specific responses still work

    message = UserMessage("hola", Phone(), "s")
    result = await handle_with_fallback(on_new_message, message, fallback_text="Servicio no disponible.")
    assert result.fallback_reason == REASON_SILENT and sent == [("s", "Servicio no disponible.")]


def test_the_counting_channel_counts_every_kind_of_message():
    inner = CollectingOutputChannel()
    counting = CountingOutputChannel(inner)
    assert counting.name() == "collector"

    async def send():
        await counting.send_response("s", {"text": "a"})
        await counting.send_text_message("s", "b")
        await counting.send_text_with_buttons("s", "c", [{"title": "t", "payload": "/p"}])
        await counting.send_custom_json("s", {"k": 1})

    asyncio.run(send())
    assert counting.sent == 4 and len(inner.messages) == 4
    assert counting.messages is inner.messages  # anything else is the inner channel's
