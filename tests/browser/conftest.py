"""Headless Chromium (Debian's ``chromium``) driven by Playwright, and one bot stack.

Never ``playwright install``: the browser is /usr/bin/chromium.  Every request
a page makes to a host other than 127.0.0.1 is aborted and recorded, and the
test that caused it fails: the widget must work with no internet.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Dict, List
from urllib.parse import urlsplit

import pytest

from tools.stack import MODEL, ROOT, Stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SOCKETIO_CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
RESULTS = ROOT / "results"
# Origins allowed besides the bot's own: not the loopback test pages, so a page
# on another 127.0.0.1 port is a foreign origin.
ALLOWED_ORIGINS = "https://camara.example"
WEBCHAT = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
}


def widget_strings() -> Dict[str, str]:
    """The STRINGS object of webchat/widget.js: the texts the tests look for."""
    source = (ROOT / "webchat" / "widget.js").read_text(encoding="utf-8")
    block = re.search(r"var STRINGS = \{(.*?)\n  \};", source, re.S).group(1)
    return dict(re.findall(r'^\s*(\w+): "((?:[^"\\]|\\.)*)"', block, re.M))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    if not SOCKETIO_CLIENT.exists():
        pytest.fail(f"missing {SOCKETIO_CLIENT}: run `npm ci`")
    s = Stack(
        tmp_path_factory.mktemp("webchat"),
        credentials={"rest": None, "channels.webchat.WebChatInput": WEBCHAT},
        env={"WEBCHAT_ALLOWED_ORIGINS": ALLOWED_ORIGINS},
    )
    try:
        s.start()
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(str(CHROMIUM)):
        pytest.fail("no /usr/bin/chromium: `apt-get install -y chromium` (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Outside:
    """Requests and WebSockets to anything but 127.0.0.1, seen in one context."""

    def __init__(self) -> None:
        self.urls: List[str] = []

    def watch(self, context) -> None:
        def route(r):
            if urlsplit(r.request.url).hostname == "127.0.0.1":
                r.continue_()
            else:
                self.urls.append(r.request.url)
                r.abort()

        context.route("**/*", route)

    def websocket(self, ws) -> None:
        if urlsplit(ws.url).hostname != "127.0.0.1":
            self.urls.append(ws.url)


@pytest.fixture
def new_page(browser):
    """``new_page(width=1280, height=800)``: a page in a fresh context (own storage)."""
    contexts, outside = [], Outside()

    def make(width: int = 1280, height: int = 800):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="es-PE")
        context.set_default_timeout(20_000)
        outside.watch(context)
        contexts.append(context)
        page = context.new_page()
        page.on("websocket", outside.websocket)
        return page

    yield make
    for c in contexts:
        c.close()
    assert not outside.urls, f"the page tried to reach hosts other than 127.0.0.1: {outside.urls}"
