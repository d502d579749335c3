"""`make chat`'s script in a real pseudo-terminal: rasa shell with the action server.

Greeting, a question with its fact, a clarification button chosen with the
keyboard, then /stop: the shell ends and takes the action server with it.
"""

import os
import re
import socket

import pexpect
import pytest
import yaml

from tests.support.phrases import UNSURE
from tools.stack import MODEL, ROOT, free_port

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_shell_session(tmp_path):
    port = free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({
        "action_endpoint": {"url": f"http://127.0.0.1:{port}/webhook"},
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "tracker.db")},
    }))
    env = dict(os.environ, ACTION_PORT=str(port), ENDPOINTS=str(endpoints), MODEL=str(MODEL),
               RASA_TELEMETRY_ENABLED="false", TERM="xterm", COLUMNS="200", LINES="50")
    child = pexpect.spawn(
        str(ROOT / "scripts" / "chat.sh"), cwd=str(ROOT), env=env, encoding="utf-8", timeout=180, dimensions=(50, 200)
    )
    child.logfile_read = open(tmp_path / "shell.log", "w")
    try:
        child.expect("Your input ->")
        assert port_open(port), "the action server should be running under the shell"
        child.sendline("hola")
        child.expect("Hola")
        child.expect("Your input ->")
        child.sendline("cuantas mipymes peruanas se beneficiaron")
        child.expect("5.375")
        child.expect("Your input ->")
        # The first message the model is unsure about (it depends on the model).
        # The shell re-draws "Your input -> <text>" when a line is sent, so wait
        # for the clarification itself, a few seconds per candidate.
        for phrase in UNSURE:
            child.sendline(phrase)
            if child.expect(["No estoy seguro", pexpect.TIMEOUT], timeout=20) == 0:
                break
        else:
            pytest.fail(f"none of {UNSURE} gets a clarification in rasa shell")
        child.expect("Otra cosa")  # the buttons are shown as a choice list
        child.send("\r")  # choose the first (likeliest) topic
        child.expect("Your input ->")
        answer = ANSI.sub("", child.before)
        assert "No estoy seguro" not in answer.split("?")[-1]
        child.sendline("/stop")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
        child.logfile_read.close()
    assert not port_open(port), "leaving the shell must stop the action server"
