"""Random socket.io traffic against the real web widget channel (hypothesis, bounded).

The package's stack serves channels/webchat/ as credentials.yml does
(session persistence).  A client talks to it as the widget does (python-socketio
over HTTP long-polling: ``session_request``, then ``user_uttered``) and sends
anything a broken or hostile client could: any JSON as the data of both
events, any number of arguments, unknown event names, malformed Socket.IO
packets, malformed Engine.IO / HTTP requests to ``/socket.io/`` and WebSocket
frames that are no Engine.IO packet.

What must hold (docs/webchat.md, "Datos mal formados"): a text message in the
client's own session is answered in Spanish (never silence, never only the
"no puedo consultar" notice) and stored as sent (cleaned and cut like every
channel's); anything else gets one Spanish ``bot_uttered`` error on that socket
and reaches neither Rasa nor the tracker store; ``session_request`` always
gets a session; nothing answers 5xx; and afterwards the server still answers a
normal question on a fresh session, with every stored event readable.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import re
import socket
import threading
import time
import uuid
from typing import Any, Callable, List, Optional, Tuple
from urllib.parse import quote

import pytest
import socketio
from hypothesis import event, given
from hypothesis import strategies as st

from channels.messages import NO_DATA_MESSAGE
from channels.messages import WEBCHAT_ERRORS as ERRORS
from channels.text import limit_message_text, readable_text
from tests.support.fuzz import (
    any_text,
    assert_events_intact,
    fuzz_settings,
    json_values,
    odd_text,
    stored_user_texts,
    weighted,
)
from tests.support.shape import assert_socketio_shape

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
QUESTION = "¿cuántas mipymes peruanas se beneficiaron?"
MAX_CHARS = 600  # CHANNEL_MAX_MESSAGE_CHARS: the stack leaves the default
REPLY_WAIT = 120  # seconds; generous: a turn on a loaded 2-core machine can be slow

# Stand-ins the strategies draw, replaced by real ids when the example runs.
CURRENT, OTHER, UPPER = "<sesión actual>", "<otra sesión válida>", "<actual en mayúsculas>"


@pytest.fixture(scope="module")
def fact(knowledge):
    """The figure the question must get (5.375), from the knowledge file, not typed here."""
    from actions.knowledge import spanish

    return spanish.number(knowledge.peru["beneficiaries"].value)


@pytest.fixture(scope="module", autouse=True)
def log_start(stack):
    """Where this module's part of the shared rasa log begins."""
    return len(stack.log("rasa"))


def error_of(message: Any) -> Optional[str]:
    """The reason of one of the channel's Spanish errors (in its metadata), else None."""
    metadata = message.get("metadata") if isinstance(message, dict) else None
    return metadata.get("error") if isinstance(metadata, dict) else None


