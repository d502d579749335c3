"""`make serve`'s script, for real: a broken file stops it, CORS, the closed API, SIGTERM.

The real ``scripts/serve.sh`` on free loopback ports, with the developer's
setting variables removed and conversations in a temporary SQLite file
(never the repository's tracker.db).  It is started once for every check
that needs running servers: a start costs about 40 s.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from tools.stack import MODEL, ROOT, free_port, http

SERVE = ROOT / "scripts" / "serve.sh"
ALLOWED = "https://camara.example"
BANNER = "Asistente AL-INVEST 5.0 en marcha"
# Settings a developer may have exported; each test sets what it needs.
SETTING_PREFIXES = ("TELEGRAM_", "REST_", "CHANNEL_", "WEBCHAT_", "LOCK_STORE_", "TRACKER_STORE_")
SETTING_NAMES = ("CORS_ORIGINS", "RASA_API_TOKEN", "SANIC_WORKERS", "CREDENTIALS", "ENDPOINTS",
                 "ALINVEST_KNOWLEDGE_FILE", "BOT_HOST", "BOT_PORT", "ACTION_PORT", "MODEL")


def serve_env(tmp_path: Path, **settings: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES) and k not in SETTING_NAMES}
    env.update(RASA_TELEMETRY_ENABLED="false", PYTHONUNBUFFERED="1", MODEL=str(MODEL),
               TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'tracker.db'}")
    env.update(settings)
    return env


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def processes_on(*ports: int) -> List[Tuple[int, str]]:
    """(pid, command line) of every live process started with ``--port <one of ports>``."""
    wanted = {str(p) for p in ports}
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode(errors="replace") for a in argv]
        if any(a == "--port" and i + 1 < len(args) and args[i + 1] in wanted for i, a in enumerate(args)):
            found.append((int(proc.name), " ".join(args)))
    return found


def request(method: str, url: str, headers: Dict[str, str]) -> Tuple[int, Dict[str, str]]:
    """(status, headers) of a request without body; never raises on HTTP errors."""
    req = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers.items())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items())


def wait_for(condition, what: str, limit: float = 60.0) -> None:
    """Poll ``condition`` until true; the limit only bounds a failure, it is not a speed check."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"still waiting for {what}")
        time.sleep(0.5)


def test_a_broken_credentials_copy_stops_serve_naming_file_and_line_before_any_server(tmp_path):
    text = (ROOT / "credentials.yml").read_text(encoding="utf-8")
    broken = text.replace("  session_persistence: true", "  session_persistence: sí")
    assert broken != text
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "session_persistence: sí" in row)
    credentials = tmp_path / "credentials-rotas.yml"
    credentials.write_text(broken, encoding="utf-8")
    bot, action = free_port(), free_port()
    env = serve_env(tmp_path, CREDENTIALS=str(credentials), BOT_PORT=str(bot), ACTION_PORT=str(action))

    # The timeout only stops a hung script; the check itself takes a second or two.
    result = subprocess.run(
        [str(SERVE)], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120
    )

    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        f"{credentials}:{line}: clave 'channels.webchat.WebChatInput.session_persistence': debe ser true o false"
        in result.stderr
    )
    assert BANNER not in result.stdout
    assert not port_open(bot) and not port_open(action)
    assert processes_on(bot, action) == []
    assert not (tmp_path / "tracker.db").exists()


def test_serve_cors_from_configuration_closed_api_real_answer_and_sigterm_stops_both_servers(tmp_path):
    bot, action = free_port(), free_port()
    env = serve_env(tmp_path, BOT_PORT=str(bot), ACTION_PORT=str(action), CORS_ORIGINS=ALLOWED)
    log_path = tmp_path / "serve.log"
    url = f"http://127.0.0.1:{bot}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(SERVE)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    log_text = lambda: log_path.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    try:

        def ready() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"serve.sh ended during start-up (code {proc.returncode}):\n{log_text()[-4000:]}")
            return BANNER in log_text()

        wait_for(ready, "serve.sh's banner", limit=480)
        assert f"CORS (REST y API): {ALLOWED}" in log_text()

        # CORS preflight of the REST webhook: the configured origin only.
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        status, headers = request("OPTIONS", f"{url}/webhooks/rest/webhook", {"Origin": ALLOWED, **preflight})
        assert status < 300 and headers.get("Access-Control-Allow-Origin") == ALLOWED, headers
        assert "POST" in headers.get("Access-Control-Allow-Methods", "")
        status, headers = request(
            "OPTIONS", f"{url}/webhooks/rest/webhook", {"Origin": "https://evil.example", **preflight}
        )
        assert "Access-Control-Allow-Origin" not in headers, headers

        # A real answer, with the fact from the knowledge file.
        status, body = http(
            "POST",
            f"{url}/webhooks/rest/webhook",
            {"sender": "serve-script-e2e", "message": "cuantas mipymes peruanas se beneficiaron"},
            headers={"Origin": ALLOWED},
            timeout=120,
        )
        assert status == 200, body
        texts = " ".join(m.get("text", "") for m in body)
        assert "5.375" in texts, body

        # Rasa's HTTP API is not mounted without RASA_API_TOKEN.
        status, body = http("GET", f"{url}/status")
        assert status in (401, 403, 404) and "model_file" not in str(body), (status, body)
        assert "API HTTP de Rasa: cerrada" in log_text()

        # SIGTERM to the script alone: it must stop both servers itself.
        assert port_open(action) and len(processes_on(bot, action)) >= 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=120) == 0, log_text()[-4000:]
        wait_for(lambda: not port_open(bot) and not port_open(action), "both ports to close", limit=30)
        assert processes_on(bot, action) == [], "orphan processes left behind"
        assert "Deteniendo el asistente" in log_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid, _ in processes_on(bot, action):  # only ours: identified by this test's free ports
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
