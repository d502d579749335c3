"""👍/👎 under the widget's latest answer (docs/ratings.md), in headless Chromium.

One test drives a scripted socket (which turns get the buttons, what is sent,
what is hidden); the other a real bot stack: the rating reaches the tracker
store, ``tools.report`` lists the 👎 answer with its question, and neither the
payload nor the bot's thanks is drawn, live or after a reload.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import time

from playwright.sync_api import expect

from tests.browser.conftest import RESULTS, widget_strings
from tools.stack import ROOT, VENV_BIN

S = widget_strings()
QUESTION = "¿Cuántas mipymes peruanas se beneficiaron?"
FACT = "5.375"
NEXT_QUESTION = "¿Qué sectores participaron?"
THANKS = "¡Gracias por tu valoración!"
DOWN = '/rate{"rating":"down"}'
UP = '/rate{"rating":"up"}'
SESSION = "0123456789abcdef0123456789abcdef"

# socket.io replaced: each user message gets the bot messages of window.__replies[message].
FAKE_IO = """
window.io = function () {
  var handlers = {};
  var socket = {
    connected: true,
    on: function (event, fn) { handlers[event] = fn; return socket; },
    emit: function (event, data) {
      window.__emitted.push([event, data]);
      if (event === "session_request") setTimeout(function () { handlers.session_confirm("%s"); }, 0);
      if (event === "user_uttered") (window.__replies[data.message] || []).forEach(function (r, i) {
        setTimeout(function () { handlers.bot_uttered(r); window.__delivered++; }, 150 * (i + 1));
      });
    }
  };
  setTimeout(function () { handlers.connect(); }, 0);
  return socket;
};
window.__emitted = []; window.__delivered = 0;
""" % SESSION
CLARIFY = {"text": "No estoy seguro de haberte entendido. ¿Te refieres a alguno de estos temas?",
           "quick_replies": [{"content_type": "text", "title": "Sectores más activos", "payload": "/ask_sectors"}]}
# `metadata.rateable` as the server marks it (channels/webchat/output.py): answers only.
def bot(text, rateable):
    return {"text": text, "metadata": {"rateable": rateable}}


REPLIES = {
    "cuantas": [CLARIFY],
    "/ask_sectors": [bot("Primera parte", True), bot("Segunda parte", True)],
    UP: [bot(THANKS + " Nos ayuda a mejorar.", False)],
    DOWN: [bot(THANKS + " Nos ayuda a mejorar.", False)],
    "otra": [bot("Otra respuesta", True)],
    "texto y botones": [bot("Un texto", True), CLARIFY],
    "hola": [bot("¡Hola!", False)],
    "respuesta y saludo": [bot("Una respuesta", True), bot("¿Algo más?", False)],
}


def open_chat(page, url):
    page.goto(f"{url}/webchat/")
    page.get_by_role("button", name=S["openChat"]).click()
    expect(page.locator(".alw-status")).to_have_text(S["online"])


def send(page, text):
    page.get_by_label(S["inputLabel"]).fill(text)
    page.get_by_label(S["inputLabel"]).press("Enter")


def user_texts(page):
    return page.locator(".alw-msg--user .alw-bubble").all_inner_texts()


def rating_bar(page):
    return page.get_by_role("group", name=S["rate"])


def user_uttered(page):
    return [d["message"] for e, d in page.evaluate("window.__emitted") if e == "user_uttered"]


def test_rating_buttons_with_a_scripted_socket(stack, new_page):
    page = new_page()
    page.route(f"{stack.url}/webchat/socket.io.min.js",
               lambda r: r.fulfill(status=200, content_type="application/javascript", body=FAKE_IO))
    open_chat(page, stack.url)
    page.evaluate("r => { window.__replies = r; }", REPLIES)
    bots = page.locator(".alw-msg--bot")
    expect(bots).to_have_count(1)
    expect(rating_bar(page)).to_have_count(0)  # not under the greeting

    # A clarification (buttons): no rating.  Its button's answer, in two messages: under the last one.
    send(page, "cuantas")
    expect(page.locator(".alw-reply")).to_have_count(1)
    expect(rating_bar(page)).to_have_count(0)
    page.locator(".alw-reply").click()
    expect(bots.last).to_contain_text("Segunda parte")
    expect(rating_bar(page)).to_have_count(1)
    expect(bots.last.get_by_role("group", name=S["rate"])).to_have_count(1)
    up = rating_bar(page).get_by_role("button", name=S["rateUp"], exact=True)
    down = rating_bar(page).get_by_role("button", name=S["rateDown"], exact=True)
    expect(up).to_have_attribute("aria-pressed", "false")

    # 👍: the payload goes out; no user bubble, no typing, no thanks bubble; the pair says "¡Gracias!".
    count, users = bots.count(), user_texts(page)
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(rating_bar(page)).to_contain_text(S["rateThanks"])
    page.wait_for_function("() => window.__delivered >= 4")  # the thanks came
    assert user_uttered(page)[-1] == UP
    expect(page.locator(".alw-typing")).to_be_hidden()
    expect(bots).to_have_count(count)
    assert user_texts(page) == users
    expect(page.locator(".alw-log")).not_to_contain_text(THANKS)

    # The same button again sends nothing; the other one changes the rating (the last one counts).
    up.click()
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("aria-pressed", "false")
    assert user_uttered(page)[-2:] == [UP, DOWN]
    page.wait_for_function("() => window.__delivered >= 5")

    # A new question: the pair leaves the old answer and comes under the new one, unpressed.
    send(page, "otra")
    expect(bots.last).to_contain_text("Otra respuesta")
    expect(bots.last.get_by_role("group", name=S["rate"])).to_have_count(1)
    expect(rating_bar(page)).to_have_count(1)
    expect(rating_bar(page).locator("[aria-pressed=true]")).to_have_count(0)
    expect(rating_bar(page)).to_be_in_viewport(ratio=1)  # the log scrolled down to it

    # A turn whose last message has buttons: none.
    send(page, "texto y botones")
    expect(page.locator(".alw-reply")).to_have_count(1)
    expect(rating_bar(page)).to_have_count(0)
    assert "/rate" not in " ".join(user_texts(page))

    # Small talk is not an answer: no pair; nor when the turn ends with it.
    send(page, "otra")
    expect(rating_bar(page)).to_have_count(1)
    send(page, "hola")
    expect(bots.last).to_contain_text("¡Hola!")
    expect(rating_bar(page)).to_have_count(0)
    send(page, "respuesta y saludo")
    expect(bots.last).to_contain_text("¿Algo más?")
    expect(rating_bar(page)).to_have_count(0)


def wait_for_rating(db, sid, timeout=30):
    """The rating's user event and the bot's reply to it, from the tracker store."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as con:
            rows = con.execute(
                "SELECT type_name, intent_name, data FROM events WHERE sender_id = ? "
                "AND type_name IN ('user', 'bot') ORDER BY id", (sid,)).fetchall()
        rate = [i for i, r in enumerate(rows) if r[0] == "user" and r[1] == "rate"]
        if rate and any(r[0] == "bot" for r in rows[rate[-1]:]):
            return json.loads(rows[rate[-1]][2])
        time.sleep(0.3)
    raise AssertionError(f"no rating for {sid} in {db}")