# --- A client like the widget -------------------------------------------------------------------
class WebChat:
    """python-socketio's client over long-polling, recording every event it receives."""

    def __init__(self, url: str):
        # python-engineio's client logs "packet queue is empty, aborting" from a
        # background thread some 30 s after a disconnect (also after pytest closed
        # its streams); a client error shows up as a failed wait here anyway.
        logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
        self.sio = socketio.Client(reconnection=False)
        self._lock = threading.Lock()
        self._got: List[Tuple[str, Any]] = []
        self.sio.on("*", self._record)
        self.sio.connect(url, transports=["polling"], socketio_path="socket.io", wait_timeout=60)

    def _record(self, event_name: str, *args: Any) -> None:
        with self._lock:
            self._got.append((event_name, args[0] if len(args) == 1 else args))

    def mark(self) -> int:
        with self._lock:
            return len(self._got)

    def since(self, mark: int, event_name: Optional[str] = None) -> List[Any]:
        with self._lock:
            got = self._got[mark:]
        return [data for name, data in got if event_name is None or name == event_name]

    def wait(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            assert self.sio.connected, f"el servidor cerró el socket esperando {what}"
            if time.monotonic() > deadline:
                with self._lock:
                    tail = self._got[-5:]
                raise AssertionError(f"esperé {timeout}s {what}; lo último recibido: {tail!r}")
            time.sleep(0.05)

    def emit(self, event_name: str, *args: Any) -> None:
        # python-socketio sends a tuple as several arguments, and no data as none.
        if len(args) == 1:
            self.sio.emit(event_name, args[0])
        elif args:
            self.sio.emit(event_name, tuple(args))
        else:
            self.sio.emit(event_name)

    def session(self, *args: Any) -> str:
        """session_request (by default asking for a new session); the confirmed id."""
        mark = self.mark()
        self.emit("session_request", *(args or ({"session_id": None},)))
        (confirmed,) = self.wait(lambda: self.since(mark, "session_confirm"), 30, "session_confirm")
        return confirmed

    def bot_messages(self, mark: int) -> List[Any]:
        return self.since(mark, "bot_uttered")

    def answers(self, mark: int) -> List[dict]:
        """The assistant's own messages since `mark`: not our errors, not the timeout notice."""
        return [
            m
            for m in self.bot_messages(mark)
            if isinstance(m, dict) and error_of(m) is None and m.get("text") != NO_DATA_MESSAGE
        ]

    def ask(self, session_id: str, text: str, expect: Optional[str] = None) -> List[dict]:
        """Send one message; the assistant's messages once its answer (holding `expect`) arrived."""
        mark = self.mark()
        self.emit("user_uttered", {"session_id": session_id, "message": text})
        if expect is None:
            return self.wait(lambda: self.answers(mark), REPLY_WAIT, f"una respuesta a {text[:40]!r}")
        return self.wait(
            lambda: self.answers(mark) if expect in " ".join(m.get("text") or "" for m in self.answers(mark)) else None,
            REPLY_WAIT,
            f"una respuesta con {expect!r} a {text[:40]!r}",
        )

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:  # noqa: BLE001 - already gone
            pass


@pytest.fixture
def chat(stack):
    client = WebChat(stack.url)
    yield client
    client.close()


@pytest.fixture
def still_answers(stack, fact):
    """After the test: rasa is up and answers a normal question on a fresh session, stored intact."""
    yield
    assert stack.procs["rasa"].poll() is None, stack.log("rasa")[-3000:]
    fresh = WebChat(stack.url)
    try:
        session_id = fresh.session()
        fresh.ask(session_id, QUESTION, expect=fact)
    finally:
        fresh.close()
    assert wait_for_user_texts(stack, session_id, 1) == [QUESTION]
    assert_events_intact(stack.workdir / "tracker.db", session_id)


def expected_stored(text: str) -> str:
    """What the tracker keeps of a text message: cleaned, cut like every channel's, stripped by Rasa."""
    limited, _ = limit_message_text(readable_text(text), MAX_CHARS)
    return limited.strip()


def wait_for_user_texts(stack, session_id: str, count: int) -> List[str]:
    """The session's stored user texts once there are `count` (the tracker is saved after the reply)."""
    db = stack.workdir / "tracker.db"
    deadline = time.monotonic() + REPLY_WAIT
    while True:
        texts = stored_user_texts(db, session_id)
        if len(texts) >= count or time.monotonic() > deadline:
            return texts
        time.sleep(0.1)


SPANISH = re.compile(r"[¿¡áéíóúñ]")


def assert_refused(chat: WebChat, mark: int, reason: str) -> None:
    """One bot_uttered on this socket with the channel's Spanish error for `reason`."""
    (error,) = chat.wait(lambda: [m for m in chat.bot_messages(mark) if error_of(m)], 30, f"el error {reason}")
    assert error == {"text": ERRORS[reason], "metadata": {"error": reason, "rateable": False}}
    assert error["text"].strip() and SPANISH.search(error["text"]), error


# --- user_uttered with any data ------------------------------------------------------------------
# Mostly the widget's own shape with odd values; sometimes anything at all.
session_ids = weighted((4, st.just(CURRENT)), (2, st.sampled_from([OTHER, UPPER, "0" * 32])), (1, json_values))
messages = st.one_of(
    odd_text, json_values, st.sampled_from(["", " ", "🙂🙂🙂", "\x00\x07\x1b", "\ud83d\ude00", "/", "a" * 10_000])
)
metadata = st.one_of(json_values, json_values.map(json.dumps), st.just("{no es json"))
widget_like = st.fixed_dictionaries(
    {"session_id": st.just(CURRENT), "message": odd_text}, optional={"metadata": metadata}
)
near_misses = st.fixed_dictionaries(
    {}, optional={"session_id": session_ids, "message": messages, "metadata": metadata, "customData": json_values}
)
user_data = weighted((5, widget_like), (4, near_misses), (1, json_values))


def resolve(data: Any, current: str, other: str) -> Any:
    if isinstance(data, dict) and data.get("session_id") in (CURRENT, OTHER, UPPER):
        stand_in = data["session_id"]
        data = dict(data, session_id={CURRENT: current, OTHER: other, UPPER: current.upper()}[stand_in])
    return data


def expected_reason(data: Any, current: str) -> Optional[str]:
    """None when the channel must pass the message on, else the error it must answer."""
    if not isinstance(data, dict):
        return "invalid_data"
    session_id = data.get("session_id")
    if not (isinstance(session_id, str) and SESSION_ID.match(session_id)):
        return "invalid_session"
    if session_id != current:
        return "unknown_session"
    if not isinstance(data.get("message"), str):
        return "invalid_message"
    return None


@fuzz_settings(100)
@given(data=user_data)
def test_user_uttered_with_any_data_gets_an_answer_or_a_spanish_error(stack, chat, still_answers, data):
    current = chat.session()
    other = uuid.uuid4().hex  # valid, but never asked for by this socket
    data = resolve(data, current, other)
    reason = expected_reason(data, current)
    event(reason or "passed on")
    mark = chat.mark()
    chat.emit("user_uttered", data)
    db = stack.workdir / "tracker.db"
    if reason is not None:
        assert_refused(chat, mark, reason)
        # Refused before Rasa: nothing stored under either session.
        assert stored_user_texts(db, current) == [] and stored_user_texts(db, other) == []
        return
    # Never silence, never only the notice: the assistant's own answer, in its words.
    answers = chat.wait(lambda: chat.answers(mark), REPLY_WAIT, "la respuesta del asistente")
    assert all(isinstance(m.get("text"), str) and m["text"].strip() for m in answers), answers
    assert not [m for m in chat.bot_messages(mark) if error_of(m)]
    assert_socketio_shape(chat.bot_messages(mark))
    # Stored as sent (cleaned and cut), with the metadata only when it is an object.
    assert wait_for_user_texts(stack, current, 1) == [expected_stored(data["message"])]
    (user_event,) = [e for e in assert_events_intact(db, current) if e["event"] == "user"]
    sent = data.get("metadata")
    if isinstance(sent, str):
        try:
            sent = json.loads(sent)
        except ValueError:
            sent = None
    assert user_event["parse_data"].get("metadata", {}) == (sent if isinstance(sent, dict) else {})
    assert user_event["input_channel"] == "webchat"


@pytest.mark.parametrize(
    "text",
    [
        "🙂🚀🇵🇪",  # emoji only
        "¿" + "cuántas mipymes " * 625,  # 10,000 characters
        "\x00\x01\x02\x1b[31m\x7f",  # control characters only
        "hola\x00 ¿cuántas\x1b mipymes?",  # control characters inside a question
        "\u200b\u200e\ufeff",  # invisible characters only
        "\ud800 hola \udfff",  # lone surrogates (spaCy raises on them)
        "   \n\t  ",  # whitespace only
    ],
    ids=["emoji", "10000-chars", "controls-only", "controls-inside", "invisible", "lone-surrogates", "whitespace"],
)
def test_valid_but_odd_texts_get_a_polite_spanish_reply(stack, chat, text):
    session_id = chat.session()
    answers = chat.ask(session_id, text)
    reply = " ".join(m.get("text") or "" for m in answers)
    assert reply.strip(), answers
    # Spanish: the assistant's replies always carry Spanish punctuation or accents.
    assert SPANISH.search(reply), reply
    assert wait_for_user_texts(stack, session_id, 1) == [expected_stored(text)]


# --- session_request with any data ------------------------------------------------------------------
SESSION_ID_NEAR_MISSES = ["f" * 32, "0123456789abcdef" * 2, "F" * 32, "f" * 31, "g" * 32]


@fuzz_settings(80)
@given(
    args=weighted(
        # A valid id (kept), a near miss, or anything.
        (2, st.tuples(st.fixed_dictionaries({"session_id": st.sampled_from(SESSION_ID_NEAR_MISSES)}))),
        (2, st.tuples(st.fixed_dictionaries({}, optional={"session_id": st.one_of(any_text, json_values)}))),
        (1, st.tuples(json_values)),
        (1, st.lists(json_values, max_size=3).map(tuple)),
    )
)
def test_session_request_with_any_data_gets_a_session(chat, still_answers, args):
    confirmed = chat.session(*args)
    assert isinstance(confirmed, str) and SESSION_ID.match(confirmed), confirmed
    requested = args[0].get("session_id") if len(args) == 1 and isinstance(args[0], dict) else None
    if isinstance(requested, str) and SESSION_ID.match(requested):
        assert confirmed == requested  # a valid id is kept (page reload)
        event("kept")
    else:
        assert confirmed != requested
        event("new")


# --- Unknown events, odd arguments ------------------------------------------------------------------
event_names = st.one_of(
    st.sampled_from(["connect", "disconnect", "message", "bot_uttered", "session_confirm", "user_uttered ", "*", ""]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
)


@fuzz_settings(60)
@given(name=event_names, args=st.lists(json_values, max_size=3))
def test_unknown_events_are_ignored_and_the_socket_goes_on(chat, still_answers, name, args):
    if name in ("user_uttered", "session_request"):
        name += "?"  # these two have their own tests
    mark = chat.mark()
    chat.emit(name, *args)
    # The same socket still works: a session_request after it is answered,
    # and nothing was sent back for the unknown event.
    chat.session()
    assert chat.since(mark, "bot_uttered") == []
    assert chat.sio.connected


@pytest.mark.parametrize(
    "args, reason",
    [
        ((), "invalid_data"),  # no data at all
        (({"session_id": None, "message": "hola"}, {"x": 1}), "invalid_data"),  # two arguments
        (("hola",), "invalid_data"),  # a bare string
        (([{"message": "hola"}],), "invalid_data"),
        (({"message": "hola"},), "invalid_session"),  # no session_request first
        (({"session_id": 12345678901234567890, "message": "hola"},), "invalid_session"),
    ],
)
def test_user_uttered_with_odd_arguments_gets_the_spanish_error(chat, args, reason):
    mark = chat.mark()
    chat.emit("user_uttered", *args)
    assert_refused(chat, mark, reason)


# --- Malformed Engine.IO / HTTP requests to /socket.io/ ---------------------------------------------
def _request(
    stack, method: str, path: str, body: Optional[bytes] = None, headers: Optional[dict] = None
) -> Tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", stack.rasa_port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def engineio_session(stack) -> str:
    """A polling Engine.IO session, connected to the default namespace (one packet queued for it)."""
    status, body = _request(stack, "GET", "/socket.io/?EIO=4&transport=polling")
    assert status == 200 and body.startswith(b"0"), (status, body)
    sid = json.loads(body[1:])["sid"]
    assert _request(stack, "POST", f"/socket.io/?EIO=4&transport=polling&sid={sid}", b"40")[0] == 200
    return sid


VALID_SID = "<sid válido>"
# Mostly a real session's query with one odd part, so that requests get past
# Engine.IO's first checks; sometimes anything.
query_values = st.one_of(st.sampled_from(["4", "3", "polling", "websocket", VALID_SID, ""]), any_text)
queries = weighted(
    (
        3,
        st.fixed_dictionaries(
            {
                "EIO": weighted((3, st.just("4")), (1, query_values)),
                "transport": weighted((3, st.just("polling")), (1, query_values)),
                "sid": weighted((3, st.just(VALID_SID)), (1, query_values)),
            },
            optional={"j": query_values, "t": query_values, "b64": query_values},
        ),
    ),
    (1, st.dictionaries(st.sampled_from(["EIO", "transport", "sid", "j", "t", "b64"]), query_values, max_size=6)),
)
packets = st.sampled_from(
    [
        "40",
        "41",
        "42",
        "42[]",
        '42["user_uttered"]',
        '42["session_request",{"session_id":1}]',
        '42["x"',
        "43",
        "44",
        "45-[]",
        "46",
        "4",
        "1",
        "2",
        "3",
        "5",
        "6",
        "9",
        "",
        "40/nadie,",
        "0{}",
        "\x1e\x1e",
        "b" + "A" * 10,
    ]
)
bodies = st.one_of(
    st.none(),
    st.binary(max_size=200),
    st.lists(packets, min_size=1, max_size=4).map(lambda ps: "\x1e".join(ps).encode()),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200).map(str.encode),
)
origins = st.one_of(
    st.none(),
    st.sampled_from(["http://evil.example", "null", "http://127.0.0.1:1", "file://"]),
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30),
)


