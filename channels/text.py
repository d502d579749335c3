"""Message text as a channel hands it to Rasa: cleaned, readable, and never longer than the limit.

The limit is ``CHANNEL_MAX_MESSAGE_CHARS`` (settings.table), the NLU input
guard's own (config.yml): tests/hardening/test_limits.py fails if they drift.
"""

from __future__ import annotations

import unicodedata
from typing import Optional, Text, Tuple

from settings.table import BY_NAME

DEFAULT_MAX_MESSAGE_CHARS = BY_NAME["CHANNEL_MAX_MESSAGE_CHARS"].default
# Marks a message the channel cut short (stored in the user event's text).
TRUNCATION_MARK = "…"


def limit_message_text(text: Text, max_chars: int) -> Tuple[Text, Optional[int]]:
    """``(text to hand to Rasa, original length or None)``.

    Rasa strips the text; a stripped text longer than ``max_chars`` is cut to
    ``max_chars`` characters plus :data:`TRUNCATION_MARK` (``max_chars + 1`` in
    all, never whitespace at the end), so the NLU input guard, whose limit is
    the same, still sees a message that is too long and answers it politely,
    while nothing huge is tokenised, classified or stored.
    """
    stripped = text.strip()
    if len(stripped) <= max_chars:
        return text, None
    return stripped[:max_chars] + TRUNCATION_MARK, len(stripped)


# Control characters a message may keep (everything else of category Cc is removed).
_KEPT_CONTROLS = frozenset("\t\n\r")


def valid_unicode(text: Text) -> bool:
    """False for text with lone surrogates (``"\\ud800"`` in JSON), which cannot be UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(text: Text) -> Text:
    """``text`` without control characters other than tab and line breaks.

    PostgreSQL cannot store NUL, and no control character means anything to
    the NLU; the REST channel and the socket.io and Telegram channels apply it.
    """
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc")


def readable_text(text: Text) -> Text:
    """``text`` as the assistant can read it: lone surrogates become U+FFFD, control characters go.

    spaCy's tokenizer raises on a lone surrogate (the turn would fail and the
    message be lost), so channels that answer rather than refuse such text
    (socket.io, Telegram) replace it.  A surrogate pair written as two escapes
    (``"\\ud83d\\ude00"``) is joined into its character.
    """
    if not valid_unicode(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return clean_text(text)

