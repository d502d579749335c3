"""Random requests against the real REST channel (hypothesis, bounded).

Whatever the body, the channel answers 200 (a list of bot messages, never
empty), 400/413 (our JSON error) or 429, never a 500; the server stays up; and
every conversation a random sender gets holds only well-formed events, with
the text that was sent.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import event, given
from hypothesis import strategies as st

from channels.text import clean_text
from tests.hardening.conftest import assert_error, new_sender, post, tracker_events, user_texts
from tests.support.fuzz import fuzz_settings
from tools.stack import http

# The shared profile: bounded, derandomized (CI draws what a laptop draws).
FUZZ = fuzz_settings(150)

# Any code point, lone surrogates included (json.dumps escapes them as \udXXX).
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=60)
# Senders and messages a client could send: mostly well-formed, sometimes anything.
senders = st.one_of(st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=60), any_text)
messages = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=700),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=700),
)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | any_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
fields = st.sampled_from(["sender", "message", "metadata", "input_channel", "extra"])
# Near misses of a real request: every field random, or absent.
request_like = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.one_of(senders, json_values),
        "message": st.one_of(messages, json_values),
        "metadata": json_values,
        "input_channel": st.one_of(st.just("rest"), json_values),
        "extra": json_values,
    },
)
raw_bytes = st.binary(max_size=300)
bodies = st.one_of(json_values, st.dictionaries(fields, json_values, max_size=5), request_like, raw_bytes)
queries = st.sampled_from(["", "?stream=true", "?stream=false", "?stream=1", "?stream=true&stream=x"])

_serial = itertools.count()


def _utf8(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_answer(status, body, sender=None, streamed=False):
    """One of the answers the channel may give; never a 500."""
    assert status in (200, 400, 413, 429), (status, body)
    if status == 200 and streamed:  # one JSON message per line
        body = [body] if isinstance(body, dict) else [json.loads(line) for line in body.splitlines() if line.strip()]
    if status == 200:
        assert isinstance(body, list) and body, body  # never silence
        for m in body:
            assert isinstance(m, dict) and (sender is None or m.get("recipient_id") == sender), body
    else:
        assert_error(status, body, status)


@FUZZ
@given(body=bodies, query=queries)
def test_any_body_gets_a_proper_answer(stack, body, query):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, _, answer = post(stack, raw, query=query, timeout=60)
    check_answer(status, answer, streamed=query.startswith("?stream=true"))
    event(f"HTTP {status}")


@FUZZ
@given(sender_prefix=senders, message=messages)
def test_random_senders_and_messages_keep_well_formed_conversations(stack, sender_prefix, message):
    from rasa.shared.core.events import Event

    # A fresh conversation each time (and so never rate-limited), with a random prefix.
    sender = f"{sender_prefix}·{next(_serial)}·{new_sender('fz')}"
    status, _, answer = post(stack, {"sender": sender, "message": message}, timeout=60)
    check_answer(status, answer, sender)
    event(f"HTTP {status}")
    if status != 200:
        # Only a sender or text that is not well-formed Unicode or has control
        # characters may be refused, and then nothing is stored.
        assert status == 400 and answer["reason"] in {"invalid_sender", "invalid_message"}, answer
        if _utf8(sender):  # a lone surrogate cannot even be looked up
            assert tracker_events(stack, sender) == []
        return
    events = tracker_events(stack, sender)
    assert events, "a conversation that answered must be stored"
    for type_name, data in events:
        assert data.get("event") == type_name, data
        assert isinstance(data.get("timestamp"), (int, float)), data
        assert Event.from_parameters(data) is not None, data
    (stored,) = user_texts(stack, sender)
    expected = clean_text(message).strip()  # control characters out; Rasa strips
    if len(expected) <= 600:
        assert stored == expected
    else:
        assert len(stored) == 601 and stored.endswith("…") and expected.startswith(stored[:-1])


def test_the_server_is_still_up_after_the_fuzz(stack):
    assert stack.procs["rasa"].poll() is None, stack.log("rasa")[-3000:]
    assert http("GET", f"{stack.url}/webhooks/rest/")[0] == 200
    sender = new_sender()
    status, _, answer = post(stack, {"sender": sender, "message": "hola"})
    assert status == 200 and "Hola" in answer[0]["text"]
    assert tracker_events(stack, "default") == []
    log = stack.log("rasa")
    # Neither a turn that raised (channels.turns) nor a handler that raised (Sanic).
    assert "El turno de" not in log and "Exception occurred while handling uri" not in log, log[-3000:]
