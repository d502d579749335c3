"""Our REST channel through a real ``rasa run`` and action server (tools/stack.py).

Each defect of the production issue, as a client would see it: the HTTP
status and our JSON error, the bot's reply, and what the tracker store
(tracker.db, read-only) kept or did not keep.
"""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from tests.hardening.conftest import (
    CREDENTIALS,
    MAX_BODY_BYTES,
    NO_DATA,
    RATE_LIMIT,
    REPLY_TIMEOUT,
    assert_error,
    bot_text,
    new_sender,
    post,
    tracker_events,
    user_texts,
)
from tests.support.shape import assert_rest_shape
from tools.stack import Stack, http

FACT_QUESTION = "¿Cuántas mipymes peruanas se beneficiaron?"
FACT = "5.375"


# --- start-up -----------------------------------------------------------------------------------
@pytest.mark.before_stack
@pytest.mark.parametrize("variable, value", [("REST_RATE_LIMIT", "abc")])
def test_an_invalid_setting_stops_start_up_naming_the_variable(tmp_path, variable, value):
    s = Stack(tmp_path, credentials=CREDENTIALS, env={variable: value})
    try:
        with pytest.raises(RuntimeError) as err:
            s.start_rasa(timeout=120)  # raises when `rasa run` exits instead of serving
    finally:
        s.stop()
    assert "terminó con código 1" in str(err.value)
    assert f"{variable}='{value}' no es válido" in str(err.value)


# --- what the stock channel got wrong ------------------------------------------------------------
def test_the_health_route_and_a_normal_message_work_as_before(stack):
    assert http("GET", f"{stack.url}/webhooks/rest/")[0] == 200
    sender = new_sender()
    status, _, body = post(stack, {"sender": sender, "message": FACT_QUESTION})
    assert status == 200 and isinstance(body, list) and body, body
    assert_rest_shape(body, sender)  # Rasa's keys only: what `rasa shell` and other REST clients read
    assert FACT in bot_text(body)


@pytest.mark.parametrize(
    "payload, reason",
    [
        ({"message": "hola"}, "missing_sender"),
        ({"sender": None, "message": "hola"}, "missing_sender"),
        ({"sender": "", "message": "hola"}, "missing_sender"),
        ({"sender": "   ", "message": "hola"}, "missing_sender"),
        ({"sender": "default", "message": "hola"}, "reserved_sender"),
        ({"sender": ["a"], "message": "hola"}, "invalid_sender"),
        ({"sender": "x" * 256, "message": "hola"}, "invalid_sender"),
        ({"sender": "a\u0000b", "message": "hola"}, "invalid_sender"),
    ],
)
def test_a_request_without_a_usable_sender_is_refused_and_files_nothing(stack, payload, reason):
    status, _, body = post(stack, payload)
    assert_error(status, body, 400, {reason})
    for sender in ("default", "", "   "):
        assert tracker_events(stack, sender) == [], f"conversation {sender!r} was created"


@pytest.mark.parametrize("message", [123, None, ["hola"], {"text": "hola"}, True, 1.5])
def test_a_message_that_is_not_text_is_refused(stack, message):
    sender = new_sender()
    status, _, body = post(stack, {"sender": sender, "message": message})
    assert_error(status, body, 400, {"invalid_message", "missing_message"})
    assert tracker_events(stack, sender) == []


@pytest.mark.parametrize(
    "raw",
    [
        b"hola",
        b"{",
        b"",
        b"   ",
        b'"hola"',
        b"[]",
        b"null",
        b"\xff\xfe\x00",
        b'{"sender": "s", "message": NaN}',
        b"[" * 50_000,  # deeper than Python's recursion limit, under the size limit
        b'{"sender": "s", "message": "hola"}trailing',
    ],
    ids=["text", "truncated", "empty", "blank", "string", "list", "null", "bad-utf8", "nan", "deep", "trailing"],
)
def test_a_body_that_is_not_a_json_object_is_refused(stack, raw):
    status, _, body = post(stack, raw)
    assert_error(status, body, 400, {"invalid_json", "not_an_object", "empty_body"})


@pytest.mark.parametrize(
    "payload", [{"metadata": [1]}, {"metadata": "x"}, {"input_channel": 5}, {"input_channel": "x" * 65}]
)
def test_bad_metadata_or_input_channel_is_refused(stack, payload):
    status, _, body = post(stack, {"sender": new_sender(), "message": "hola", **payload})
    assert_error(status, body, 400, {"invalid_metadata", "invalid_input_channel"})


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_refused_and_the_server_goes_on(stack, chunked):
    sender = new_sender()
    big = json.dumps({"sender": sender, "message": "x" * (MAX_BODY_BYTES + 10)}).encode()
    status, _, body = post(stack, big, chunked=chunked)
    assert_error(status, body, 413, {"body_too_large"})
    assert tracker_events(stack, sender) == []
    status, _, body = post(stack, {"sender": sender, "message": "hola"})
    assert status == 200 and body


