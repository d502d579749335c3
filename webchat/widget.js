/*
 * Chat widget of the AL-INVEST 5.0 assistant.  Plain JavaScript, no build step.
 *
 * Paste into any page (see docs/webchat.md):
 *   <script src="http://BOT:5005/webchat/widget.js" data-title="..." data-greeting="..." defer></script>
 *
 * It loads widget.css and the socket.io client from the same bot server (never
 * from anywhere else), talks to Rasa's socket.io channel with session
 * persistence (channels/webchat.py) and keeps the session id in localStorage,
 * so a reload shows the same conversation (GET /webchat/history/<id>).
 * Bot text is rendered with DOM nodes only (textContent): **bold**, [links](https://...),
 * bare https:// links, "- " list lines and line breaks; never raw HTML.
 * Under the latest answer (a message the server marks `metadata.rateable`: not under a
 * greeting, a clarification or a reply to bad input), 👍/👎 buttons send /rate{"rating":"up"|"down"} like a
 * quick reply (docs/ratings.md); the rating and the bot's thanks are not drawn.
 * The server's extras travel in each message's `metadata`, never beside `text`
 * (so other widgets, e.g. rasa-webchat, draw the same messages).
 */
(function () {
  "use strict";

  // Every text the user sees or hears.  Change them here.
  var STRINGS = {
    title: "Asistente AL-INVEST 5.0",
    greeting: "¡Hola! Soy el asistente virtual de AL-INVEST 5.0. Pregúntame por las mipymes beneficiadas, los sectores, las organizaciones o el evento de cierre.",
    openChat: "Abrir el chat con el asistente",
    closeChat: "Cerrar el chat",
    newConversation: "Nueva conversación",
    conversation: "Conversación con el asistente",
    inputLabel: "Escribe tu pregunta",
    inputPlaceholder: "Escribe tu pregunta…",
    send: "Enviar",
    you: "Tú:",
    bot: "Asistente:",
    typing: "El asistente está escribiendo…",
    connecting: "Conectando…",
    online: "En línea",
    offline: "Sin conexión — reconectando…",
    offlineHint: "Sin conexión con el asistente. Reintentando… Podrás enviar tu mensaje cuando vuelva la conexión.",
    noReply: "No llegó respuesta. Vuelve a intentarlo.",
    suggestions: "Respuestas sugeridas",
    newWindow: " (se abre en una ventana nueva)",
    rate: "¿Te sirvió esta respuesta?",
    rateUp: "Respuesta útil",
    rateDown: "Respuesta no útil",
    rateThanks: "¡Gracias!"
  };

  var REPLY_TIMEOUT_MS = 30000;
  var RETRY_SCRIPT_MS = 5000;

  var script = document.currentScript || document.querySelector("script[src*='/webchat/widget.js']");
  if (!script || window.__alInvestWebchat) return;
  window.__alInvestWebchat = true;

  var data = script.dataset || {};
  var server = (data.server || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var title = data.title || STRINGS.title;
  var greeting = data.greeting || STRINGS.greeting;
  var storeKey = "alInvestWebchat:" + server;

  var ioLib = null;
  var socket = null;
  var sessionId = storageGet(localStorage, storeKey);
  var historyShown = false;
  var online = false;
  var replyTimer = null;
  var answering = false;  // bot messages now answer the user's question...
  var turnButtons = false;  // ...and one of them had buttons: no rating
  var rated = false;  // bot messages now reply to a rating: not drawn
  var el = {};

  // --- storage (may be blocked: then the conversation lasts one page view) ----------
  function storageGet(store, key) {
    try { return store.getItem(key); } catch (e) { return null; }
  }
  function storageSet(store, key, value) {
    try {
      if (value === null) store.removeItem(key); else store.setItem(key, value);
    } catch (e) { /* ignored */ }
  }

  // --- DOM helpers -------------------------------------------------------------------
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var ICON_CLOSE = "M6 6l12 12M18 6L6 18";
  var ICON_SEND = "M3 20l18-8L3 4v6l12 2-12 2z";
  var ICON_THUMB = "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3";
  var ICON_NEW = "M11 4H4a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7M18.5 2.5a2.1 2.1 0 0 1 3 3L12 15l-4 1 1-4z";
  function icon(path, filled) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    if (filled) p.setAttribute("fill", "currentColor");
    else { p.setAttribute("fill", "none"); p.setAttribute("stroke", "currentColor"); p.setAttribute("stroke-width", "2.2"); p.setAttribute("stroke-linecap", "round"); p.setAttribute("stroke-linejoin", "round"); }
    svg.appendChild(p);
    return svg;
  }

  // --- safe rich text -------------------------------------------------------------
  var INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'»])/g;

  function link(href, label) {
    return h("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow" },
      [document.createTextNode(label), h("span", { className: "alw-sr", text: STRINGS.newWindow })]);
  }

  function inline(parent, text) {
    var last = 0, m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) parent.appendChild(h("strong", { text: m[1] }));
      else if (m[2] !== undefined) parent.appendChild(link(m[3], m[2]));
      else parent.appendChild(link(m[4], m[4]));
      last = INLINE.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function richText(text) {
    var frag = document.createDocumentFragment();
    var list = null;
    var lines = String(text).split("\n");
    lines.forEach(function (line, i) {
      var item = /^\s*[-•*]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) { list = h("ul"); frag.appendChild(list); }
        var li = h("li");
        inline(li, item[1]);
        list.appendChild(li);
        return;
      }
      list = null;
      inline(frag, line);
      var next = lines[i + 1];
      if (i < lines.length - 1 && !/^\s*[-•*]\s+/.test(next)) frag.appendChild(h("br"));
    });
    return frag;
  }

  // --- building the widget ------------------------------------------------------------
  function build() {
    if (!document.querySelector("link[data-alw]")) {
      document.head.appendChild(h("link", { rel: "stylesheet", href: server + "/webchat/widget.css", "data-alw": "" }));
    }
    el.launcher = h("button", { type: "button", className: "alw-launcher", "aria-label": STRINGS.openChat,
      "aria-expanded": "false", "aria-controls": "alw-panel" }, [icon(ICON_CHAT, true)]);
    el.title = h("h2", { className: "alw-title", id: "alw-title", text: title });
    el.status = h("p", { className: "alw-status", text: STRINGS.connecting });
    el.newBtn = h("button", { type: "button", className: "alw-icon-btn alw-new", title: STRINGS.newConversation,
      "aria-label": STRINGS.newConversation }, [icon(ICON_NEW)]);
    el.closeBtn = h("button", { type: "button", className: "alw-icon-btn alw-close", title: STRINGS.closeChat,
      "aria-label": STRINGS.closeChat }, [icon(ICON_CLOSE)]);
    el.banner = h("p", { className: "alw-banner", role: "status" });
    el.log = h("div", { className: "alw-log", role: "log", "aria-live": "polite", "aria-label": STRINGS.conversation, tabindex: "0" });
    el.typing = h("div", { className: "alw-typing", hidden: "" }, [
      h("span", { className: "alw-dots", "aria-hidden": "true" }, [h("span"), h("span"), h("span")]),
      h("span", { className: "alw-typing-text", text: STRINGS.typing })]);
    el.input = h("input", { type: "text", id: "alw-input", className: "alw-input", autocomplete: "off",
      maxlength: "1000", placeholder: STRINGS.inputPlaceholder, enterkeyhint: "send" });
    el.send = h("button", { type: "submit", className: "alw-send", "aria-label": STRINGS.send, title: STRINGS.send }, [icon(ICON_SEND, true)]);
    el.form = h("form", { className: "alw-form" }, [
      h("label", { className: "alw-sr", "for": "alw-input", text: STRINGS.inputLabel }), el.input, el.send]);
    el.panel = h("section", { className: "alw-panel", id: "alw-panel", role: "dialog", "aria-labelledby": "alw-title", hidden: "" }, [
      h("header", { className: "alw-header" }, [
        h("div", { className: "alw-heading" }, [el.title, el.status]), el.newBtn, el.closeBtn]),
      el.banner, el.log, el.typing, el.form]);
    el.root = h("div", { className: "alw", lang: "es" }, [el.panel, el.launcher]);
    document.body.appendChild(el.root);

    el.launcher.addEventListener("click", open);
    el.closeBtn.addEventListener("click", close);
    el.newBtn.addEventListener("click", newConversation);
    el.form.addEventListener("submit", function (ev) { ev.preventDefault(); sendText(); });
    el.panel.addEventListener("keydown", function (ev) { if (ev.key === "Escape") close(); });
    addGreeting();
    setOnline(false, STRINGS.connecting);
    if (storageGet(sessionStorage, storeKey + ":open") === "1") open(true);
  }

  // --- messages --------------------------------------------------------------------
  function scrollDown() { el.log.scrollTop = el.log.scrollHeight; }

  function addMessage(sender, text, buttons) {
    var bubble = h("div", { className: "alw-bubble" });
    if (sender === "user") bubble.textContent = text;
    else bubble.appendChild(richText(text));
    var msg = h("div", { className: "alw-msg alw-msg--" + sender }, [
      h("span", { className: "alw-sr", text: sender === "user" ? STRINGS.you : STRINGS.bot }), text ? bubble : null]);
    if (buttons && buttons.length) msg.appendChild(quickReplies(buttons));
    el.log.appendChild(msg);
    scrollDown();
    return msg;
  }

  function addNote(text) {
    el.log.appendChild(h("p", { className: "alw-note", text: text }));
    scrollDown();
  }

  function addGreeting() { addMessage("bot", greeting); }

  function quickReplies(buttons) {
    var group = h("div", { className: "alw-replies", role: "group", "aria-label": STRINGS.suggestions });
    buttons.forEach(function (b) {
      var btn = h("button", { type: "button", className: "alw-reply", text: b.title });
      btn.addEventListener("click", function () {
        if (!online) return;
        clearReplies();
        startTurn();
        addMessage("user", b.title);
        emitMessage(b.payload);
        el.input.focus();
      });
      group.appendChild(btn);
    });
    return group;
  }

  function clearReplies() {
    Array.prototype.forEach.call(el.log.querySelectorAll(".alw-replies"), function (g) { g.remove(); });
  }

  // --- 👍/👎 under the latest answer (docs/ratings.md) -------------------------------
  function startTurn() {
    clearRating();
    answering = true;
    turnButtons = rated = false;
  }

  function clearRating() {
    if (el.rating) el.rating.remove();
    el.rating = null;
  }

  function ratingBar(msg, chosen) {
    clearRating();
    var bar = el.rating = h("div", { className: "alw-rate", role: "group", "aria-label": STRINGS.rate });
    var note = h("span", { className: "alw-rate-note", text: chosen ? STRINGS.rateThanks : "" });
    ["up", "down"].forEach(function (value) {
      var label = value === "up" ? STRINGS.rateUp : STRINGS.rateDown;
      var btn = h("button", { type: "button", className: "alw-rate-btn alw-rate-" + value, "aria-label": label,
        title: label, "aria-pressed": String(value === chosen) }, [icon(ICON_THUMB)]);
      btn.addEventListener("click", function () {
        if (!online || btn.getAttribute("aria-pressed") === "true") return;
        Array.prototype.forEach.call(bar.children, function (b) { if (b !== note) b.setAttribute("aria-pressed", String(b === btn)); });
        note.textContent = STRINGS.rateThanks;
        rated = true;
        socket.emit("user_uttered", { message: '/rate{"rating":"' + value + '"}', session_id: sessionId });
      });
      bar.appendChild(btn);
    });
    bar.appendChild(note);
    msg.appendChild(bar);
    scrollDown();
  }

  function clearLog() {
    answering = rated = false;
    el.log.textContent = "";
    addGreeting();
  }

  function showTyping(on) {
    clearTimeout(replyTimer);
    el.typing.hidden = !on;
    if (on) {
      replyTimer = setTimeout(function () { showTyping(false); addNote(STRINGS.noReply); }, REPLY_TIMEOUT_MS);
      scrollDown();
    }
  }

  // What the server adds to a message (channels/webchat.py): in its `metadata`.
  function isRateable(msg) {
    return !!(msg && msg.metadata && msg.metadata.rateable === true);
  }

  function onBotMessage(msg) {
    if (!msg || rated) return;  // the thanks for a rating: the buttons already said it
    showTyping(false);
    var buttons = msg.quick_replies || msg.buttons || [];
    var text = typeof msg.text === "string" ? msg.text : "";
    if (!text && msg.attachment && msg.attachment.payload && /^https?:\/\//.test(msg.attachment.payload.src || "")) {
      text = msg.attachment.payload.src;
    }
    if (text || buttons.length) answered(addMessage("bot", text, buttons), buttons.length, isRateable(msg));
  }

  // The bar follows the turn's latest message, and only an answer about the
  // programme gets one: the server marks it `metadata.rateable` (docs/ratings.md).
  function answered(msg, hasButtons, rateable) {
    if (!answering) return;
    if (hasButtons) { turnButtons = true; clearRating(); } else if (!turnButtons) { if (rateable) ratingBar(msg); else clearRating(); }
  }

  function showHistory(messages) {
    el.log.setAttribute("aria-live", "off");  // do not read the whole history aloud
    messages.forEach(function (m, i) {
      var text = m.text || "", last = i === messages.length - 1;
      if (m.sender === "user" && text.indexOf("/rate") === 0) {  // a rating: mark it, hide it and its thanks
        var chosen = (/"rating"\s*:\s*"(up|down)"/.exec(text) || [])[1];
        if (chosen && el.rating) ratingBar(el.rating.parentNode, chosen);
        rated = true;
      } else if (m.sender === "user") {
        startTurn();
        addMessage("user", text);
      } else if (!rated) {
        answered(addMessage("bot", text, last ? m.buttons : null), m.buttons && m.buttons.length, isRateable(m));
      }
    });
    rated = false;
    setTimeout(function () { el.log.setAttribute("aria-live", "polite"); }, 0);
  }

  // --- sending ------------------------------------------------------------------------
  function emitMessage(text) {
    socket.emit("user_uttered", { message: text, session_id: sessionId });
    showTyping(true);
  }

  function sendText() {
    var text = el.input.value.trim();
    if (!text || !online) return;
    el.input.value = "";
    clearReplies();
    startTurn();
    addMessage("user", text);
    emitMessage(text);
  }

  function newConversation() {
    sessionId = null;
    storageSet(localStorage, storeKey, null);
    historyShown = true;
    showTyping(false);
    clearLog();
    if (socket && socket.connected) socket.emit("session_request", { session_id: null });
    el.input.focus();
  }

  // --- connection -----------------------------------------------------------------------
  function setOnline(on, text) {
    online = on;
    el.status.textContent = text;
    el.root.classList.toggle("alw--offline", !on && text === STRINGS.offline);
    el.banner.textContent = (!on && text === STRINGS.offline) ? STRINGS.offlineHint : "";
    el.send.disabled = !on;
    el.send.setAttribute("aria-disabled", String(!on));
  }

  function loadClient(done) {
    if (ioLib) return done();
    var hadIo = "io" in window, prevIo = window.io;
    var amd = typeof window.define === "function" && window.define.amd ? window.define : null;
    if (amd) window.define = undefined;  // the UMD bundle must set a global, not an AMD module
    var tag = h("script", { src: server + "/webchat/socket.io.min.js" });
    tag.onload = function () {
      ioLib = window.io;
      if (amd) window.define = amd;
      if (hadIo) window.io = prevIo; else delete window.io;  // leave the page's globals as they were
      done();
    };
    tag.onerror = function () {
      if (amd) window.define = amd;
      tag.remove();
      setOnline(false, STRINGS.offline);
      setTimeout(function () { loadClient(done); }, RETRY_SCRIPT_MS);
    };
    document.head.appendChild(tag);
  }

  function connect() {
    if (socket) return;
    socket = true;  // loading
    loadClient(function () {
      socket = ioLib(server, { path: "/socket.io", reconnectionDelay: 1000, reconnectionDelayMax: 4000, timeout: 8000 });
      socket.on("connect", function () {
        socket.emit("session_request", { session_id: sessionId });
      });
      socket.on("session_confirm", function (id) {
        if (sessionId && id !== sessionId) { clearLog(); historyShown = true; }  // the server refused our id
        var mustLoad = !historyShown && sessionId === id;
        sessionId = id;
        storageSet(localStorage, storeKey, id);
        if (!mustLoad) { historyShown = true; setOnline(true, STRINGS.online); return; }
        fetch(server + "/webchat/history/" + encodeURIComponent(id), { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
          .then(function (body) { historyShown = true; showHistory(body.messages || []); })
          .catch(function () { /* retried on the next connection */ })
          .then(function () { setOnline(socket.connected, socket.connected ? STRINGS.online : STRINGS.offline); });
      });
      socket.on("bot_uttered", onBotMessage);
      socket.on("disconnect", function () { showTyping(false); setOnline(false, STRINGS.offline); });
      socket.on("connect_error", function () { setOnline(false, STRINGS.offline); });
    });
  }

  function open(restoring) {
    el.panel.hidden = false;
    el.root.classList.add("alw--open");
    el.launcher.setAttribute("aria-expanded", "true");
    storageSet(sessionStorage, storeKey + ":open", "1");
    connect();
    scrollDown();
    if (restoring !== true) el.input.focus();
  }

  function close() {
    el.panel.hidden = true;
    el.root.classList.remove("alw--open");
    el.launcher.setAttribute("aria-expanded", "false");
    storageSet(sessionStorage, storeKey + ":open", null);
    el.launcher.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
