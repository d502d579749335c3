"""What a bot message looks like on the wire: Rasa's keys at the top level, ours in ``metadata``.

Clients written for Rasa read only Rasa's keys: ``rasa shell`` prints them,
and rasa-webchat draws a message only when its keys (``metadata`` aside) are
exactly ``text``, or ``text`` plus ``buttons`` or ``quick_replies``.
"""

from typing import Any, Iterable, Optional

from channels.output import RASA_MESSAGE_KEYS

# What Rasa 3.6's REST channel writes (CollectingOutputChannel._message), plus ``metadata``.
REST_KEYS = frozenset({"recipient_id", "text", "image", "buttons", "attachment", "custom", "metadata"})
BUTTON_KEYS = frozenset({"title", "payload"})


def assert_rest_shape(messages: Iterable[Any], sender: Optional[str] = None) -> None:
    """Each REST reply message: Rasa's keys only, a text, buttons of a title and a payload."""
    messages = list(messages)
    assert messages, "no message"
    for m in messages:
        assert isinstance(m, dict) and set(m) <= REST_KEYS, m
        assert sender is None or m["recipient_id"] == sender, m
        assert isinstance(m.get("text"), str) and m["text"].strip(), m
        for b in m.get("buttons") or []:
            assert set(b) == BUTTON_KEYS and all(isinstance(v, str) for v in b.values()), m


def assert_socketio_shape(messages: Iterable[Any]) -> None:
    """Each ``bot_uttered`` of the web channel: Rasa's keys only, ``metadata.rateable`` a bool."""
    for m in messages:
        assert isinstance(m, dict) and set(m) <= RASA_MESSAGE_KEYS, m
        assert isinstance(m.get("metadata"), dict) and isinstance(m["metadata"].get("rateable"), bool), m
