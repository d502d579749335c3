"""Facts come from the knowledge file at run time: no retraining, no restart.

One stack runs on a copy of the knowledge file.  A changed figure is answered
as soon as the file changes; a broken edit is refused (the log names the file
and line) and the previous figures stay in use; a broken file at start-up stops
the action server with the same kind of message.
"""

import os
import subprocess
import time
import uuid

from tests.conftest import KNOWLEDGE_FILE
from tools.stack import ROOT, VENV_BIN, Stack, free_port

ORIGINAL = KNOWLEDGE_FILE.read_text(encoding="utf-8")
QUESTION = "¿Cuántas mipymes peruanas se beneficiaron?"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    # A new mtime even on coarse file systems, so the change is seen.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def ask_until(stack, expected, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        reply = stack.text(f"k-{uuid.uuid4().hex[:8]}", QUESTION)
        if expected in reply or time.monotonic() > deadline:
            return reply
        time.sleep(0.5)


def test_changed_figure_is_answered_without_retraining_or_restart(tmp_path):
    copy = tmp_path / "knowledge.yml"
    write(copy, ORIGINAL.replace("beneficiaries: {value: 5375,", "beneficiaries: {value: 6123,"))
    s = Stack(tmp_path / "stack", knowledge_file=copy).start()
    try:
        assert "6.123" in s.text("k-1", QUESTION)  # the copy, not the trained data

        write(copy, ORIGINAL.replace("beneficiaries: {value: 5375,", "beneficiaries: {value: 7001,"))
        assert "7.001" in ask_until(s, "7.001")  # edited while running

        broken = ORIGINAL.replace("beneficiaries: {value: 5375,", "beneficiaries: {value: muchas,")
        write(copy, broken)
        reply = ask_until(s, "never", timeout=3)
        assert "7.001" in reply  # the previous facts stay in use
        line = next(i for i, text in enumerate(broken.splitlines(), 1) if "muchas" in text)
        log = s.log("actions")
        assert f"{copy}:{line}" in log and "peru.beneficiaries.value" in log
    finally:
        s.stop()


def test_broken_file_stops_the_action_server_at_start(tmp_path):
    copy = tmp_path / "knowledge.yml"
    broken = ORIGINAL.replace(
        "  countries: {value: 18, source: alcance}", "  countries: {value: dieciocho, source: alcance}"
    )
    write(copy, broken)
    env = dict(os.environ, ALINVEST_KNOWLEDGE_FILE=str(copy), RASA_TELEMETRY_ENABLED="false")
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "actions.serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "dieciocho" in text)
    assert proc.returncode == 2
    assert f"{copy}:{line}" in proc.stderr and "programme.countries.value" in proc.stderr
