"""Pure helpers of the Telegram connector: text splitting, ids, keyboards.

No Rasa, no I/O: each is unit-tested on its own.

Text is sent as plain text (no ``parse_mode``), so ``_``, ``*``, ``[`` and
``` ` ``` can never cause "can't parse entities".  Telegram counts a message's
length in UTF-16 code units (an emoji counts 2), with a 4096 limit.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from actions.constants import RATE_DOWN_PAYLOAD, RATE_UP_PAYLOAD

MAX_MESSAGE_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
# Prefix of the short keys that stand for payloads longer than 64 bytes.
LONG_PAYLOAD_PREFIX = "k#"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _max_prefix(text: str, limit: int) -> int:
    """The largest i such that text[:i] is at most `limit` UTF-16 units."""
    total = 0
    for i, ch in enumerate(text):
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > limit:
            return i
    return len(text)


_SENTENCE_END = re.compile(r"[.!?…;:»)](?=\s)")


def _best_cut(window: str) -> int:
    """Where to cut `window` (a too-long text's head): the last paragraph
    break, line break, sentence end or space in its second half; else its end."""
    floor = len(window) // 2
    for sep in ("\n\n", "\n"):
        at = window.rfind(sep)
        if at >= floor:
            return at
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() >= floor]
    if ends:
        return ends[-1]
    at = max(window.rfind(" "), window.rfind("\t"))
    if at >= floor:
        return at
    return len(window)


def split_text(text: str, limit: int = MAX_MESSAGE_UTF16) -> List[str]:
    """`text` in parts of at most `limit` UTF-16 units, cut at a sensible
    boundary; whitespace-only text gives no part."""
    text = (text or "").strip()
    parts: List[str] = []
    while utf16_len(text) > limit:
        window = text[: _max_prefix(text, limit)]
        cut = _best_cut(window)
        head = text[:cut].rstrip()
        if not head:  # cannot happen with limit >= 2, but never loop forever
            head, cut = window, len(window)
        parts.append(head)
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


# --- Conversation ids ------------------------------------------------------------------------------------


def sender_id_for(chat: Dict[str, Any], user: Dict[str, Any]) -> str:
    """Private chat: one conversation per user; group: one per member."""
    if chat.get("type") == "private":
        return str(user["id"])
    return f"{chat['id']}:{user['id']}"


def chat_id_of(recipient_id: Any) -> Any:
    """The chat a conversation's answers go to (inverse of sender_id_for)."""
    chat = str(recipient_id).split(":", 1)[0]
    try:
        return int(chat)
    except ValueError:
        return chat  # a @channelusername, or an id from elsewhere: let Telegram judge


# --- Buttons ----------------------------------------------------------------------------------------------


def payload_key(payload: str) -> str:
    """A stable short callback_data for a payload that does not fit in 64 bytes."""
    return LONG_PAYLOAD_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def needs_key(payload: str) -> bool:
    return len(payload.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES or payload.startswith(LONG_PAYLOAD_PREFIX)


def inline_keyboard(buttons: List[Dict[str, Any]], remember: Callable[[str, str], None]) -> Optional[Dict[str, Any]]:
    """Rasa buttons as an inline keyboard, one button per row (titles are
    Spanish sentences).  Payloads over 64 bytes are replaced by a key that
    `remember(key, payload)` stores."""
    markup = InlineKeyboardMarkup(row_width=1)
    for button in buttons or []:
        if not isinstance(button, dict):
            continue
        title = str(button.get("title") or "").strip()
        if not title:  # Telegram refuses a button without text
            continue
        url = button.get("url")
        if url:
            markup.add(InlineKeyboardButton(title, url=str(url)))
            continue
        payload = str(button.get("payload") or title)
        if needs_key(payload):
            key = payload_key(payload)
            remember(key, payload)
            payload = key
        markup.add(InlineKeyboardButton(title, callback_data=payload))
    result = markup.to_python()
    return result if result.get("inline_keyboard") else None


# --- Commands ---------------------------------------------------------------------------------------------

_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.S)

# What each command becomes for the assistant (Rasa's "/intent" syntax).
COMMANDS: Dict[str, List[str]] = {
    "start": ["/greet", "/ask_capabilities"],
    "ayuda": ["/ask_capabilities"],
    "help": ["/ask_capabilities"],
    "reiniciar": ["/restart", "/greet"],
    "restart": ["/restart", "/greet"],
}
UNKNOWN_COMMAND = ["/ask_capabilities"]


def parse_command(text: str) -> Optional[Tuple[str, Optional[str], str]]:
    """(command, addressed bot or None, argument) of a "/command@bot arg"."""
    m = _COMMAND_RE.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), m.group(2), (m.group(3) or "").strip()


def remove_mention(text: str, bot_name: Optional[str]) -> str:
    if not bot_name:
        return text.strip()
    cleaned = re.sub(rf"(?<![\w@])@{re.escape(bot_name)}\b[,:]?", " ", text, flags=re.I)
    return re.sub(r"\s{2,}", " ", cleaned).strip()


def mentions(text: str, bot_name: Optional[str]) -> bool:
    return bool(bot_name) and re.search(rf"(?<![\w@])@{re.escape(bot_name)}\b", text or "", flags=re.I) is not None


# --- Ratings (docs/ratings.md) ----------------------------------------------------------------------------

RATING_BUTTONS = (("👍", RATE_UP_PAYLOAD), ("👎", RATE_DOWN_PAYLOAD))


def rating_keyboard() -> Dict[str, Any]:
    """👍 and 👎 side by side; their callback_data is the rating payload (22 bytes)."""
    return {"inline_keyboard": [[{"text": title, "callback_data": data} for title, data in RATING_BUTTONS]]}