@fuzz_settings(100)
@given(
    method=weighted((3, st.just("POST")), (2, st.just("GET")), (1, st.sampled_from(["OPTIONS", "PUT", "DELETE"]))),
    query=queries,
    body=bodies,
    origin=origins,
)
def test_malformed_polling_requests_never_get_a_5xx(stack, still_answers, method, query, body, origin):
    # A live session with its "40" answer queued, so that even a well-formed
    # GET on it returns at once instead of long-polling.
    sid = engineio_session(stack)
    params = "&".join(
        f"{quote(k)}={quote(sid if v == VALID_SID else v, safe='', errors='surrogatepass')}" for k, v in query.items()
    )
    headers = {"Content-Type": "text/plain;charset=UTF-8"}
    if origin is not None:
        headers["Origin"] = origin
    status, answer = _request(stack, method, f"/socket.io/?{params}", body=body, headers=headers)
    event(f"HTTP {status}")
    assert status < 500, (status, answer[:300])


WEBSOCKET_UPGRADE = (
    b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
)
RAW_REQUESTS = {
    # Handshakes Sanic 21.12 answered with 500 (fixed by TolerantEngineIO).
    "websocket without key": WEBSOCKET_UPGRADE + b"\r\n",
    "websocket bad key": WEBSOCKET_UPGRADE + b"Sec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\n\r\n",
    "websocket old version": (
        WEBSOCKET_UPGRADE + b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n"
    ),
    # Engine.IO's own refusals.
    "old protocol": b"GET /socket.io/?EIO=3&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n",
    "unknown transport": b"GET /socket.io/?EIO=4&transport=flashsocket HTTP/1.1\r\nHost: x\r\n\r\n",
    "jsonp index": b"GET /socket.io/?EIO=4&transport=polling&j=abc HTTP/1.1\r\nHost: x\r\n\r\n",
    "foreign origin": (
        b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n\r\n"
    ),
    "unknown session": (
        b"POST /socket.io/?EIO=4&transport=polling&sid=nadie HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n40"
    ),
    "percent garbage": b"GET /socket.io/?EIO=%ff%fe&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n",
    "method": b"PUT /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    # Sanic's own refusals (before any route).
    "request line": b"GARBAGE\r\n\r\n",
    "http version": b"GET /socket.io/?EIO=4&transport=polling HTTP/9.9\r\nHost: x\r\n\r\n",
    "header without colon": b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost x\r\n\r\n",
    "huge header": (
        b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
    ),
    "huge length": (
        b"POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n"
    ),
    "bad chunk": (
        b"POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"ZZ\r\n\r\n"
    ),
}


