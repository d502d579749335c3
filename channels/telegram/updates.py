"""Reading a Telegram update: ids, who it is addressed to, and what the assistant gets for it.

No Rasa, no I/O.  Malformed input never raises (docs/telegram.md, "Malformed
updates"): a field of the wrong type reads as absent, and ids that are not
integers are refused by the caller, never turned into a conversation id.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from channels.telegram.text import COMMANDS, UNKNOWN_COMMAND, mentions, parse_command, remove_mention, sender_id_for
from channels.text import readable_text

# Message content the bot cannot read: answered with messages.TELEGRAM_TEXT_ONLY.
# Service messages (members joining, pinned messages ...) are ignored.
MEDIA_KEYS = (
    "sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
    "location", "venue", "contact", "poll", "dice", "game", "story",
)
HELP_MESSAGES = ["/ask_capabilities"]
RESTART = "/restart"  # Rasa's restart intent: says nothing by design


def obj(value: Any) -> Dict[str, Any]:
    """A field that should be a JSON object (chat, from, message ...), or {} when it is not."""
    return value if isinstance(value, dict) else {}


def is_id(value: Any) -> bool:
    """Telegram's ids (update, chat, user, message) are integers; JSON true is not one."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_our_name(name: Any, bot_username: Optional[str]) -> bool:
    return bool(isinstance(name, str) and name and bot_username and name.lower() == bot_username.lower())


def is_to_bot(msg: Dict[str, Any], text: str, bot_username: Optional[str], bot_id: Optional[int]) -> bool:
    """In a group: mentioned, replied to, or given a command for this bot."""
    if mentions(text, bot_username):
        return True
    entities = msg.get("entities") or msg.get("caption_entities")
    for entity in entities if isinstance(entities, list) else []:
        entity = obj(entity)
        if entity.get("type") == "text_mention" and bot_id and obj(entity.get("user")).get("id") == bot_id:
            return True
    command = parse_command(text)
    if command and (command[1] is None or is_our_name(command[1], bot_username)):
        return True
    replied = obj(obj(msg.get("reply_to_message")).get("from"))
    if bot_id is not None and replied.get("id") == bot_id:
        return True
    return bool(replied.get("is_bot") and is_our_name(replied.get("username"), bot_username))


def texts_for(text: str, bot_username: Optional[str]) -> Optional[List[str]]:
    """What the assistant gets for a text: commands become intents, the
    bot's @mention is removed.  None: a command for another bot."""
    cleaned = remove_mention(readable_text(text), bot_username)
    command = parse_command(cleaned)
    if command:
        name, target, _arg = command
        if target is not None and bot_username and not is_our_name(target, bot_username):
            return None
        return list(COMMANDS.get(name, UNKNOWN_COMMAND))
    # A typed "/something" that is not a command must not reach Rasa as an intent.
    cleaned = cleaned.lstrip("/").strip()
    return [cleaned] if cleaned else list(HELP_MESSAGES)


def metadata(update_id: Any, chat: Dict[str, Any], user: Dict[str, Any], message_id: Any) -> Dict[str, Any]:
    """The user message's metadata (what the report reads)."""
    return {
        "telegram": {
            "update_id": update_id if is_id(update_id) else None,
            "chat_id": chat.get("id"),
            "chat_type": chat.get("type") if isinstance(chat.get("type"), str) else None,
            "user_id": user.get("id"),
            "message_id": message_id if is_id(message_id) else None,
        }
    }


def asker_of(msg: Dict[str, Any], chat: Dict[str, Any]) -> Optional[str]:
    """In a group, the conversation of the member whose message an answer replies to."""
    if chat.get("type") == "private":
        return None
    asker = obj(obj(msg.get("reply_to_message")).get("from"))
    if is_id(asker.get("id")) and not asker.get("is_bot"):
        return sender_id_for(chat, asker)
    return None
