"""The community's widget, rasa-webchat 1.0.1 (npm devDependency), against the real servers.

rasa-webchat draws a bot message only when its keys, ``metadata`` aside, are
exactly ``text`` (or ``text`` plus ``buttons`` / ``quick_replies``), so it
showed nothing while our channel put ``rateable`` beside ``text``.  Here it
runs as a web page would use it (docs/webchat.md, "Usar rasa-webchat en lugar
de nuestro widget"): a page on another origin (a small HTTP server on
127.0.0.1 serving the page and ``node_modules/rasa-webchat/lib/index.js``,
never a CDN), ``socketUrl``/``socketPath`` pointing at ``rasa run``, session
storage.  A second page, on an origin ``WEBCHAT_ALLOWED_ORIGINS`` does not
list, must get no connection.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import RESULTS, WEBCHAT
from tests.support.phrases import TITLE_FACTS, clarifying_phrase
from tools.stack import MODEL, ROOT, Stack, free_port, http

LIB = ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
LIB_PATH = "/rasa-webchat/lib/index.js"
# rasa-webchat's stylesheet imports this font: answered here with an empty
# stylesheet, so nothing leaves 127.0.0.1 (new_page fails the test otherwise).
GOOGLE_FONTS = "https://fonts.googleapis.com/**"

QUESTION = "¿cuántas mipymes peruanas se beneficiaron?"
FACT = "5.375"
FOLLOW_UP = "¿y en total?"
TOTAL = "49.000"
SOURCE_QUESTION = "¿de dónde sacaste eso?"
# The sentence of the article the total comes from: quoted only when the bot
# still knows its last answer was the total (the same conversation).
TOTAL_SOURCE = "beneficiando a 49.000 mipymes"
GREETING = "Soy el asistente virtual"  # utter_greet, the answer to the initPayload "/greet"
PAGE = """<!doctype html>
<html lang="es">
<head><meta charset="utf-8"><title>Cámara de prueba</title></head>
<body>
<h1>Una web con rasa-webchat</h1>
<script src="%(lib)s"></script>
<script>
  WebChat.default({
    socketUrl: "%(socket_url)s",
    socketPath: "/socket.io/",
    initPayload: "/greet",
    title: "Asistente AL-INVEST 5.0",
    inputTextFieldHint: "Escribe tu pregunta…",
    params: { storage: "session" }
  }, null);
</script>
</body>
</html>
"""


class PageServer:
    """A web site of its own origin (http://127.0.0.1:<port>) with rasa-webchat on its page."""

    def __init__(self) -> None:
        self.socket_url = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == LIB_PATH:
                    body, content_type = LIB.read_bytes(), "application/javascript; charset=utf-8"
                elif self.path == "/":
                    body = (PAGE % {"lib": LIB_PATH, "socket_url": site.socket_url}).encode()
                    content_type = "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def sites():
    """(allowed, refused): two web sites, each on its own origin."""
    if not LIB.is_file():
        pytest.fail(f"missing {LIB}: run `npm ci` (devDependency rasa-webchat, package-lock.json)")
    allowed, refused = PageServer(), PageServer()
    try:
        yield allowed, refused
    finally:
        allowed.close()
        refused.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, sites):
    """This module's own stack: only the allowed site's origin may open a socket."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    allowed, refused = sites
    s = Stack(
        tmp_path_factory.mktemp("rasa-webchat"),
        credentials={"rest": None, "channels.webchat.WebChatInput": WEBCHAT},
        env={"WEBCHAT_ALLOWED_ORIGINS": allowed.url},
    )
    try:
        s.start()
        allowed.socket_url = refused.socket_url = s.url
        yield s
    finally:
        s.stop()


# --- helpers -----------------------------------------------------------------------------
def fresh_page(new_page):
    """A page in a fresh browser context (own storage), the library's web font answered locally."""
    page = new_page()
    page.route(GOOGLE_FONTS, lambda r: r.fulfill(status=200, content_type="text/css", body=""))
    return page


def visit(new_page, site):
    page = fresh_page(new_page)
    page.goto(site.url + "/")
    return page


def open_chat(page):
    """Click the launcher (rasa-webchat hides it until the socket is connected)."""
    page.locator(".rw-launcher").click()
    expect(page.locator(".rw-new-message")).to_be_visible()


def bot_messages(page):
    return page.locator(".rw-response")


