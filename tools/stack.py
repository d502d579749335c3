"""Start the real servers on free loopback ports, for the end-to-end tests and `make bench`.

``Stack`` runs the action server (``python -m actions.serve``) and ``rasa run``
with the trained model, each on a free 127.0.0.1 port, with their own
endpoints file and SQLite tracker store in a temporary folder.  ``stop()`` and
``start()`` again keep that folder, so a conversation survives a restart.
Logs go to files in the folder; on a start-up failure their tail is raised.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "al-invest.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body=None, headers: Optional[Dict[str, str]] = None, timeout: float = 30):
    """(status, parsed JSON or text) of one request; never raises on HTTP errors."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(sin log)"


class Stack:
    def __init__(
        self,
        workdir: Path,
        credentials: Optional[dict] = None,
        env: Optional[Dict[str, str]] = None,
        knowledge_file: Optional[Path] = None,
        rasa_args: Optional[List[str]] = None,
        endpoints: Optional[dict] = None,
    ):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.action_port = free_port()
        self.rasa_port = free_port()
        # Default: the production REST channel (channels/rest.py).
        self.credentials = credentials if credentials is not None else {"channels.rest.RestInput": None}
        self.extra_env = dict(env or {})
        if knowledge_file:
            self.extra_env["ALINVEST_KNOWLEDGE_FILE"] = str(knowledge_file)
        self.rasa_args = list(rasa_args or [])
        self.endpoints = endpoints
        self.procs: Dict[str, subprocess.Popen] = {}
        self.logs: Dict[str, Path] = {}
        self._log_start: Dict[str, int] = {}

    # --- lifecycle -------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"})
        for name in ("TRACKER_STORE_URL", "LOCK_STORE_URL"):
            env.pop(name, None)
        env.update(self.extra_env)
        return env

    def _write_config(self) -> None:
        # The production store classes (endpoints.yml), on a SQLite file of
        # this folder; env() keeps the developer's TRACKER_STORE_URL /
        # LOCK_STORE_URL out unless a test sets them.
        endpoints = self.endpoints or {
            "action_endpoint": {"url": f"{self.action_url}/webhook"},
            "tracker_store": {"type": "stores.EnvTrackerStore", "url": f"sqlite:///{self.workdir / 'tracker.db'}"},
            "lock_store": {"type": "stores.EnvLockStore"},
        }
        (self.workdir / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
        (self.workdir / "credentials.yml").write_text(yaml.safe_dump(self.credentials))

    def _spawn(self, name: str, cmd: List[str]) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        self.logs[name] = log
        # A restarted server appends to its log: only what it writes from now on tells it is up.
        self._log_start[name] = log.stat().st_size if log.exists() else 0
        fh = open(log, "ab")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env(), stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        fh.close()
        self.procs[name] = proc
        return proc

    def _wait_http(self, name: str, url: str, timeout: float, log_line: Optional[str] = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.procs[name]
            if proc.poll() is not None:
                raise RuntimeError(f"{name} terminó con código {proc.returncode}:\n{_tail(self.logs[name])}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200 and (log_line is None or log_line in self.log(name, since_start=True)):
                        return
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} no respondió en {timeout}s:\n{_tail(self.logs[name])}")

    def start_actions(self, timeout: float = 60) -> None:
        self._spawn("actions", [str(VENV_BIN / "python"), "-m", "actions.serve", "--port", str(self.action_port)])
        self._wait_http("actions", f"{self.action_url}/health", timeout)

    def start_rasa(self, timeout: float = 180) -> None:
        self._write_config()
        cmd = [
            str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--port", str(self.rasa_port),
            "--interface", "127.0.0.1", "--endpoints", str(self.workdir / "endpoints.yml"),
            "--credentials", str(self.workdir / "credentials.yml"), *self.rasa_args,
        ]
        self._spawn("rasa", cmd)
        # `/` answers 200 even when the model failed to load; the log line
        # comes only after the agent is loaded.
        self._wait_http("rasa", f"{self.url}/", timeout, log_line="Rasa server is up and running")

    def start(self) -> "Stack":
        self.start_actions()
        self.start_rasa()
        return self

    def stop_one(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def stop(self) -> None:
        for name in list(self.procs):
            self.stop_one(name)

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- talking -----------------------------------------------------------------------------
    def say(self, sender: str, text, timeout: float = 60) -> List[dict]:
        """Send one message over the REST channel; the bot's messages."""
        body = {"sender": sender, "message": text}
        status, body = http("POST", f"{self.url}/webhooks/rest/webhook", body, timeout=timeout)
        if status != 200:
            raise AssertionError(f"REST {status}: {body}")
        return body

    def text(self, sender: str, message) -> str:
        """The bot's reply as one string (all its messages joined)."""
        return "\n".join(m.get("text", "") for m in self.say(sender, message))

    def log(self, name: str, since_start: bool = False) -> str:
        """A server's log; ``since_start``: only what its latest start wrote."""
        if name not in self.logs:
            return ""
        with open(self.logs[name], "rb") as f:
            f.seek(self._log_start.get(name, 0) if since_start else 0)
            return f.read().decode(errors="replace")
