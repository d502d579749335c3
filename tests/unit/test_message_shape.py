"""The web channel's messages keep Rasa's shape; our extras travel in ``metadata``.

rasa-webchat draws a message only when its keys, ``metadata`` aside, are
exactly ``text`` (or ``text`` plus ``buttons`` / ``quick_replies``); our own
widget reads ``metadata.rateable``.  No servers: WebChatOutput writes to a
recording stand-in of python-socketio's server.
"""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest
from rasa.shared.core.events import BotUttered, UserUttered

from channels.output import RASA_MESSAGE_KEYS, with_metadata
from channels.webchat.history import history_messages
from channels.webchat.output import WebChatOutput

ANSWER = "utter_beneficiaries_peru"  # an answer about the programme: rateable
SMALL_TALK = "utter_greet"  # not rateable


class RecordingServer:
    """The one method of socketio.AsyncServer that SocketIOOutput calls."""

    def __init__(self) -> None:
        self.emitted: List[Tuple[str, Any]] = []

    async def emit(self, event: str, data: Any = None, room: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data))


async def emitted(response: dict) -> List[dict]:
    sio = RecordingServer()
    await WebChatOutput(sio, "bot_uttered").send_response("sesion", dict(response))
    assert {event for event, _ in sio.emitted} == {"bot_uttered"}
    return [data for _, data in sio.emitted]


@pytest.mark.parametrize(
    "response, expected",
    [
        (
            {"text": "En Perú se beneficiaron 5.375 mipymes.", "utter_action": ANSWER},
            [{"text": "En Perú se beneficiaron 5.375 mipymes.", "metadata": {"rateable": True}}],
        ),
        ({"text": "¡Hola!", "utter_action": SMALL_TALK}, [{"text": "¡Hola!", "metadata": {"rateable": False}}]),
        # The channel's own notice has no response name: never rated.
        (
            {"text": "No puedo consultar los datos en este momento."},
            [{"text": "No puedo consultar los datos en este momento.", "metadata": {"rateable": False}}],
        ),
        # Split on blank lines like Rasa's; each part marked.
        (
            {"text": "Uno.\n\nDos.", "utter_action": ANSWER},
            [{"text": "Uno.", "metadata": {"rateable": True}}, {"text": "Dos.", "metadata": {"rateable": True}}],
        ),
        (
            {
                "text": "¿Te refieres a…?",
                "buttons": [{"title": "Sectores", "payload": "/ask_sectors"}],
                "utter_action": "utter_clarify",
            },
            [
                {
                    "text": "¿Te refieres a…?",
                    "quick_replies": [{"content_type": "text", "title": "Sectores", "payload": "/ask_sectors"}],
                    "metadata": {"rateable": False},
                }
            ],
        ),
        (
            {"image": "https://example.org/a.png", "utter_action": ANSWER},
            [
                {
                    "attachment": {"type": "image", "payload": {"src": "https://example.org/a.png"}},
                    "metadata": {"rateable": True},
                }
            ],
        ),
    ],
    ids=["answer", "small-talk", "notice", "two-parts", "buttons", "image"],
)
async def test_every_emitted_message_has_rasa_s_keys_and_our_extras_in_metadata(response, expected):
    messages = await emitted(response)
    assert messages == expected
    for m in messages:
        assert set(m) <= RASA_MESSAGE_KEYS
        # What rasa-webchat checks once it has set `metadata` aside.
        keys = set(m) - {"metadata"}
        assert keys in ({"text"}, {"text", "quick_replies"}, {"attachment"}), keys


def test_with_metadata_adds_to_the_metadata_and_never_to_the_top_level():
    original = {"text": "hola", "metadata": {"linkTarget": "_blank"}}
    assert with_metadata(original, rateable=True) == {
        "text": "hola",
        "metadata": {"linkTarget": "_blank", "rateable": True},
    }
    assert original == {"text": "hola", "metadata": {"linkTarget": "_blank"}}  # a copy
    assert with_metadata({"text": "hola", "metadata": "no es un objeto"}, error="x") == {
        "text": "hola",
        "metadata": {"error": "x"},
    }


def test_the_history_route_marks_messages_in_their_metadata():
    events = [
        UserUttered("¿cuántas mipymes peruanas se beneficiaron?"),
        BotUttered("En Perú se beneficiaron 5.375 mipymes.\n\nFuente: la nota.", metadata={"utter_action": ANSWER}),
        UserUttered("cuantas"),
        BotUttered(
            "¿Te refieres a…?",
            data={"buttons": [{"title": "Sectores", "payload": "/ask_sectors"}]},
            metadata={"utter_action": "utter_clarify"},
        ),
        UserUttered("/ask_sectors"),
    ]
    assert history_messages(events) == [
        {"sender": "user", "text": "¿cuántas mipymes peruanas se beneficiaron?"},
        {"sender": "bot", "text": "En Perú se beneficiaron 5.375 mipymes.", "metadata": {"rateable": True}},
        {"sender": "bot", "text": "Fuente: la nota.", "metadata": {"rateable": True}},
        {"sender": "user", "text": "cuantas"},
        {
            "sender": "bot",
            "text": "¿Te refieres a…?",
            "metadata": {"rateable": False},
            "buttons": [{"title": "Sectores", "payload": "/ask_sectors"}],
        },
        {"sender": "user", "text": "Sectores"},
    ]
