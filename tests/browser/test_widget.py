"""The web chat widget in headless Chromium against a real bot stack.

One stack (action server + ``rasa run`` with channels.webchat.WebChatInput) for
the module; only the reconnection test restarts ``rasa run``.  The texts the
tests look for are read from the STRINGS object of webchat/widget.js.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from channels.webchat.origins import origin_allowed, parse_origin_patterns
from tests.browser.conftest import RESULTS
from tools.stack import ROOT, free_port, http


def _strings():
    source = (ROOT / "webchat" / "widget.js").read_text(encoding="utf-8")
    block = re.search(r"var STRINGS = \{(.*?)\n  \};", source, re.S).group(1)
    return dict(re.findall(r'^\s*(\w+): "((?:[^"\\]|\\.)*)"', block, re.M))


S = _strings()
QUESTION = "¿Cuántas mipymes peruanas se beneficiaron?"
FACT = "5.375"
# Low-confidence inputs; the first one that the running model answers with
# clarification buttons is used (checked over REST first).
from tests.support.phrases import UNSURE as AMBIGUOUS  # noqa: E402  one list for every channel
# Clarification button title -> a fact its answer must contain (shared with test_rasa_webchat.py).
from tests.support.phrases import TITLE_FACTS  # noqa: E402


# --- helpers -----------------------------------------------------------------------------
def open_demo(page, stack):
    page.goto(f"{stack.url}/webchat/")
    page.get_by_role("button", name=S["openChat"]).click()
    expect(page.locator(".alw-status")).to_have_text(S["online"])


def ask(page, text):
    before = page.locator(".alw-msg--bot").count()
    page.get_by_label(S["inputLabel"]).fill(text)
    page.get_by_label(S["inputLabel"]).press("Enter")
    expect(page.locator(".alw-msg--user").last).to_contain_text(text)
    expect(page.locator(".alw-msg--bot")).not_to_have_count(before)
    return page.locator(".alw-msg--bot").last


def messages(page):
    return [m.inner_text() for m in page.locator(".alw-msg").all()]


def session_id(page, stack):
    return page.evaluate("k => localStorage.getItem(k)", f"alInvestWebchat:{stack.url}")


def conversations(stack):
    """sender_id -> number of session starts, from the stack's SQLite tracker store."""
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT sender_id, SUM(action_name = 'action_session_start') FROM events GROUP BY sender_id"
        ).fetchall()
    return {sender: starts for sender, starts in rows if not sender.startswith("probe-")}


WS_PROBE = """url => new Promise(resolve => {
  const ws = new WebSocket(url);
  ws.onopen = () => { ws.close(); resolve("open"); };
  ws.onerror = () => resolve("error");
  setTimeout(() => resolve("timeout"), 10000);
})"""
FETCH_PROBE = """url => fetch(url).then(r => "read " + r.status, () => "blocked")"""


@pytest.fixture(scope="module")
def ambiguous(stack):
    sender = f"probe-{uuid.uuid4().hex[:8]}"
    for phrase in AMBIGUOUS:
        if any(m.get("buttons") for m in stack.say(sender, phrase)):
            return phrase
    pytest.fail(f"none of {AMBIGUOUS} gets clarification buttons from this model")


# --- no browser --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "origin, allowed",
    [
        (None, True),  # not a browser
        ("http://bot.example:5005", True),  # the bot's own origin
        ("http://localhost:3000", True),
        ("http://127.0.0.1:8080", True),
        ("http://127.0.0.1", True),
        ("https://evil.example", False),
        ("http://localhost.evil.example", False),
        ("https://localhost:3000", False),
        ("null", False),
    ],
)
def test_default_allowed_origins(origin, allowed):
    assert origin_allowed(origin, "bot.example:5005", parse_origin_patterns(None)) is allowed


def test_allowed_origins_from_the_environment():
    patterns = parse_origin_patterns(" https://www.camara.org.pe , http://intranet.local:* ")
    assert origin_allowed("https://www.camara.org.pe", "bot:5005", patterns)
    assert origin_allowed("http://intranet.local:8080", "bot:5005", patterns)
    assert not origin_allowed("http://www.camara.org.pe", "bot:5005", patterns)
    assert not origin_allowed("http://localhost:3000", "bot:5005", patterns)  # defaults replaced
    assert origin_allowed("http://bot:5005", "bot:5005", parse_origin_patterns(""))  # own origin only
    with pytest.raises(ValueError, match="www.camara.org.pe/"):
        parse_origin_patterns("https://www.camara.org.pe/")


