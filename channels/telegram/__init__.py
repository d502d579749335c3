"""Telegram connector for Rasa 3.6.21, referenced from credentials.yml as ``channels.telegram.TelegramInput``.

One module per concern:

- ``input.py``: :class:`TelegramInput`, the webhook and the dispatch of an update to Rasa;
- ``updates.py``: reading an update (ids, addressing in groups, commands);
- ``polling.py``: start-up calls and the getUpdates loop, on Sanic's loop;
- ``ratings.py``: which answer a 👍/👎 press may rate (in memory, no Sanic);
- ``output.py``: sending the assistant's messages, with the rating keyboard;
- ``api.py`` (Bot API calls with retries), ``state.py`` (SQLite: offset, long
  button payloads), ``text.py`` (splitting, keyboards), ``config.py`` (the
  status line of ``python -m channels.telegram.config``).

What it fixes in Rasa's stock connector (rasa/core/channels/telegram.py):

- "Event loop is closed" on every update (HTTP 500, Telegram retries forever):
  the stock output channel's aiogram session was created by ``asyncio.run`` at
  start-up.  Here every Bot API call runs on Sanic's loop (api.py), and
  start-up work runs in the blueprint's ``after_server_start`` listener.
- setWebhook at start-up exiting Rasa when api.telegram.org is unreachable: it
  is retried with backoff in the background; Rasa starts regardless.
- fixed Bot API address: TELEGRAM_API_URL (self-hosted server, or a fake).
- no check of ``X-Telegram-Bot-Api-Secret-Token``: an update without it (401)
  or with a wrong one (403) never reaches the assistant.
- callback queries never answered (spinning button): answerCallbackQuery first.
- updates without a message (my_chat_member, channel_post ...) crashing with
  500: ignored with 200.  Edited messages answered twice: ignored (the
  original was answered already).  Stickers, photos, voice, locations: a short
  Spanish reply that the bot reads text only.
- Polling mode (getUpdates with a persisted offset) for machines without a
  public HTTPS URL.
- Malformed input never raises (docs/telegram.md, "Malformed updates";
  fuzz-tested): a webhook body that is not JSON (nesting too deep included)
  is a 400; an update whose message, chat, from, entities or callback_query
  has the wrong type, or whose chat/user ids are not integers, is ignored with
  a warning instead of an AttributeError (or a conversation filed under
  "123" for ``{"id": "123"}``); a getUpdates result that is not a list is
  retried with backoff instead of killing the polling task; texts and button
  payloads go through ``channels.text.readable_text``.

Conversations: private chat -> the user id; group -> "<chat id>:<user id>" (one
conversation per member); in groups the bot answers only when mentioned,
replied to, or given a command.  Answers are plain text (no parse_mode), split
under Telegram's 4096-character limit.  A send that still fails after its
retries is logged and dropped: it never raises into Rasa, so the user's
message and the bot's turn stay in the tracker.  A turn that fails (action
server down) or says nothing gets channels.messages' NO_DATA_MESSAGE, as in our
other channels; CHANNEL_MAX_MESSAGE_CHARS applies too.

Ratings (docs/ratings.md; TELEGRAM_RATINGS=0 turns them off): an answer's last
message gets a 👍/👎 inline keyboard whose callback_data is the rating payload
``/rate{"rating":"up"|"down"}``.  A press is answered with a "¡Gracias!" toast,
its keyboard is removed (editMessageReplyMarkup), and the payload reaches Rasa
as the asker's message; the assistant's reply to it is not sent.  A new turn
removes the previous answer's keyboard, since a rating rates the latest answer.

The class is imported on first use, so ``python -m channels.telegram.config``
loads no Rasa channel.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "TelegramInput":
        from channels.telegram.input import TelegramInput

        return TelegramInput
    raise AttributeError(f"module 'channels.telegram' has no attribute {name!r}")
