"""The shape of a bot message, and which messages are answers that may be rated (👍/👎, docs/ratings.md)."""

from __future__ import annotations

from typing import Any, Dict, Text

from actions.constants import is_rateable_response

# The top-level keys of a bot message in Rasa's own channels (CollectingOutputChannel,
# SocketIOOutput) and what their clients read: `rasa shell` prints these, and
# rasa-webchat draws a text only when `text` is its single key besides
# `metadata` (buttons: exactly `text` plus `buttons` or `quick_replies`).
# Anything a channel of ours adds goes in `metadata` (with_metadata).
RASA_MESSAGE_KEYS = frozenset(
    {"recipient_id", "text", "buttons", "quick_replies", "image", "attachment", "custom", "elements", "metadata"}
)


def with_metadata(message: Dict[Text, Any], **extras: Any) -> Dict[Text, Any]:
    """A copy of ``message`` with ``extras`` added to its ``metadata`` (never to its top level)."""
    metadata = message.get("metadata")
    return {**message, "metadata": {**(metadata if isinstance(metadata, dict) else {}), **extras}}


# --- Which messages are answers (👍/👎, docs/ratings.md) -----------------------------------
class AnswerAwareOutput:
    """Mixin for an OutputChannel: ``self._answering`` is true while the
    message being sent comes from an answer about the programme.

    Rasa calls ``send_response`` with the response's name (``utter_action``),
    judged by ``actions.constants.is_rateable_response``; anything a channel
    sends outside it (its own "no puedo consultar…" notice) is not an answer.
    """

    _answering = False

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self._answering = is_rateable_response(message.get("utter_action"))
        try:
            await super().send_response(recipient_id, message)  # type: ignore[misc]
        finally:
            self._answering = False