def test_files_history_and_closed_api(stack):
    for path, kind in [("/webchat/", "text/html"), ("/webchat/widget.js", "javascript"),
                       ("/webchat/widget.css", "text/css"), ("/webchat/socket.io.min.js", "javascript")]:
        status, _ = http("GET", stack.url + path)
        assert status == 200, path
    assert http("GET", f"{stack.url}/webchat/history/not-a-session")[0] == 400
    unknown = uuid.uuid4().hex
    assert http("GET", f"{stack.url}/webchat/history/{unknown}") == (200, {"session_id": unknown, "messages": []})
    for origin, acao in [("https://camara.example", "https://camara.example"), ("https://evil.example", None)]:
        req = urllib.request.Request(f"{stack.url}/webchat/history/{unknown}", headers={"Origin": origin})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.headers.get("Access-Control-Allow-Origin") == acao, origin
    # Rasa's HTTP API is closed without --enable-api
    assert http("GET", f"{stack.url}/conversations/{unknown}/tracker")[0] == 404
    # the socket.io handshake checks the Origin header
    handshake = f"{stack.url}/socket.io/?EIO=4&transport=polling"
    assert http("GET", handshake, headers={"Origin": "https://evil.example"})[0] == 400
    assert http("GET", handshake, headers={"Origin": "https://camara.example"})[0] == 200
    assert http("GET", handshake, headers={"Origin": stack.url})[0] == 200


# --- in the browser ------------------------------------------------------------------------
FAKE_IO = """
window.io = function () {
  var handlers = {};
  var socket = {
    connected: true,
    on: function (event, fn) { handlers[event] = fn; return socket; },
    emit: function (event, data) {
      window.__emitted.push([event, data]);
      if (event === "session_request") {
        setTimeout(function () { handlers.session_confirm("0123456789abcdef0123456789abcdef"); }, 0);
      }
      if (event === "user_uttered") setTimeout(function () { handlers.bot_uttered(window.__reply); }, 1500);
    }
  };
  setTimeout(function () { handlers.connect(); }, 0);
  return socket;
};
window.__emitted = [];
"""
HOSTILE_REPLY = {
    "text": 'Hola <img src=x onerror="window.__pwned=1"> **negrita** y [la nota](https://example.org/nota)\n'
    "segunda línea\n- uno\n- dos <script>window.__pwned=2</script>",
    "quick_replies": [{"content_type": "text", "title": "<b>Sectores</b>", "payload": "/ask_sectors"}],
}


def test_rendering_is_escaped_and_shows_typing(stack, new_page):
    """A scripted socket (the socket.io client replaced) sends hostile text."""
    page = new_page()
    page.route(
        f"{stack.url}/webchat/socket.io.min.js",
        lambda r: r.fulfill(status=200, content_type="application/javascript", body=FAKE_IO),
    )
    page.goto(f"{stack.url}/webchat/")
    page.get_by_role("button", name=S["openChat"]).click()
    expect(page.locator(".alw-status")).to_have_text(S["online"])
    page.evaluate("r => { window.__reply = r; }", HOSTILE_REPLY)

    page.get_by_label(S["inputLabel"]).fill("<i>hola</i>")
    page.get_by_role("button", name=S["send"]).click()
    expect(page.locator(".alw-typing")).to_be_visible()
    expect(page.locator(".alw-typing")).to_contain_text(S["typing"])
    bot = page.locator(".alw-msg--bot").last
    expect(bot).to_contain_text("negrita")
    expect(page.locator(".alw-typing")).to_be_hidden()

    log = page.locator(".alw-log")
    assert log.locator("img, script, b, i").count() == 0
    assert page.evaluate("window.__pwned") is None
    expect(page.locator(".alw-msg--user").last).to_contain_text("<i>hola</i>")
    expect(bot).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(bot.locator("strong")).to_have_text("negrita")
    link = bot.get_by_role("link", name=re.compile("^la nota"))
    expect(link).to_have_attribute("href", "https://example.org/nota")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    assert bot.locator("br").count() >= 1 and bot.locator("li").count() == 2

    reply = page.get_by_role("group", name=S["suggestions"]).get_by_role("button", name="<b>Sectores</b>")
    reply.click()
    expect(page.locator(".alw-msg--user").last).to_contain_text("<b>Sectores</b>")
    expect(page.locator(".alw-reply")).to_have_count(0)
    emitted = page.evaluate("window.__emitted")
    assert ["user_uttered", {"message": "/ask_sectors", "session_id": "0123456789abcdef0123456789abcdef"}] in emitted