def test_control_characters_are_removed_from_the_message(stack):
    sender = new_sender()
    status, _, body = post(stack, {"sender": sender, "message": "ho\u0000la\u0007 ¿qué tal?"})
    assert status == 200 and body
    assert user_texts(stack, sender) == ["hola ¿qué tal?"]


def test_the_stream_option_still_streams_one_json_message_per_line(stack):
    sender = new_sender()
    status, headers, body = post(stack, {"sender": sender, "message": FACT_QUESTION}, query="?stream=true")
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    lines = [json.loads(line) for line in body.splitlines() if line.strip()] if isinstance(body, str) else [body]
    assert_rest_shape(lines, sender)
    assert FACT in bot_text(lines)


# --- rate limit ------------------------------------------------------------------------------------
def test_a_sender_over_the_rate_limit_is_told_to_wait_and_others_are_not(stack):
    noisy, quiet = new_sender("noisy"), new_sender("quiet")
    for i in range(RATE_LIMIT):
        status, _, body = post(stack, {"sender": noisy, "message": "hola"})
        assert status == 200, (i, body)
    status, headers, body = post(stack, {"sender": noisy, "message": "hola"})
    assert_error(status, body, 429, {"rate_limited"})
    assert "Espera" in body["message"] and int(headers["retry-after"]) >= 1
    # Another sender is not affected, and the refused message was never processed.
    status, _, body = post(stack, {"sender": quiet, "message": "hola"})
    assert status == 200 and body
    assert len(user_texts(stack, noisy)) == RATE_LIMIT


# --- too long ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    ["palabra " * 625, "a" * 600 + " " + "b" * 4399, "  " + "ñ" * 601],
    ids=["5000-words", "space-at-the-cut", "601-after-strip"],
)
def test_a_too_long_message_gets_the_polite_answer_fast_and_is_not_stored_whole(stack, message):
    sender = new_sender()
    started = time.monotonic()
    status, _, body = post(stack, {"sender": sender, "message": message})
    elapsed = time.monotonic() - started
    assert status == 200
    assert_rest_shape(body, sender)
    assert "muy largo" in bot_text(body), body
    assert elapsed < 5, f"{elapsed:.1f}s"
    (user,) = [data for type_name, data in tracker_events(stack, sender) if type_name == "user"]
    assert len(user["text"]) == 601 and user["text"].endswith("…")
    assert user["metadata"]["truncated_from_chars"] == len(message.strip())


def test_a_message_at_the_limit_is_processed_as_is(stack):
    sender = new_sender()
    message = FACT_QUESTION + " " + "x" * (600 - len(FACT_QUESTION) - 1)
    status, _, body = post(stack, {"sender": sender, "message": message})
    assert status == 200 and "muy largo" not in bot_text(body)
    assert user_texts(stack, sender) == [message]


# --- action server down or hung (last: they stop and start it) ----------------------------------------
def test_action_server_down_gives_the_spanish_notice_and_answers_resume(stack):
    sender = new_sender()
    stack.stop_one("actions")
    try:
        status, _, body = post(stack, {"sender": sender, "message": FACT_QUESTION})
        assert status == 200
        assert_rest_shape(body, sender)  # the channel's own notice too
        assert bot_text(body) == "No puedo consultar los datos en este momento; inténtalo de nuevo en unos minutos."
        assert f"{sender!r} (motivo: action_failed)" in stack.log("rasa")  # seen as a failed action, not just silence
        # Every reply now comes from action_answer (small talk too: "hola, soy… ¿cuántas…?"
        # must reach the question), so a greeting gets the same notice, and is kept.
        status, _, body = post(stack, {"sender": sender, "message": "hola"})
        assert status == 200 and bot_text(body).startswith(NO_DATA)
        assert user_texts(stack, sender)[-1] == "hola"
    finally:
        stack.start_actions()
    status, _, body = post(stack, {"sender": sender, "message": FACT_QUESTION})
    assert status == 200 and FACT in bot_text(body) and NO_DATA not in bot_text(body)


def test_a_hung_action_server_gives_the_notice_within_the_timeout(stack):
    sender = new_sender()
    group = stack.procs["actions"].pid  # Stack starts it in its own process group
    os.killpg(group, signal.SIGSTOP)
    try:
        started = time.monotonic()
        status, _, body = post(stack, {"sender": sender, "message": FACT_QUESTION})
        elapsed = time.monotonic() - started
    finally:
        os.killpg(group, signal.SIGCONT)
    assert status == 200 and NO_DATA in bot_text(body), body
    assert REPLY_TIMEOUT - 0.5 <= elapsed < REPLY_TIMEOUT + 10, f"{elapsed:.1f}s"
    assert f"{sender!r} (motivo: timeout)" in stack.log("rasa")
    status, _, body = post(stack, {"sender": sender, "message": FACT_QUESTION})
    assert status == 200 and FACT in bot_text(body), body
