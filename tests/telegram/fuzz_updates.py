"""Random Telegram updates for the connector's fuzz tests (hypothesis strategies and checks).

The tests themselves are methods of ``TestWebhook`` and ``TestPolling`` in
test_telegram.py, so that they reuse those classes' running bot instead of
starting another ``rasa run`` (~40 s each).

The strategies draw updates shaped like Telegram's with any part replaced by
any JSON value: ids of the wrong type, a ``chat`` that is a list, ``text`` that
is a number, ``entities`` that is a string, huge and odd texts, callback data
of every type.  Ids are stand-ins (:data:`USER`, :data:`GROUP`,
:data:`FRESH`) that :func:`materialize` replaces with ids no other test uses,
so every example is a conversation of its own and can be checked.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Callable, Dict, List, Optional

from hypothesis import strategies as st

from channels.text import limit_message_text, readable_text
from tests.support.fuzz import any_text, json_values, odd_text, weighted
from tests.telegram.fake_bot_api import BOT

USER, GROUP, FRESH = "<usuario nuevo>", "<grupo nuevo>", "<update_id nuevo>"
MAX_CHARS = 600  # CHANNEL_MAX_MESSAGE_CHARS: the stacks leave the default
HELP = "/ask_capabilities"  # what an empty message becomes (channels/telegram/updates.py HELP_MESSAGES)

_users = itertools.count(860_000_001)
_groups = itertools.count(1_008_600_000_001)


def _not_an_id(value: Any) -> bool:
    return not (isinstance(value, int) and not isinstance(value, bool))


# --- Strategies ---------------------------------------------------------------------------------------
texts = weighted(
    (6, odd_text),
    (2, st.sampled_from(["", "   ", "🙂🇵🇪", "\x00\x1b[0m", "\ud83d", "hola\u200b", "x" * 5000, "¿cuántas? " * 3000,
                         f"@{BOT['username']} hola", "/start", "/ayuda@otro_bot", "/", "k#"])),
    (1, json_values),
)
users = st.fixed_dictionaries(
    {"id": weighted((8, st.just(USER)), (1, json_values))},
    optional={
        "is_bot": weighted((4, st.just(False)), (1, json_values)),
        "first_name": any_text,
        "username": any_text,
        "language_code": any_text,
    },
)
chats = st.fixed_dictionaries(
    {
        "id": weighted((6, st.just(USER)), (2, st.just(GROUP)), (1, json_values)),
        "type": weighted(
            (6, st.just("private")), (2, st.sampled_from(["group", "supergroup", "channel"])), (1, json_values)
        ),
    },
    optional={"title": any_text},
)
entities = weighted(
    (
        3,
        st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {
                        "type": st.one_of(
                            st.sampled_from(["bot_command", "mention", "text_mention", "url"]), json_values
                        )
                    },
                    optional={"offset": json_values, "length": json_values, "user": st.one_of(users, json_values)},
                ),
                json_values,
            ),
            max_size=3,
        ),
    ),
    (1, json_values),
)
replied_to = st.one_of(st.fixed_dictionaries({"from": st.one_of(users, st.just(BOT), json_values)}), json_values)
messages = st.fixed_dictionaries(
    {
        "message_id": weighted((4, st.integers(1, 2**31)), (1, json_values)),
        "chat": weighted((8, chats), (1, json_values)),
        "from": weighted((8, users), (1, json_values)),
    },
    optional={
        "text": texts,
        "entities": entities,
        "caption": texts,
        "caption_entities": entities,
        "date": json_values,
        "reply_to_message": replied_to,
        "sticker": json_values,
        "new_chat_members": json_values,
    },
)
# A person's message in a private chat, with odd text and odd extras: must be answered.
person_messages = st.fixed_dictionaries(
    {
        "message_id": st.integers(1, 2**31),
        "chat": st.fixed_dictionaries(
            {"id": st.just(USER), "type": st.just("private")}, optional={"first_name": any_text}
        ),
        "from": st.fixed_dictionaries(
            {"id": st.just(USER), "is_bot": st.just(False)}, optional={"first_name": any_text, "username": any_text}
        ),
        "text": weighted((6, odd_text), (1, texts)),
    },
    optional={"entities": entities, "caption": json_values, "date": json_values, "reply_to_message": replied_to},
)
callback_data = weighted(
    (
        3,
        st.sampled_from(
            ["/ask_sectors", '/rate{"rating":"up"}', '/rate{"rating":"down"}', "/rate", "k#desconocida", ""]
        ),
    ),
    (2, odd_text),
    (1, json_values),
)
callbacks = st.fixed_dictionaries(
    {
        "id": weighted((4, st.text(alphabet="0123456789abcdef", min_size=1, max_size=20)), (1, json_values)),
        "from": weighted((8, users), (1, json_values)),
    },
    optional={
        "data": callback_data,
        "message": weighted((4, messages), (1, json_values)),
        "chat_instance": any_text,
    },
)
update_bodies = weighted(
    (3, st.fixed_dictionaries({"message": person_messages})),
    (4, st.fixed_dictionaries({"message": weighted((8, messages), (1, json_values))})),
    (3, st.fixed_dictionaries({"callback_query": weighted((8, callbacks), (1, json_values))})),
    (
        1,
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    ["message", "callback_query", "edited_message", "my_chat_member", "channel_post", "poll"]
                ),
                any_text,
            ),
            json_values,
            max_size=3,
        ),
    ),
)
# An update_id that is new, of the wrong type, or missing.  Never another
# integer: a repeated one would rightly be dropped as a duplicate, and a huge
# one would move the polling offset past every later update.
update_ids = weighted((8, st.just(FRESH)), (1, json_values.filter(_not_an_id)))
updates = st.builds(
    lambda body, update_id, keep: dict(body, update_id=update_id) if keep else dict(body),
    update_bodies,
    update_ids,
    weighted((9, st.just(True)), (1, st.just(False))),
)


def materialize(update: Any, next_update_id: Callable[[], int]) -> Any:
    """The update with its stand-ins replaced: one new user, one new group, a new update_id."""
    uid, gid = next(_users), -next(_groups)

    def walk(value: Any) -> Any:
        if value == USER:
            return uid
        if value == GROUP:
            return gid
        if value == FRESH:
            return next_update_id()
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(update)


# --- What each update must get -----------------------------------------------------------------------
def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def private_question(update: Any) -> Optional[Dict[str, Any]]:
    """The update's message if it is one a person could send in a private chat: a text to answer.

    A private chat (chat id == sender id, both integers), a sender that is not
    a bot, a text that is not a command, no callback_query beside it.  Such a
    message must be answered, whatever else the update holds.
    """
    if not isinstance(update, dict) or isinstance(update.get("callback_query"), dict):
        return None
    msg = update.get("message")
    if not isinstance(msg, dict):
        return None
    chat, sender = msg.get("chat"), msg.get("from")
    if not (isinstance(chat, dict) and isinstance(sender, dict)):
        return None
    if not (_is_id(chat.get("id")) and chat.get("id") == sender.get("id") and chat.get("type") == "private"):
        return None
    if sender.get("is_bot") or not isinstance(msg.get("text"), str):
        return None
    if readable_text(msg["text"]).strip().startswith("/"):
        return None  # commands: test_telegram.py's own tests
    return msg


def polled(update: Any) -> bool:
    """Whether the poller handles this item of a getUpdates result (it needs an integer update_id)."""
    return isinstance(update, dict) and _is_id(update.get("update_id"))


def answerable_callback(update: Any) -> Optional[Dict[str, Any]]:
    """The callback_query whose button must stop spinning (it has a usable id)."""
    query = update.get("callback_query") if isinstance(update, dict) else None
    if isinstance(query, dict) and isinstance(query.get("id"), str) and query["id"]:
        return query
    return None


def expected_stored(text: str) -> str:
    """What the tracker keeps of a private text: cleaned, the @mention removed, cut, stripped."""
    cleaned = readable_text(text)
    cleaned = re.sub(rf"(?<![\w@])@{re.escape(BOT['username'])}\b[,:]?", " ", cleaned, flags=re.I)
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip()
    limited, _ = limit_message_text(cleaned or HELP, MAX_CHARS)
    return limited.strip()


def same_words(a: Optional[str], b: Optional[str]) -> bool:
    """Equal but for runs of whitespace (the connector folds them)."""
    return a is not None and b is not None and a.split() == b.split()


class LogTail:
    """The part of a log file written since the last look."""

    def __init__(self, read: Callable[[], str]):
        self._read = read
        self._at = len(read())

    def new(self) -> str:
        text = self._read()
        new, self._at = text[self._at :], len(text)
        return new


# Signs in the rasa log that our code raised (the connector catches and logs
# with these words), that Sanic answered 500, or that a task died.
FAILURE_SIGNS = (
    "Telegram: error al procesar la actualización",
    "Exception occurred while handling uri",
    "Task exception was never retrieved",
    "El turno de",
)


def assert_no_failure_in(log: str) -> None:
    for sign in FAILURE_SIGNS:
        assert sign not in log, log[max(0, log.index(sign) - 500) : log.index(sign) + 3000]


def sent_texts(calls: List[Any]) -> List[str]:
    return [c.params.get("text") for c in calls]