def test_conversation_reload_and_new_conversation(stack, new_page, ambiguous):
    page = new_page()
    page.goto(f"{stack.url}/webchat/")
    greeting = page.locator("script[src$='widget.js']").get_attribute("data-greeting")

    # Keyboard only: Tab reaches the bubble, Enter opens the chat on the input.
    launcher = page.get_by_role("button", name=S["openChat"])
    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name=S["title"])).to_be_visible()
    expect(page.locator(".alw-launcher")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label(S["inputLabel"])).to_be_focused()
    expect(page.locator(".alw-msg--bot").first).to_contain_text(greeting)
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    expect(page.locator(".alw-status")).to_have_text(S["online"])

    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(".alw-msg--user").last).to_contain_text(QUESTION)
    expect(page.locator(".alw-msg--bot").last).to_contain_text(FACT)

    # A clarification: its buttons; one is clicked, its title shown, its answer given.
    ask(page, ambiguous)
    replies = page.get_by_role("group", name=S["suggestions"]).get_by_role("button")
    expect(replies.first).to_be_visible()
    titles = replies.all_inner_texts()
    known = [t for t in titles if t in TITLE_FACTS]
    assert known, f"no button with a known answer among {titles}"
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "widget-desktop.png"))
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(RESULTS / "widget-360.png"))
    page.set_viewport_size({"width": 1280, "height": 800})

    before = page.locator(".alw-msg--bot").count()
    replies.filter(has_text=known[0]).first.click()
    expect(page.locator(".alw-msg--user").last).to_contain_text(known[0])
    expect(page.locator(".alw-msg--bot")).not_to_have_count(before)
    expect(page.locator(".alw-msg--bot").last).to_contain_text(TITLE_FACTS[known[0]])
    expect(page.locator(".alw-reply")).to_have_count(0)
    expect(page.get_by_label(S["inputLabel"])).to_be_focused()
    shown = messages(page)

    # Reload: the same session, its history, and one conversation on the server.
    sid = session_id(page, stack)
    assert re.fullmatch(r"[0-9a-f]{32}", sid or ""), sid
    page.reload()
    expect(page.locator(".alw-status")).to_have_text(S["online"])
    expect(page.locator(".alw-msg")).to_have_count(len(shown))
    assert messages(page) == shown
    assert session_id(page, stack) == sid
    assert conversations(stack) == {sid: 1}

    # Escape closes and gives the focus back to the bubble.
    page.get_by_label(S["inputLabel"]).press("Escape")
    expect(page.locator("#alw-panel")).to_be_hidden()
    expect(launcher).to_be_focused()

    # A new conversation: only the greeting, a new session id, answers again.
    launcher.click()
    page.get_by_role("button", name=S["newConversation"]).click()
    expect(page.locator(".alw-msg")).to_have_count(1)
    page.wait_for_function(
        "([k, old]) => { const v = localStorage.getItem(k); return v && v !== old; }",
        arg=[f"alInvestWebchat:{stack.url}", sid],
    )
    expect(ask(page, QUESTION)).to_contain_text(FACT)
    new_sid = session_id(page, stack)
    assert conversations(stack) == {sid: 1, new_sid: 1}


def test_a_foreign_origin_cannot_open_a_socket(stack, new_page):
    socket_url = f"ws://127.0.0.1:{stack.rasa_port}/socket.io/?EIO=4&transport=websocket"
    polling_url = f"{stack.url}/socket.io/?EIO=4&transport=polling"
    page_html = (
        "<!doctype html><html lang='es'><head><meta charset='utf-8'><title>Otra web</title></head>"
        f"<body><p>Otra web</p><script src='{stack.url}/webchat/widget.js' defer></script></body></html>"
    ).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page_html)))
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        foreign = new_page()
        foreign.goto(f"http://127.0.0.1:{server.server_port}/")
        foreign.get_by_role("button", name=S["openChat"]).click()
        expect(foreign.locator(".alw-status")).to_have_text(S["offline"])
        expect(foreign.locator(".alw-banner")).to_have_text(S["offlineHint"])
        assert foreign.evaluate(WS_PROBE, socket_url) == "error"
        assert foreign.evaluate(FETCH_PROBE, polling_url) == "blocked"
        assert foreign.evaluate(FETCH_PROBE, f"{stack.url}/webchat/history/{uuid.uuid4().hex}") == "blocked"
        expect(foreign.locator(".alw-status")).not_to_have_text(S["online"])
    finally:
        server.shutdown()
        server.server_close()

    own = new_page()
    own.goto(f"{stack.url}/webchat/")
    assert own.evaluate(WS_PROBE, socket_url) == "open"


def test_reconnects_after_a_server_restart(stack, new_page):
    page = new_page()
    open_demo(page, stack)
    stack.stop_one("rasa")
    expect(page.locator(".alw-status")).to_have_text(S["offline"])
    expect(page.locator(".alw-banner")).to_be_visible()
    expect(page.get_by_role("button", name=S["send"])).to_be_disabled()
    page.screenshot(path=str(RESULTS / "widget-offline.png"))

    stack.start_rasa()
    expect(page.locator(".alw-status")).to_have_text(S["online"], timeout=30_000)
    expect(page.locator(".alw-banner")).to_be_hidden()
    expect(ask(page, QUESTION)).to_contain_text(FACT)
