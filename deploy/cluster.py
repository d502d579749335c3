"""`make serve-cluster`: N replicas on PostgreSQL + Redis behind our own nginx, on this machine.

    python -m deploy.cluster [--replicas 2] [--port 8080] [--bot-port 5005] [--action-port 5055]

Each replica is `scripts/serve.sh` (its action server and `rasa run`, widget,
REST and, with TELEGRAM_TOKEN in webhook mode, Telegram) on ports
``--bot-port + i`` and ``--action-port + i``, all with the same
``TRACKER_STORE_URL`` (PostgreSQL) and ``LOCK_STORE_URL`` (Redis).  Unset,
they are ``postgresql://postgres@127.0.0.1:5432/alinvest_cluster`` (the
database is created if missing) and ``redis://127.0.0.1:6379/1``.  Then nginx
(Debian's package, installed by ``make install``) is started as a process of
ours with ``deploy/nginx.conf.template`` rendered into a temporary folder
(pid, logs and buffers there too), listening on 127.0.0.1:``--port``.
Ctrl-C or SIGTERM stops nginx, then every replica.

:class:`Balancer` (render, start, stop nginx; which replica served a path)
is what tests/cluster uses too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from settings.errors import SettingsError
from settings.table import raw_value, value

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULT_TRACKER_STORE_URL = "postgresql://postgres@127.0.0.1:5432/alinvest_cluster"
DEFAULT_LOCK_STORE_URL = "redis://127.0.0.1:6379/1"
MAX_REPLICAS = 8
REPLICA_START_SECONDS = 300.0


class ClusterError(Exception):
    """Something the cluster cannot start with; the message says what to do."""


def find_nginx() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not path:
        raise ClusterError(
            "no está nginx: ejecuta `make install` (scripts/install-system-deps instala el paquete de Debian)."
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_nginx_conf(
    listen: str, upstreams: Sequence[str], prefix: Path, read_timeout: int = 90, template: Path = TEMPLATE
) -> str:
    """The nginx.conf for ``upstreams`` (``host:port`` each), listening on ``listen`` (``127.0.0.1:8080``)."""
    if not upstreams:
        raise ClusterError("hace falta al menos una réplica")
    for u in upstreams:
        if not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+:\d{1,5}", u):
            raise ClusterError(f"réplica {u!r}: se esperaba host:puerto")
    # A replica that refuses connections is left out for 5 s, then tried again.
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    fields = {"prefix": str(prefix), "listen": listen, "servers": servers, "read_timeout": str(int(read_timeout))}
    text = template.read_text(encoding="utf-8")
    out = re.sub(r"\{\{ (\w+) \}\}", lambda m: fields[m.group(1)], text)
    return out


class Balancer:
    """Our own nginx process in front of ``upstreams``, all of its files in ``workdir``."""

    def __init__(
        self,
        upstreams: Sequence[str],
        port: Optional[int] = None,
        workdir: Optional[Path] = None,
        read_timeout: int = 90,
    ):
        self.upstreams = list(upstreams)
        self.port = port or free_port()
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="alinvest-nginx."))
        self.read_timeout = read_timeout
        self.proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def conf(self) -> Path:
        return self.workdir / "nginx.conf"

    def start(self, timeout: float = 20) -> "Balancer":
        nginx = find_nginx()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            render_nginx_conf(f"127.0.0.1:{self.port}", self.upstreams, self.workdir, self.read_timeout)
        )
        base = [nginx, "-p", str(self.workdir), "-c", str(self.conf), "-g", "daemon off;"]
        check = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise ClusterError(f"nginx rechaza {self.conf}:\n{check.stderr.strip()}")
        log = open(self.workdir / "nginx.out", "ab")
        self.proc = subprocess.Popen(base, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ClusterError(f"nginx terminó con código {self.proc.returncode}: {self.log('error.log')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise ClusterError(f"nginx no escucha en {self.url} tras {timeout:g} s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def log(self, name: str = "access.log") -> str:
        try:
            return (self.workdir / name).read_text(errors="replace")
        except OSError:
            return ""

    def served_by(self, path_prefix: str) -> Dict[str, int]:
        """Requests to paths starting with ``path_prefix`` per replica that answered them (access log)."""
        counts: Dict[str, int] = {}
        pattern = re.compile(r'"[A-Z]+ (\S+) [^"]*" (\d{3}) upstream=(.+) [\d.]+$')
        for line in self.log().splitlines():
            m = pattern.search(line)
            if m and m.group(1).startswith(path_prefix) and m.group(3) != "-":
                # A request tried on several replicas lists them all: the last one answered.
                last = re.split(r"[,:] ", m.group(3))[-1].strip()
                counts[last] = counts.get(last, 0) + 1
        return counts

    def __enter__(self) -> "Balancer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- make serve-cluster ---------------------------------------------------------------------------
def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist (only for our default URL)."""
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
                print(f"base de datos {target.database} creada", flush=True)
    except sa.exc.OperationalError as e:
        raise ClusterError(
            f"PostgreSQL no responde en {target.render_as_string(hide_password=True)}: {e.__class__.__name__}"
        ) from None
    finally:
        admin.dispose()