def test_a_down_rating_reaches_the_store_and_the_report(stack, new_page, tmp_path):
    page = new_page()
    open_chat(page, stack.url)
    bots = page.locator(".alw-msg--bot")
    send(page, QUESTION)
    expect(bots.last).to_contain_text(FACT)
    answer = bots.last.locator(".alw-bubble").inner_text()
    count = bots.count()

    # Keyboard: from the input, Shift+Tab reaches 👎 with a visible focus; Enter rates.
    down = rating_bar(page).get_by_role("button", name=S["rateDown"], exact=True)
    page.keyboard.press("Shift+Tab")
    expect(down).to_be_focused()
    assert down.evaluate("b => b.matches(':focus-visible') && getComputedStyle(b).outlineStyle !== 'none'")
    page.keyboard.press("Enter")
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(rating_bar(page)).to_contain_text(S["rateThanks"])

    sid = page.evaluate("k => localStorage.getItem(k)", f"alInvestWebchat:{stack.url}")
    db = stack.workdir / "tracker.db"
    event = wait_for_rating(db, sid)
    assert event["text"] == DOWN and event["input_channel"] == "webchat"
    assert {"entity": "rating", "value": "down"}.items() <= event["parse_data"]["entities"][0].items()

    # Neither the payload nor the bot's thanks is drawn.
    assert user_texts(page) == [QUESTION]
    expect(bots).to_have_count(count)
    expect(page.locator(".alw-log")).not_to_contain_text(THANKS)
    expect(page.locator(".alw-log")).not_to_contain_text("/rate")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "widget-ratings.png"))

    # The report lists the 👎 answer with its question.
    out = tmp_path / "report"
    run = subprocess.run([str(VENV_BIN / "python"), "-m", "tools.report", "--db", str(db), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as f:
        downs = [r for r in csv.DictReader(f) if r["seccion"] == "valoracion_negativa"]
    assert [(r["pregunta"], r["conversacion"]) for r in downs] == [(QUESTION, sid)]
    assert FACT in downs[0]["respuesta"] and answer.splitlines()[0] in downs[0]["respuesta"]
    assert QUESTION in (out / "report.html").read_text(encoding="utf-8")

    # Reload: the history has no rating bubble and no thanks; the pair shows the 👎 given.
    page.reload()
    expect(page.locator(".alw-status")).to_have_text(S["online"])
    expect(bots).to_have_count(count)
    assert user_texts(page) == [QUESTION]
    expect(page.locator(".alw-log")).not_to_contain_text("/rate")
    expect(page.locator(".alw-log")).not_to_contain_text(THANKS)
    expect(bots.last.get_by_role("button", name=S["rateDown"], exact=True)).to_have_attribute("aria-pressed", "true")

    # A new question: the pair moves to its answer, which is drawn (not taken for a thanks).
    send(page, NEXT_QUESTION)
    expect(bots).not_to_have_count(count)
    expect(bots.last.get_by_role("group", name=S["rate"])).to_have_count(1)
    expect(rating_bar(page)).to_have_count(1)
    expect(rating_bar(page).locator("[aria-pressed=true]")).to_have_count(0)


def test_only_answers_get_the_pair_on_the_real_server(stack, new_page):
    """The server marks a greeting unrateable and a fact rateable, live and in the history."""
    page = new_page()
    open_chat(page, stack.url)
    bots = page.locator(".alw-msg--bot")
    send(page, "hola")
    # utter_greet, from the server (not the widget's own greeting)
    expect(bots.last).to_contain_text("Unión Europea en Perú")
    expect(rating_bar(page)).to_have_count(0)
    send(page, QUESTION)
    expect(bots.last).to_contain_text(FACT)
    expect(bots.last.get_by_role("group", name=S["rate"])).to_have_count(1)
    send(page, "muchas gracias")
    expect(bots.last).to_contain_text("¡De nada!")  # utter_thanks
    expect(rating_bar(page)).to_have_count(0)
    # Reload: the history says the same.
    page.reload()
    expect(page.locator(".alw-status")).to_have_text(S["online"])
    expect(page.locator(".alw-log")).to_contain_text(FACT)
    expect(rating_bar(page)).to_have_count(0)
