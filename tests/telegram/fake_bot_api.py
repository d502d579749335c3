"""A fake Telegram Bot API on 127.0.0.1, for tests that must never reach Telegram.

An aiohttp app in a background thread (``FakeBotAPI().start()``), serving
``/bot<token>/<method>`` like api.telegram.org: ``{"ok": true, "result": ...}``
or ``{"ok": false, "error_code": ..., "description": ...}``.  Synchronous test
code drives it:

- ``calls`` records every call (method, params, HTTP status, result); ``wait_for``
  polls it with a deadline instead of sleeping fixed times;
- ``enqueue(update)`` queues an update for getUpdates, which follows
  Telegram's offset rules (an update is confirmed, and never served again, once
  getUpdates is called with a higher offset) and long-polls up to ``timeout``;
  ``forget_confirmations()`` simulates a confirmation Telegram never got;
- ``serve_raw(result)`` makes the next getUpdates answer ``{"ok": true,
  "result": <result>}`` with any JSON value (even a malformed update list),
  outside the queue and its offset rules;
- ``fail_next(kind, times, method)`` makes the next calls fail: "429" (with
  ``parameters.retry_after``), "500", or "drop" (connection closed, no answer);
- Telegram's own checks that a connector can trip on: unknown token (401),
  empty or too-long text, callback_data over 64 bytes, a bad secret_token,
  getUpdates while a webhook is set (409), Markdown that does not parse.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from aiohttp import web

TOKEN = "123:TEST"
BOT = {"id": 123, "is_bot": True, "first_name": "AL-INVEST 5.0", "username": "alinvest_test_bot"}


@dataclass
class Call:
    method: str
    params: Dict[str, Any]
    status: Optional[int] = None  # None while a long poll is still open
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what an accepted call returned (e.g. the sent Message)


@dataclass
class _Failure:
    kind: str
    method: Optional[str]
    retry_after: int


class _Reject(Exception):
    def __init__(self, status: int, description: str, **parameters: Any):
        self.status, self.description, self.parameters = status, description, parameters


_NOTHING = object()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeBotAPI:
    def __init__(self, token: str = TOKEN, bot: Optional[Dict[str, Any]] = None):
        self.token = token
        self.bot = dict(bot or BOT)
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self.port: Optional[int] = None
        self.reset()

    # --- lifecycle ----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeBotAPI":
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self.port is None:
            raise RuntimeError("la API falsa de Telegram no arrancó")
        return self

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            try:  # close the listening socket and open long polls first
                asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> "FakeBotAPI":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- test controls (any thread) ---------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.calls: List[Call] = []
            self.webhook: Optional[Dict[str, Any]] = None
            self._updates: List[Dict[str, Any]] = []
            self._confirmed_below = 0
            self._failures: List[_Failure] = []
            self._raw_results: List[Any] = []
            self._message_ids = itertools.count(1000)
        self._update_ids = getattr(self, "_update_ids", itertools.count(5000))  # never reused

    def enqueue(self, update: Dict[str, Any]) -> Dict[str, Any]:
        """Queue one update for getUpdates (an update_id is added if missing)."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        with self._lock:
            self._updates.append(update)
        return update

    def queued(self) -> List[Dict[str, Any]]:
        """Every update ever queued since the last reset (served or not)."""
        with self._lock:
            return list(self._updates)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def forget_confirmations(self) -> None:
        """Telegram never got our last offset: every queued update is pending again."""
        with self._lock:
            self._confirmed_below = 0

    def serve_raw(self, result: Any) -> None:
        """The next getUpdates (even one already long-polling) returns ``result`` as is."""
        with self._lock:
            self._raw_results.append(result)

    def raw_pending(self) -> int:
        with self._lock:
            return len(self._raw_results)

    def fail_next(self, kind: str, times: int = 1, method: Optional[str] = None, retry_after: int = 1) -> None:
        assert kind in ("429", "500", "drop"), kind
        with self._lock:
            self._failures.extend(_Failure(kind, method, retry_after) for _ in range(times))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def calls_of(self, method: str, **match: Any) -> List[Call]:
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if c.method == method and all(c.params.get(k) == v for k, v in match.items())]

    def sent_to(self, chat_id: Any, ok_only: bool = True) -> List[Call]:
        """The sendMessage calls to one chat (only the accepted ones by default)."""
        return [
            c
            for c in self.calls_of("sendMessage")
            if str(c.params.get("chat_id")) == str(chat_id) and (c.status == 200 or not ok_only)
        ]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"esperé {timeout}s {what}; llamadas: {self.summary()}")
            time.sleep(0.05)

    def summary(self) -> List[str]:
        with self._lock:
            calls = list(self.calls)
        return [f"{c.method}[{c.status}]({json.dumps(c.params, ensure_ascii=False)[:160]})" for c in calls]

    # --- the API ----------------------------------------------------------------------------------------------
    def _take_failure(self, method: str) -> Optional[_Failure]:
        with self._lock:
            for i, failure in enumerate(self._failures):
                if failure.method in (None, method):
                    return self._failures.pop(i)
        return None

    async def _params(self, request: web.Request) -> Dict[str, Any]:
        params: Dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise _Reject(400, "Bad Request: parameters must be an object")
                params.update(body)
            else:
                params.update(dict(await request.post()))
        for key in ("reply_markup", "allowed_updates", "reply_parameters"):
            if isinstance(params.get(key), str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    raise _Reject(400, f"Bad Request: can't parse {key} JSON object")
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except _Reject as r:
            params, early = {}, r
        else:
            early = None
        call = Call(method, params)
        with self._lock:
            self.calls.append(call)

        def answer(status: int, payload: Dict[str, Any]) -> web.Response:
            call.result = payload.get("result")  # before status: a waiter checks status
            call.status = status
            return web.json_response(payload, status=status)

        def error(status: int, description: str, **parameters: Any) -> web.Response:
            body: Dict[str, Any] = {"ok": False, "error_code": status, "description": description}
            if parameters:
                body["parameters"] = parameters
            return answer(status, body)

        if request.match_info["token"] != self.token:
            return error(401, "Unauthorized")
        failure = self._take_failure(method)
        if failure is not None:
            if failure.kind == "429":
                return error(
                    429, f"Too Many Requests: retry after {failure.retry_after}", retry_after=failure.retry_after
                )
            if failure.kind == "500":
                return error(500, "Internal Server Error")
            call.status = 0  # dropped
            request.transport.close()
            raise asyncio.CancelledError()
        if early is not None:
            return error(early.status, early.description)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except _Reject as r:
            return error(r.status, r.description, **r.parameters)
        return answer(200, {"ok": True, "result": result})

    # --- methods --------------------------------------------------------------------------------------------
    async def _m_getme(self, params: Dict[str, Any]) -> Any:
        return self.bot

    async def _m_setwebhook(self, params: Dict[str, Any]) -> Any:
        url = params.get("url") or ""
        if not url.startswith("https://"):
            raise _Reject(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _Reject(400, "Bad Request: secret token contains unallowed characters")
        with self._lock:
            self.webhook = dict(params)
        return True

    async def _m_deletewebhook(self, params: Dict[str, Any]) -> Any:
        with self._lock:
            self.webhook = None
            if params.get("drop_pending_updates") in (True, "true", "True"):
                self._updates.clear()
        return True

    async def _m_getwebhookinfo(self, params: Dict[str, Any]) -> Any:
        with self._lock:
            return {"url": (self.webhook or {}).get("url", ""), "pending_update_count": len(self._updates)}

    def _take_raw(self) -> Any:
        with self._lock:
            return self._raw_results.pop(0) if self._raw_results else _NOTHING

    def _pending(self, offset: Optional[int]) -> List[Dict[str, Any]]:
        with self._lock:
            if offset is not None and offset > 0:
                self._confirmed_below = max(self._confirmed_below, offset)
            return [u for u in self._updates if u["update_id"] >= self._confirmed_below][:100]

    async def _m_getupdates(self, params: Dict[str, Any]) -> Any:
        if self.webhook:
            raise _Reject(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        offset = int(offset) if offset is not None else None
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 50)
        while True:
            pending = self._pending(offset)  # confirms below offset, as Telegram does on every call
            raw = self._take_raw()
            if raw is not _NOTHING:
                return raw
            if pending or time.monotonic() >= deadline:
                return pending
            await asyncio.sleep(0.05)

    def _message(self, params: Dict[str, Any], **content: Any) -> Dict[str, Any]:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _Reject(400, "Bad Request: chat_id is empty")
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": self.bot,
            **content,
        }

    @staticmethod
    def _check_markup(params: Dict[str, Any]) -> None:
        markup = params.get("reply_markup")
        if markup is None:
            return
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if rows is None:
            return
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise _Reject(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _Reject(400, "Bad Request: BUTTON_DATA_INVALID")

    async def _m_sendmessage(self, params: Dict[str, Any]) -> Any:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _Reject(400, "Bad Request: message text is empty")
        if _utf16_len(text) > 4096:
            raise _Reject(400, "Bad Request: message is too long")
        mode = str(params.get("parse_mode") or "")
        if mode.lower().startswith("markdown"):
            for mark in ("_", "*", "`"):
                if (text.count(mark) - text.count("\\" + mark)) % 2:
                    raise _Reject(400, "Bad Request: can't parse entities: Can't find end of the entity")
            if text.count("[") - text.count("\\[") != text.count("]") - text.count("\\]"):
                raise _Reject(400, "Bad Request: can't parse entities")
        self._check_markup(params)
        return self._message(params, text=text)

    async def _m_sendphoto(self, params: Dict[str, Any]) -> Any:
        if not params.get("photo"):
            raise _Reject(400, "Bad Request: there is no photo in the request")
        return self._message(params, photo=[{"file_id": "x", "width": 1, "height": 1}])

    async def _m_sendchataction(self, params: Dict[str, Any]) -> Any:
        return True

    async def _m_answercallbackquery(self, params: Dict[str, Any]) -> Any:
        if not params.get("callback_query_id"):
            raise _Reject(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    async def _m_editmessagereplymarkup(self, params: Dict[str, Any]) -> Any:
        if not params.get("inline_message_id") and (
            params.get("chat_id") in (None, "") or not params.get("message_id")
        ):
            raise _Reject(400, "Bad Request: message identifier is not specified")
        self._check_markup(params)
        return True


# --- Update builders, shaped like Telegram's ---------------------------------------------------------------

_ids = itertools.count(1)


def user(user_id: int, first_name: str = "Ana") -> Dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "es"}


def private_chat(user_id: int) -> Dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Ana"}


def group_chat(chat_id: int) -> Dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "Mipymes Perú"}


def message(chat: Dict[str, Any], sender: Dict[str, Any], text: Optional[str] = None, **content: Any) -> Dict[str, Any]:
    msg: Dict[str, Any] = {"message_id": next(_ids), "date": int(time.time()), "chat": chat, "from": sender, **content}
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return msg


def text_update(user_id: int, text: str, update_id: Optional[int] = None) -> Dict[str, Any]:
    update: Dict[str, Any] = {"message": message(private_chat(user_id), user(user_id), text)}
    if update_id is not None:
        update["update_id"] = update_id
    return update


def callback_update(user_id: int, data: str, chat: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    chat = chat or private_chat(user_id)
    return {
        "callback_query": {
            "id": f"cq-{next(_ids)}",
            "from": user(user_id),
            "chat_instance": "42",
            "data": data,
            "message": message(chat, BOT, "¿Te refieres a alguno de estos temas?"),
        }
    }
