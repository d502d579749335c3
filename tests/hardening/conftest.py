"""One real stack for the hardening tests: our REST channel with small limits,
and the web widget's socket.io channel.

The stack (action server + ``rasa run``) is package-scoped: shared by
test_fuzz.py, test_rest_channel.py and test_webchat_fuzz.py and stopped when
the last test of this folder ends, so at most one stack of ours runs at a
time.  The tests marked ``before_stack`` (a ``rasa run`` that must refuse to
start) are moved to the front of this folder's tests so they never run next
to it.
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import tempfile
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from tools.stack import MODEL, Stack

CHANNEL = "channels.rest.RestInput"
# The web widget's socket.io channel as in credentials.yml (test_webchat_fuzz.py):
# one stack for both channels, since each `rasa run` start costs ~40 s.
WEBCHAT = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True}
CREDENTIALS = {CHANNEL: None, "channels.webchat.WebChatInput": WEBCHAT}
RATE_LIMIT = 5
# Long enough for any normal turn on a loaded 2-core machine; short enough
# that the hung-action-server test stays quick.
REPLY_TIMEOUT = 6.0
MAX_BODY_BYTES = 64 * 1024  # the default
STACK_ENV = {
    "REST_RATE_LIMIT": str(RATE_LIMIT),
    "REST_RATE_WINDOW": "60",
    "CHANNEL_REPLY_TIMEOUT": str(REPLY_TIMEOUT),
    # Never inherit the developer's own settings.
    "REST_MAX_BODY_BYTES": "",
    "CHANNEL_MAX_MESSAGE_CHARS": "",
}
WEBHOOK = "/webhooks/rest/webhook"
NO_DATA = "No puedo consultar los datos"


def pytest_configure(config):
    config.addinivalue_line("markers", "before_stack: run before this folder's shared stack starts")
    # Hypothesis keeps caches in ./.hypothesis: not in the work tree.
    if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "al-invest-hypothesis")


def pytest_collection_modifyitems(session, config, items):
    here = [i for i, item in enumerate(items) if "tests/hardening/" in item.nodeid]
    if not here:
        return
    mine = [items[i] for i in here]
    ordered = [it for it in mine if it.get_closest_marker("before_stack")] + [
        it for it in mine if not it.get_closest_marker("before_stack")
    ]
    for i, item in zip(here, ordered):
        items[i] = item


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    s = Stack(tmp_path_factory.mktemp("hardening"), credentials=CREDENTIALS, env=STACK_ENV)
    try:
        s.start()
        yield s
    finally:
        s.stop()


def new_sender(prefix: str = "h") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def post(
    stack: Stack,
    body: Any,
    *,
    query: str = "",
    headers: Optional[Dict[str, str]] = None,
    chunked: bool = False,
    timeout: float = 60,
) -> Tuple[int, Dict[str, str], Any]:
    """POST to the REST webhook: (status, headers, parsed JSON or text).

    ``body``: bytes as they are, anything else as JSON.  ``chunked``: send the
    bytes with Transfer-Encoding: chunked (no Content-Length).
    """
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    conn = http.client.HTTPConnection("127.0.0.1", stack.rasa_port, timeout=timeout)
    try:
        if chunked:
            pieces = (data[i : i + 8192] for i in range(0, len(data), 8192))
            conn.request("POST", WEBHOOK + query, body=pieces, headers=hdrs, encode_chunked=True)
        else:
            conn.request("POST", WEBHOOK + query, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        status, resp_headers = resp.status, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    try:
        return status, resp_headers, json.loads(raw)
    except ValueError:
        return status, resp_headers, raw.decode(errors="replace")


def bot_text(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def tracker_events(stack: Stack, sender: str) -> List[Tuple[str, Dict[str, Any]]]:
    """(type_name, data) of every stored event of ``sender``, read-only from tracker.db."""
    db = stack.workdir / "tracker.db"
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        rows = con.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    finally:
        con.close()
    return [(type_name, json.loads(data)) for type_name, data in rows]


def user_texts(stack: Stack, sender: str) -> List[str]:
    return [data.get("text") for type_name, data in tracker_events(stack, sender) if type_name == "user"]


def assert_error(status: int, body: Any, expected_status: int, reasons=None) -> None:
    """A refused request: the status and our JSON error, with a Spanish message."""
    assert status == expected_status, (status, body)
    assert isinstance(body, dict), body
    assert body.get("status") == "failure" and body.get("code") == expected_status, body
    assert isinstance(body.get("message"), str) and body["message"], body
    if reasons is not None:
        assert body.get("reason") in reasons, body