def raw_http(stack, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", stack.rasa_port), timeout=60) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


@pytest.mark.parametrize("name", list(RAW_REQUESTS))
def test_raw_malformed_http_to_socketio_is_refused_with_a_4xx(stack, name):
    # (The next test checks, as each fuzz test does, that the bot still answers.)
    answer = raw_http(stack, RAW_REQUESTS[name])
    status_line = answer.split(b"\r\n", 1)[0]
    assert re.match(rb"HTTP/1\.1 4\d\d ", status_line), answer[:300]


def test_a_post_body_bigger_than_engineio_accepts_is_refused_and_the_server_goes_on(stack, still_answers):
    sid = engineio_session(stack)
    status, _ = _request(stack, "POST", f"/socket.io/?EIO=4&transport=polling&sid={sid}", b"4" * 1_100_000)
    assert status == 413


# --- A real conversation through all of it --------------------------------------------------------------
def test_a_conversation_interleaved_with_garbage_is_kept_whole(stack, fact):
    """Three questions on one session while another socket (and the same one) sends garbage at it."""
    alice, mallory = WebChat(stack.url), WebChat(stack.url)
    try:
        session_id = alice.session()
        questions = [QUESTION, "¿qué sectores participaron?", QUESTION.upper()]
        for i, question in enumerate(questions):
            mark = alice.mark()
            # Another socket that knows the id but never asked for the session,
            # then one that did, both sending what cannot be a message.
            mallory.emit("user_uttered", {"session_id": session_id, "message": f"intruso {i}"})
            mallory.emit("user_uttered", {"session_id": session_id, "message": {"texto": "no"}})
            alice.emit("user_uttered", {"session_id": session_id, "message": [question]})
            alice.emit("user_uttered", {"session_id": session_id.upper(), "message": question})
            alice.emit("user_uttered", {"session_id": session_id})
            alice.emit("no_such_event", {"session_id": session_id, "message": question})
            sid = engineio_session(stack)
            _request(
                stack,
                "POST",
                f"/socket.io/?EIO=4&transport=polling&sid={sid}",
                '42["user_uttered",{"session_id":"%s","message":7}]\x1e42[]\x1e4x' % session_id,
            )
            answers = alice.ask(session_id, question, expect=fact if question != questions[1] else None)
            assert answers
            # The garbage from Alice's own socket came back as Spanish errors, nothing else.
            errors = [error_of(m) for m in alice.bot_messages(mark) if error_of(m)]
            assert sorted(errors) == ["invalid_message", "invalid_message", "invalid_session"], errors
            # The turn is stored (after its last message was sent), and asking
            # for the same session again keeps it: a round trip after which no
            # message of this turn can still be on its way.
            assert len(wait_for_user_texts(stack, session_id, i + 1)) == i + 1
            assert alice.session({"session_id": session_id}) == session_id
        mallory.wait(
            lambda: [error_of(m) for m in mallory.since(0, "bot_uttered")].count("unknown_session") == 6,
            30,
            "los seis errores «unknown_session» del intruso",
        )
        db = stack.workdir / "tracker.db"
        assert stored_user_texts(db, session_id) == questions
        events = assert_events_intact(db, session_id)
        # Each question answered before the next one, in stored order.
        kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
        users = [i for i, kind in enumerate(kinds) if kind == "user"]
        assert all(b - a > 1 for a, b in zip(users, users[1:])) and users[-1] < len(kinds) - 1, kinds
    finally:
        alice.close()
        mallory.close()


def test_the_server_is_healthy_after_the_socket_fuzz(stack, fact, log_start):
    assert stack.procs["rasa"].poll() is None, stack.log("rasa")[-3000:]
    fresh = WebChat(stack.url)
    try:
        session_id = fresh.session()
        answers = fresh.ask(session_id, QUESTION, expect=fact)
        assert fact in " ".join(m.get("text") or "" for m in answers)
        # Rasa's shape, with the answer marked rateable in its metadata (the widget's 👍/👎).
        assert_socketio_shape(answers)
        assert [m["metadata"]["rateable"] for m in answers if fact in m.get("text", "")] == [True]
    finally:
        fresh.close()
    assert wait_for_user_texts(stack, session_id, 1) == [QUESTION]
    # Every event anyone stored is still readable JSON.
    assert_events_intact(stack.workdir / "tracker.db")
    log = stack.log("rasa")[log_start:]
    # Nothing of ours (nor a python-socketio handler) raised, and no turn failed.
    for sign in (
        "Task exception was never retrieved",
        "async handler error",
        "El turno de",
        "Exception occurred while handling uri",
    ):
        assert sign not in log, log[log.index(sign) - 2000 : log.index(sign) + 2000]


# --- The WebSocket transport (what browsers use) ---------------------------------------------------------
async def test_a_websocket_frame_that_is_no_packet_closes_only_that_socket(stack, still_answers):
    import websockets

    url = stack.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url) as ws:
        assert (await asyncio.wait_for(ws.recv(), 30)).startswith("0")
        await ws.send("40")
        assert (await asyncio.wait_for(ws.recv(), 30)).startswith("40")
        # Socket.IO garbage inside valid Engine.IO packets: ignored, the socket goes on.
        for packet in ["42[]", "42{}", '42[5,"x"]', '42["connect",1]', '42["x"', "4x"]:
            await ws.send(packet)
        await ws.send('42["session_request",{"session_id":null}]')
        confirm = await asyncio.wait_for(ws.recv(), 30)
        assert confirm.startswith('42["session_confirm"'), confirm
        # A frame that is no Engine.IO packet at all: a normal close, never an
        # HTTP 500 written into the WebSocket.
        await ws.send("zz")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000, closed.value
    assert stack.procs["rasa"].poll() is None
