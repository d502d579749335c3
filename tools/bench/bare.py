"""The bare `rasa init --no-prompt` bot the bench compares ours with, built once per Rasa version."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tools.bench.measure import env
from tools.stack import VENV_BIN, Stack

BARE_DIR = Path(os.environ.get("BENCH_BARE_DIR") or Path(tempfile.gettempdir()) / "alinvest-bench-bare")


class BareStack(Stack):
    """`rasa run` of the bare bot in BARE_DIR: its own model, Rasa's stock REST channel, no action server."""

    def __init__(self, workdir: Path, bare_dir: Path):
        super().__init__(workdir)
        self.bare_dir = bare_dir

    def start_rasa(self, timeout: float = 180) -> None:
        (self.workdir / "credentials.yml").write_text("rest:\n")
        (self.workdir / "endpoints.yml").write_text("{}\n")
        cmd = [
            str(VENV_BIN / "rasa"), "run", "--model", str(self.bare_dir / "models"), "--port", str(self.rasa_port),
            "--interface", "127.0.0.1", "--endpoints", str(self.workdir / "endpoints.yml"),
            "--credentials", str(self.workdir / "credentials.yml"),
        ]
        self._spawn("rasa", cmd)
        self._wait_http("rasa", f"{self.url}/", timeout, log_line="Rasa server is up and running")


def rasa_version() -> str:
    out = subprocess.run([str(VENV_BIN / "python"), "-c", "import rasa; print(rasa.__version__)"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def bare_bot(bare_dir: Path = BARE_DIR) -> Path:
    """The bare `rasa init --no-prompt` bot (trained), built once per Rasa version."""
    stamp = bare_dir / ".bench-rasa-version"
    version = rasa_version()
    if stamp.is_file() and stamp.read_text().strip() == version and any((bare_dir / "models").glob("*.tar.gz")):
        return bare_dir
    building = bare_dir.with_name(bare_dir.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    print(f"construyendo el bot de referencia: rasa init --no-prompt en {bare_dir} (una vez, ~3 min)", flush=True)
    t = time.monotonic()
    with open(building / "init.log", "wb") as log:
        subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(building)], cwd=building,
                       env=env(), check=True, stdout=log, stderr=subprocess.STDOUT)
    if not any((building / "models").glob("*.tar.gz")):
        raise SystemExit(f"rasa init no dejó un modelo en {building}/models (ver init.log)")
    (building / stamp.name).write_text(version + "\n")
    shutil.rmtree(bare_dir, ignore_errors=True)
    building.rename(bare_dir)
    print(f"  hecho en {time.monotonic() - t:.0f} s", flush=True)
    return bare_dir