def ask(page, text):
    """Type a question; the bot's new message (the last one once it is drawn)."""
    before = bot_messages(page).count()
    page.locator(".rw-new-message").fill(text)
    page.locator(".rw-new-message").press("Enter")
    expect(page.locator(".rw-client").last).to_contain_text(text)
    return answer_after(page, before)


def answer_after(page, count):
    """The last bot message, once there are more than `count` and it has text."""
    expect(bot_messages(page)).not_to_have_count(count, timeout=30_000)
    expect(bot_messages(page).last).to_have_text(re.compile(r"\S"), timeout=30_000)
    return bot_messages(page).last


def shown(page):
    return page.locator(".rw-message").all_inner_texts()


def stored_session(page):
    """The session id rasa-webchat keeps in sessionStorage (params.storage "session")."""
    raw = page.evaluate("() => sessionStorage.getItem('chat_session')")
    return json.loads(raw).get("session_id") if raw else None


def conversations(stack):
    """sender_id -> its stored user texts, from the stack's tracker store (REST probes left out)."""
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        rows = db.execute("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id").fetchall()
    found = {}
    for sender, data in rows:
        if not sender.startswith("probe-"):
            found.setdefault(sender, []).append(json.loads(data)["text"])
    return found


# --- tests -------------------------------------------------------------------------------
def test_a_fact_its_follow_up_and_a_reload(stack, sites, new_page):
    allowed, _ = sites
    page = visit(new_page, allowed)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)  # the initPayload's answer

    expect(ask(page, QUESTION)).to_contain_text(FACT)
    expect(ask(page, FOLLOW_UP)).to_contain_text(TOTAL)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "rasa-webchat.png"))
    before = shown(page)
    sid = stored_session(page)
    assert re.fullmatch(r"[0-9a-f]{32}", sid or ""), sid

    # Reload: rasa-webchat draws the conversation again from sessionStorage and
    # asks for the same session, so the bot still knows what "eso" is.
    page.reload()
    expect(page.locator(".rw-new-message")).to_be_visible()
    expect(bot_messages(page).last).to_contain_text(TOTAL)
    assert shown(page) == before
    assert stored_session(page) == sid
    expect(ask(page, SOURCE_QUESTION)).to_contain_text(TOTAL_SOURCE)
    # One conversation on the server, the reload included.
    assert conversations(stack)[sid] == ["/greet", QUESTION, FOLLOW_UP, SOURCE_QUESTION]


def test_a_clarification_s_buttons_are_shown_and_one_answers(stack, sites, new_page):
    phrase = clarifying_phrase(lambda text: stack.say(f"probe-{uuid.uuid4().hex[:8]}", text))
    allowed, _ = sites
    page = visit(new_page, allowed)
    open_chat(page)
    expect(bot_messages(page).first).to_contain_text(GREETING)
    ask(page, phrase)
    replies = page.locator(".rw-replies .rw-reply")
    expect(replies.first).to_be_visible()
    titles = replies.all_inner_texts()
    known = [t for t in titles if t in TITLE_FACTS]
    assert known, f"no button with a known answer among {titles}"
    before = bot_messages(page).count()
    replies.filter(has_text=known[0]).first.click()
    expect(page.locator(".rw-client").last).to_contain_text(known[0])
    expect(answer_after(page, before)).to_contain_text(TITLE_FACTS[known[0]])


def test_a_page_of_a_refused_origin_gets_no_connection(stack, sites, new_page):
    allowed, refused = sites
    known = set(conversations(stack))
    # The server refuses the handshake from that origin, and only from it.
    handshake = f"{stack.url}/socket.io/?EIO=4&transport=polling"
    assert http("GET", handshake, headers={"Origin": refused.url})[0] == 400
    assert http("GET", handshake, headers={"Origin": allowed.url})[0] == 200

    page = fresh_page(new_page)
    console = []
    page.on("console", lambda m: console.append(m.text))
    is_socketio = lambda r: "/socket.io/" in r.url  # noqa: E731
    with page.expect_event("requestfailed", is_socketio, timeout=20_000):
        page.goto(refused.url + "/")
    with page.expect_event("requestfailed", is_socketio, timeout=20_000):
        pass  # socket.io tries again, and is refused again
    assert not [line for line in console if line.startswith("session_confirm")], console
    expect(page.locator(".rw-launcher")).to_have_count(0)  # hideWhenNotConnected: nothing to open
    assert stored_session(page) is None
    assert set(conversations(stack)) == known
