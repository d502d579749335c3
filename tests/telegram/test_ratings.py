"""👍/👎 under the Telegram connector's answers (docs/ratings.md, docs/telegram.md).

First the pieces without servers, then the connector in process against the
fake Bot API with a scripted assistant, then once the real `rasa run` (webhook
mode): a 👎 reaches the tracker store and `make report`'s CSV.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import json
import sqlite3
import subprocess
import time
from typing import Any, Dict, List, Optional

import pytest

from actions.constants import RATE_DOWN_PAYLOAD as RATE_DOWN
from actions.constants import RATE_UP_PAYLOAD as RATE_UP
from actions.constants import is_rating_payload as is_rating
from channels.telegram.text import rating_keyboard
from settings.parsers import switch as parse_switch
from tools.stack import ROOT, VENV_BIN, http
from tests.telegram.conftest import SECRET, WEBHOOK_URL
from tests.telegram.fake_bot_api import BOT, TOKEN, FakeBotAPI, group_chat, message, private_chat, text_update, user

# docs/ratings.md, literally.
UP, DOWN = '/rate{"rating":"up"}', '/rate{"rating":"down"}'
RATING_KEYBOARD = {"inline_keyboard": [[{"text": "👍", "callback_data": UP}, {"text": "👎", "callback_data": DOWN}]]}
NO_BUTTONS = {"inline_keyboard": []}
THANKS = "¡Gracias por tu valoración! Nos ayuda a mejorar."
QUESTION = "¿Cuántas mipymes peruanas se beneficiaron?"
FACT = "5.375"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

_users = itertools.count(800001)
_ids = itertools.count(90001)


def new_user() -> int:
    return next(_users)


def markups(calls) -> List[Optional[Dict[str, Any]]]:
    return [c.params.get("reply_markup") for c in calls]


def rating_press(uid: int, sent, data: str = DOWN, presser: Optional[int] = None, chat=None, **extra) -> Dict[str, Any]:
    """A callback_query update for a 👍/👎 under the message the bot sent (`sent`: its sendMessage call)."""
    chat = chat or private_chat(uid)
    bot_message = {
        "message_id": sent.result["message_id"], "date": int(time.time()), "chat": chat, "from": BOT,
        "text": sent.params["text"], "reply_markup": sent.params.get("reply_markup"), **extra,
    }
    return {
        "callback_query": {
            "id": f"rq-{next(_ids)}",
            "from": user(presser or uid),
            "chat_instance": "42",
            "data": data,
            "message": bot_message,
        }
    }


# =========================================================================================================
# No servers
# =========================================================================================================


def test_the_keyboard_carries_the_contract_payloads():
    assert (RATE_UP, RATE_DOWN) == (UP, DOWN)
    assert rating_keyboard() == RATING_KEYBOARD
    assert [len(b["callback_data"].encode()) for b in RATING_KEYBOARD["inline_keyboard"][0]] == [20, 22]  # limit: 64
    assert is_rating(UP) and is_rating(DOWN) and is_rating('/rate{"rating":"meh"}')
    assert not is_rating("/ask_sectors") and not is_rating("/rates") and not is_rating(None)


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, True),
        ("", True),
        ("1", True),
        ("true", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_telegram_ratings_variable(value, expected):
    from settings import value as setting

    assert parse_switch(value) is expected
    assert setting("TELEGRAM_RATINGS", {} if value is None else {"TELEGRAM_RATINGS": value}) is expected


def test_an_unreadable_telegram_ratings_stops_rasa_naming_it():
    from rasa.shared.exceptions import RasaException

    from settings import value as setting

    with pytest.raises(RasaException, match="TELEGRAM_RATINGS"):
        setting("TELEGRAM_RATINGS", {"TELEGRAM_RATINGS": "quizás"})


# =========================================================================================================
# In process: fake Bot API, a scripted assistant (no model)
# =========================================================================================================


# A response of the knowledge layer: rateable (actions.constants.is_rateable_response).
ANSWER_RESPONSE = "utter_beneficiaries_peru"


class Assistant:
    """Stands for Rasa's on_new_message: records (text, sender, output channel)
    and answers with `script[text]` (a list of Rasa messages), "ok: <text>"
    by default, and the thanks for a rating."""

    def __init__(self, script: Optional[Dict[str, List[Dict[str, Any]]]] = None):
        self.script = script or {}
        self.messages: List[tuple] = []

    async def __call__(self, msg):
        self.messages.append((msg.text, msg.sender_id))
        if msg.text == "fails":
            raise RuntimeError("action server down")
        replies = (
            [{"text": THANKS, "utter_action": "utter_rating_thanks"}]
            if is_rating(msg.text)
            else self.script.get(msg.text, [{"text": f"ok: {msg.text}"}])
        )
        for reply in replies:
            # Rasa names the response each message came from; an answer unless the script says otherwise.
            await msg.output_channel.send_response(msg.sender_id, {"utter_action": ANSWER_RESPONSE, **reply})


def make_channel(fake: FakeBotAPI, state_dir, ratings: Optional[bool] = True):
    """The connector; `ratings=None`: as TELEGRAM_RATINGS says."""
    from channels.telegram import TelegramInput
    from settings.channels import TelegramConfig

    env = {
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_API_URL": fake.url,
        "TELEGRAM_STATE_DIR": str(state_dir),
    }
    channel = TelegramInput(TelegramConfig.from_env(env), ratings=ratings)
    channel.api.base_delay = 0.01
    return channel


def run_updates(fake: FakeBotAPI, channel, assistant: Assistant, *updates) -> List[str]:
    """Handle the updates in order (each one a dict, or a function of the fake API
    that builds it from the calls so far); their outcomes."""

    async def run():
        await channel._identify()
        outcomes = []
        try:
            for update in updates:
                update = update(fake) if callable(update) else update
                outcomes.append(await channel.handle_update(dict(update, update_id=fake.next_update_id()), assistant))
        finally:
            await channel.api.close()
        return outcomes

    return asyncio.run(run())


@pytest.fixture
def fake(fake_api):
    fake_api.reset()
    return fake_api


def test_only_an_answers_last_message_gets_the_buttons(tmp_path, fake):
    two = [{"text": "La cifra es 5.375."}, {"text": "¿Algo más?"}]
    outcomes = run_updates(fake, make_channel(fake, tmp_path), Assistant({QUESTION: two}), text_update(42, QUESTION))
    assert outcomes == ["handled"]
    sent = fake.sent_to(42)
    assert [c.params["text"] for c in sent] == ["La cifra es 5.375.", "¿Algo más?"]
    assert markups(sent) == [None, RATING_KEYBOARD]


def test_a_long_answer_gets_the_buttons_on_its_last_part(tmp_path, fake):
    long = [{"text": "\n\n".join(f"Párrafo {i}. " + "dato " * 400 for i in range(5))}]
    run_updates(fake, make_channel(fake, tmp_path), Assistant({QUESTION: long}), text_update(42, QUESTION))
    sent = fake.sent_to(42)
    assert len(sent) >= 2 and markups(sent) == [None] * (len(sent) - 1) + [RATING_KEYBOARD]


BUTTONS = [{"title": "Sectores", "payload": "/ask_sectors"}, {"title": "Empresas", "payload": "/ask_companies"}]


@pytest.mark.parametrize(
    "name, text, script",
    [
        ("/start", "/start", {}),
        ("/ayuda", "/ayuda", {}),
        ("/reiniciar", "/reiniciar", {}),
        ("buttons of its own", QUESTION, {QUESTION: [{"text": "¿Te refieres a...?", "buttons": BUTTONS}]}),
        (
            "buttons, then text",
            QUESTION,
            {QUESTION: [{"text": "¿Te refieres a...?", "buttons": BUTTONS}, {"text": "O escribe."}]},
        ),
        ("error notice", "fails", {}),
        ("silent turn: error notice", QUESTION, {QUESTION: []}),
        ("greeting", "hola", {"hola": [{"text": "¡Hola!", "utter_action": "utter_greet"}]}),
        (
            "answer, then small talk",
            QUESTION,
            {QUESTION: [{"text": "5.375."}, {"text": "¿Algo más?", "utter_action": "utter_thanks"}]},
        ),
        ("clarification", QUESTION, {QUESTION: [{"text": "No estoy seguro.", "utter_action": "utter_clarify"}]}),
        ("bad input", "😀", {"😀": [{"text": "No entendí.", "utter_action": "utter_bad_input_no_words"}]}),
        ("no response name", QUESTION, {QUESTION: [{"text": "texto suelto", "utter_action": None}]}),
    ],
)
def test_no_rating_buttons(tmp_path, fake, name, text, script):
    from channels.messages import NO_DATA_MESSAGE

    run_updates(fake, make_channel(fake, tmp_path), Assistant(script), text_update(42, text))
    sent = fake.sent_to(42)
    assert sent, name
    assert all(m is None or m["inline_keyboard"][0][0]["callback_data"] == "/ask_sectors" for m in markups(sent)), name
    if name.endswith("error notice"):
        assert sent[-1].params["text"] == NO_DATA_MESSAGE


def test_a_buttons_choice_is_an_answer_that_gets_the_buttons(tmp_path, fake):
    press = {
        "callback_query": {
            "id": "cq-1",
            "from": user(42),
            "chat_instance": "42",
            "data": "/ask_sectors",
            "message": message(private_chat(42), BOT, "¿Te refieres a...?"),
        }
    }
    run_updates(fake, make_channel(fake, tmp_path), Assistant(), press)
    assert markups(fake.sent_to(42)) == [RATING_KEYBOARD]


def test_ratings_off(tmp_path, fake, monkeypatch):
    monkeypatch.setenv("TELEGRAM_RATINGS", "0")
    run_updates(fake, make_channel(fake, tmp_path, ratings=None), Assistant(), text_update(42, QUESTION))
    assert markups(fake.sent_to(42)) == [None]


def test_a_press_rates_once_and_removes_the_buttons(tmp_path, fake):
    assistant = Assistant()
    press = lambda data: lambda f: rating_press(42, f.sent_to(42)[0], data)  # noqa: E731
    outcomes = run_updates(
        fake, make_channel(fake, tmp_path), assistant, text_update(42, QUESTION), press(DOWN), press(UP)
    )
    assert outcomes == ["handled", "rating", "rating:expired"]
    # The payload reached the assistant as that user's message, once.
    assert assistant.messages == [(QUESTION, "42"), (DOWN, "42")]
    # The thanks was a toast: no message after the answer.
    assert [c.params["text"] for c in fake.sent_to(42)] == [f"ok: {QUESTION}"]
    toasts = [c.params.get("text") for c in fake.calls_of("answerCallbackQuery")]
    assert toasts == ["¡Gracias!", "Esta respuesta ya no se puede valorar."]
    answer_id = fake.sent_to(42)[0].result["message_id"]
    edits = fake.calls_of("editMessageReplyMarkup")
    assert edits and all(e.status == 200 for e in edits)
    assert edits[0].params == {"chat_id": 42, "message_id": answer_id, "reply_markup": NO_BUTTONS}
    # answered first, then the keyboard removed, then Rasa (nothing sent)
    order = [c.method for c in fake.calls if c.method in ("answerCallbackQuery", "editMessageReplyMarkup")]
    assert order[:2] == ["answerCallbackQuery", "editMessageReplyMarkup"]


def test_a_new_question_removes_the_previous_buttons(tmp_path, fake):
    assistant = Assistant()
    first = lambda f: f.sent_to(42)[0]  # noqa: E731
    outcomes = run_updates(
        fake,
        make_channel(fake, tmp_path),
        assistant,
        text_update(42, QUESTION),
        text_update(42, "¿Y en total?"),
        lambda f: rating_press(42, first(f), UP),  # the older answer: it would rate the new one
        lambda f: rating_press(42, f.sent_to(42)[-1], UP),
    )
    assert outcomes == ["handled", "handled", "rating:expired", "rating"]
    sent = fake.sent_to(42)
    assert markups(sent) == [RATING_KEYBOARD, RATING_KEYBOARD]
    edits = [(e.params["message_id"], e.at) for e in fake.calls_of("editMessageReplyMarkup")]
    assert edits[0][0] == sent[0].result["message_id"] and edits[0][1] < sent[1].at  # removed before the new answer
    assert assistant.messages[-1] == (UP, "42") and (UP, "42") not in assistant.messages[:-1]


def test_in_a_group_the_askers_conversation_and_only_the_asker(tmp_path, fake):
    chat, asker, other = group_chat(-1007770001), 51, 52
    question = {"message": message(chat, user(asker), f"@{BOT['username']} {QUESTION}")}
    press = lambda who: lambda f: rating_press(asker, f.sent_to(chat["id"])[-1], DOWN, presser=who, chat=chat)  # noqa: E731
    assistant = Assistant()
    outcomes = run_updates(fake, make_channel(fake, tmp_path), assistant, question, press(other), press(asker))
    assert outcomes == ["handled", "rating:not-yours", "rating"]
    assert assistant.messages == [(QUESTION, f"{chat['id']}:{asker}"), (DOWN, f"{chat['id']}:{asker}")]
    toasts = [c.params.get("text") for c in fake.calls_of("answerCallbackQuery")]
    assert toasts == ["Solo quien hizo la pregunta puede valorar esta respuesta.", "¡Gracias!"]
    assert len(fake.calls_of("editMessageReplyMarkup")) == 1


def test_after_a_restart_the_latest_answer_can_still_be_rated(tmp_path, fake):
    run_updates(fake, make_channel(fake, tmp_path), Assistant(), text_update(42, QUESTION))
    chat, asker = group_chat(-1007770002), 61
    sent = fake.sent_to(42)[-1]
    restarted, assistant = make_channel(fake, tmp_path), Assistant()
    replied = {"reply_to_message": message(chat, user(asker), QUESTION)}
    outcomes = run_updates(
        fake,
        restarted,
        assistant,
        rating_press(42, sent, UP),
        rating_press(asker, sent, DOWN, presser=62, chat=chat, **replied),  # a group answer: only its asker
        rating_press(asker, sent, DOWN, presser=asker, chat=chat, **replied),
    )
    assert outcomes == ["rating", "rating:not-yours", "rating"]
    assert assistant.messages == [(UP, "42"), (DOWN, f"{chat['id']}:{asker}")]


def test_a_failing_keyboard_removal_still_records_the_rating(tmp_path, fake):
    fake.fail_next("500", 4, method="editMessageReplyMarkup")
    assistant = Assistant()
    try:
        outcomes = run_updates(
            fake,
            make_channel(fake, tmp_path),
            assistant,
            text_update(42, QUESTION),
            lambda f: rating_press(42, f.sent_to(42)[0]),
        )
    finally:
        fake.clear_failures()
    assert outcomes == ["handled", "rating"] and assistant.messages[-1] == (DOWN, "42")


# =========================================================================================================
# The real `rasa run` (webhook mode): tracker store and report
# =========================================================================================================


def post_update(stack, update):
    return http("POST", f"{stack.url}/webhooks/telegram/webhook", update, headers={SECRET_HEADER: SECRET}, timeout=90)


def rating_events(stack, sender: str) -> List[dict]:
    con = sqlite3.connect(f"file:{stack.workdir / 'tracker.db'}?mode=ro", uri=True, timeout=30)
    try:
        rows = con.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' AND intent_name = 'rate' ORDER BY id",
            (sender,),
        ).fetchall()
    finally:
        con.close()
    return [json.loads(data) for (data,) in rows]


class TestOnRasa:
    def test_a_down_rating_reaches_the_tracker_and_the_report(self, webhook_stack, fake_api, tmp_path):
        uid = new_user()
        assert post_update(webhook_stack, text_update(uid, QUESTION))[0] == 200
        sent = fake_api.wait_for(lambda: fake_api.sent_to(uid), 60, "la respuesta")
        assert FACT in sent[-1].params["text"]
        assert sent[-1].params["reply_markup"] == RATING_KEYBOARD
        assert markups(sent[:-1]) == [None] * (len(sent) - 1)

        press = rating_press(uid, sent[-1], DOWN)
        status, body = post_update(webhook_stack, press)  # answered once the turn is stored
        assert status == 200, body
        answers = fake_api.calls_of("answerCallbackQuery", callback_query_id=press["callback_query"]["id"])
        assert [a.params.get("text") for a in answers] == ["¡Gracias!"]
        edits = fake_api.calls_of("editMessageReplyMarkup", chat_id=uid, message_id=sent[-1].result["message_id"])
        assert [(e.status, e.params["reply_markup"]) for e in edits] == [(200, NO_BUTTONS)]
        assert len(fake_api.sent_to(uid)) == len(sent)  # the thanks is not sent: the toast is enough

        # (1) the tracker store has the rating in that conversation
        events = rating_events(webhook_stack, str(uid))
        assert len(events) == 1
        event = events[0]
        assert event["text"] == DOWN and event["input_channel"] == "telegram"
        assert event["parse_data"]["intent"]["name"] == "rate"
        assert {"entity": "rating", "value": "down"}.items() <= event["parse_data"]["entities"][0].items()
        # ... and the assistant thanked (in the tracker, not in the chat)
        status, tracker = http("GET", f"{webhook_stack.url}/conversations/{uid}/tracker?include_events=ALL")
        assert status == 200
        bot_after = [
            e.get("text")
            for e in tracker["events"][[e.get("text") for e in tracker["events"]].index(DOWN) :]
            if e["event"] == "bot"
        ]
        assert bot_after == [THANKS]

        # (2) `make report` lists the 👎-rated answer with its question
        out = tmp_path / "report"
        run = subprocess.run(
            [
                str(VENV_BIN / "python"),
                "-m",
                "tools.report",
                "--db",
                str(webhook_stack.workdir / "tracker.db"),
                "--out",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        with (out / "report.csv").open(encoding="utf-8-sig", newline="") as f:
            rows = [
                r for r in csv.DictReader(f) if r["seccion"] == "valoracion_negativa" and r["conversacion"] == str(uid)
            ]
        assert len(rows) == 1, rows
        assert rows[0]["pregunta"] == QUESTION
        assert FACT in rows[0]["respuesta"] and rows[0]["canales"] == "telegram"
        assert (out / "report.html").is_file()

        # (3) the conversation goes on as usual, and the next answer can be rated
        before = len(fake_api.sent_to(uid))
        assert post_update(webhook_stack, text_update(uid, QUESTION))[0] == 200
        again = fake_api.wait_for(lambda: fake_api.sent_to(uid)[before:], 30, "la siguiente respuesta")
        assert FACT in again[-1].params["text"] and again[-1].params["reply_markup"] == RATING_KEYBOARD