def wait_ready(name: str, proc: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ClusterError(
                f"{name} terminó durante el arranque (código {proc.returncode}); mira sus mensajes arriba."
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            pass
        time.sleep(0.5)
    raise ClusterError(f"{name} no respondió en {timeout:g} s en {url}")


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # serve.sh stops its servers on SIGTERM
        proc.wait(timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def replica_env() -> Dict[str, str]:
    """The replicas' environment: ours, with PostgreSQL and Redis on their local defaults when unset."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    if raw_value(env, "TRACKER_STORE_URL") is None:
        env["TRACKER_STORE_URL"] = DEFAULT_TRACKER_STORE_URL
        ensure_database(DEFAULT_TRACKER_STORE_URL)
    if raw_value(env, "LOCK_STORE_URL") is None:
        env["LOCK_STORE_URL"] = DEFAULT_LOCK_STORE_URL
    if raw_value(env, "TELEGRAM_TOKEN") and value("TELEGRAM_MODE", env) != "webhook":
        raise ClusterError(
            "con TELEGRAM_TOKEN, varias réplicas necesitan TELEGRAM_MODE=webhook "
            "(Telegram solo admite un getUpdates por token)."
        )
    return env


def start_replicas(procs: List[subprocess.Popen], env: Dict[str, str], state: Path, bot_port: int, action_port: int,
                   replicas: int) -> None:
    """Start ``replicas`` copies of scripts/serve.sh, appending each to ``procs`` as it starts, and wait for them."""
    for i in range(replicas):
        renv = dict(env, BOT_PORT=str(bot_port + i), ACTION_PORT=str(action_port + i), BOT_HOST="127.0.0.1")
        if raw_value(renv, "TELEGRAM_STATE_DIR") is None:
            renv["TELEGRAM_STATE_DIR"] = str(state / f"replica-{i + 1}")
        Path(renv["TELEGRAM_STATE_DIR"]).mkdir(parents=True, exist_ok=True)
        procs.append(subprocess.Popen([str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=renv, start_new_session=True))
    for i, proc in enumerate(procs):
        url = f"http://127.0.0.1:{bot_port + i}/webhooks/rest/"
        wait_ready(f"réplica {i + 1}", proc, url, REPLICA_START_SECONDS)


def watch(procs: List[subprocess.Popen], balancer: Balancer) -> None:
    """Until nginx dies (ClusterError) or Ctrl-C: say once when a replica ends."""
    reported = set()
    while True:
        for i, proc in enumerate(procs):
            if proc.poll() is not None and i not in reported:
                reported.add(i)
                print(f"aviso: la réplica {i + 1} terminó (código {proc.returncode}); nginx sigue con las demás.",
                      flush=True)
        if balancer.proc and balancer.proc.poll() is not None:
            raise ClusterError(f"nginx terminó: {balancer.log('error.log')[-2000:]}")
        time.sleep(2)


def serve(replicas: int, port: int, bot_port: int, action_port: int) -> int:
    env = replica_env()
    state = Path(tempfile.mkdtemp(prefix="alinvest-cluster."))
    procs: List[subprocess.Popen] = []
    balancer: Optional[Balancer] = None

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        start_replicas(procs, env, state, bot_port, action_port, replicas)
        upstreams = [f"127.0.0.1:{bot_port + i}" for i in range(replicas)]
        balancer = Balancer(upstreams, port=port, workdir=state / "nginx").start()
        print(
            f"\n{replicas} réplicas (rasa run en 127.0.0.1:{bot_port}-{bot_port + replicas - 1}) sobre "
            f"{env['TRACKER_STORE_URL'].split('@')[-1]} y {env['LOCK_STORE_URL'].split('@')[-1]}, detrás de nginx:\n"
            f"  widget  {balancer.url}/webchat/\n  REST    {balancer.url}/webhooks/rest/webhook\n"
            f"  registros de nginx en {balancer.workdir}; Ctrl-C para detener todo.",
            flush=True,
        )
        watch(procs, balancer)
    except KeyboardInterrupt:
        print("\nDeteniendo nginx y las réplicas…", flush=True)
        return 0
    finally:
        if balancer:
            balancer.stop()
        for proc in procs:
            stop_group(proc)
        shutil.rmtree(state, ignore_errors=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--port", type=int, default=8080, help="nginx on 127.0.0.1:PORT")
    ap.add_argument("--bot-port", type=int, default=5005, help="rasa run of replica i on BOT_PORT + i")
    ap.add_argument("--action-port", type=int, default=5055, help="action server of replica i on ACTION_PORT + i")
    args = ap.parse_args(argv)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        ap.error(f"--replicas debe estar entre 1 y {MAX_REPLICAS}")
    try:
        return serve(args.replicas, args.port, args.bot_port, args.action_port)
    except (ClusterError, SettingsError) as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
