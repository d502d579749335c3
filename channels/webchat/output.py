"""What the widget receives: Rasa's socket.io messages, with ``metadata.rateable``; and what it sends as metadata."""

from __future__ import annotations

import json
from typing import Any, Dict, Text

from rasa.core.channels.socketio import SocketIOOutput

from channels.output import AnswerAwareOutput, with_metadata


class WebChatOutput(AnswerAwareOutput, SocketIOOutput):
    """Rasa's socket.io output, plus ``metadata.rateable`` on every message it
    emits: the widget shows 👍/👎 only under an answer about the programme
    (docs/ratings.md; false for small talk, clarifications, bad-input replies
    and the channel's own notices).  In ``metadata``, not beside ``text``:
    rasa-webchat draws nothing that has other keys at the top level."""

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if isinstance(response, dict):
            response = with_metadata(response, rateable=self._answering)
        await super()._send_message(socket_id, response)



def message_metadata(value: Any) -> Dict[Text, Any]:
    """A message's metadata: a JSON object (or its JSON text); anything else is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return {}
    return value if isinstance(value, dict) else {}

