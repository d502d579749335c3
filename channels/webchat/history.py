"""``/webchat/history/<session id>``: the text of a conversation's current session, as the widget shows it."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.shared.core.events import BotUttered, UserUttered

from actions.constants import is_rateable_response


def history_messages(events) -> List[Dict[Text, Any]]:
    """The user's and the bot's texts of a tracker's events, as the widget shows them.

    A bot text is split on blank lines like ``SocketIOOutput`` does, buttons go
    with its last part, and a user message that is the payload of a button the
    bot had just offered shows that button's title ("/ask_sectors" ->
    "Sectores más activos").  A bot message carries ``metadata.rateable`` as
    the live ones do (:class:`WebChatOutput`).
    """
    messages: List[Dict[Text, Any]] = []
    offered: Dict[Text, Text] = {}
    for event in events:
        if isinstance(event, UserUttered):
            text = event.text or ""
            if not text.strip():
                continue
            messages.append({"sender": "user", "text": offered.get(text, text)})
            offered = {}
        elif isinstance(event, BotUttered):
            buttons = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in (event.data or {}).get("buttons") or []
                if isinstance(b, dict)
            ]
            offered = {b["payload"]: b["title"] for b in buttons}
            parts = [p for p in (event.text or "").strip().split("\n\n") if p] or ([""] if buttons else [])
            rateable = is_rateable_response((event.metadata or {}).get("utter_action"))
            for i, part in enumerate(parts):
                message: Dict[Text, Any] = {"sender": "bot", "text": part, "metadata": {"rateable": rateable}}
                if buttons and i == len(parts) - 1:
                    message["buttons"] = buttons
                messages.append(message)
    return messages

