"""Throughput through our nginx (deploy/) over several replicas on PostgreSQL + Redis (both cores busy)."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Dict, List, Optional

from tools.bench.measure import memory, single_user, throughput_runs
from tools.stack import Stack, http

CLUSTER_PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
CLUSTER_REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")


def _start_replicas(stacks: List[Stack], work: Path, replicas: int, env: Dict[str, str]) -> None:
    """Start the replicas, each added to ``stacks`` first (so a failed start is still stopped)."""
    for i in range(replicas):
        s = Stack(work / f"r{i}", env=env)
        s.endpoints = {
            "action_endpoint": {"url": f"{s.action_url}/webhook"},
            "tracker_store": {"type": "stores.EnvTrackerStore"}, "lock_store": {"type": "stores.EnvLockStore"},
        }
        stacks.append(s)
        s.start_actions()
        s.start_rasa()


def _measure(stacks: List[Stack], work: Path, replicas: int, concurrency: int, rounds: int) -> Dict[str, float]:
    from deploy.cluster import Balancer

    balancer = Balancer([f"127.0.0.1:{s.rasa_port}" for s in stacks], workdir=work / "nginx").start()
    try:
        http("POST", f"{balancer.url}/webhooks/rest/webhook", {"sender": "bench-warmup", "message": "hola"})
        # The same warm-up as a single replica gets before its throughput
        # (one user's questions, three passes), spread over the replicas.
        single_user(balancer.url, rounds)
        result = throughput_runs(balancer.url, concurrency)
        mem = [sum(memory(s).values()) for s in stacks]
    finally:
        balancer.stop()
    print(
        f"[nuestro ×{replicas} + nginx] rendimiento ({concurrency} conversaciones a la vez, REST por nginx, "
        f"PostgreSQL + Redis, n={result.median.answers} por pasada): {result.text()}, "
        f"incorrectas {result.wrong}, errores {result.errors}; memoria por réplica "
        + ", ".join(f"{m:.0f} MB" for m in mem)
    )
    return {"throughput": result.median.throughput, "memory": max(mem)}


def cluster_throughput(replicas: int, concurrency: int, rounds: int = 3) -> Optional[Dict[str, float]]:
    """Throughput at ``concurrency`` through our nginx over ``replicas`` replicas on PostgreSQL + Redis.

    A throw-away database and a Redis key prefix of this run; None (and why)
    when PostgreSQL, Redis or nginx is not there.
    """
    import redis
    import sqlalchemy as sa

    from deploy.cluster import ClusterError

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(CLUSTER_PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        redis.Redis.from_url(CLUSTER_REDIS, socket_timeout=5).ping()
    except (sa.exc.SQLAlchemyError, redis.exceptions.RedisError) as e:
        print(f"[nuestro ×{replicas} + nginx] omitido: PostgreSQL/Redis no disponibles ({e.__class__.__name__})")
        admin.dispose()
        return None
    prefix = f"bench{uuid.uuid4().hex[:10]}"
    env = {
        "REST_RATE_LIMIT": "0", "TRACKER_STORE_URL": str(sa.engine.make_url(CLUSTER_PG).set(database=name)),
        "LOCK_STORE_URL": CLUSTER_REDIS, "LOCK_STORE_KEY_PREFIX": prefix, "SQL_POOL_SIZE": "2", "SQL_MAX_OVERFLOW": "2",
    }
    stacks: List[Stack] = []
    try:
        with tempfile.TemporaryDirectory() as work:
            _start_replicas(stacks, Path(work), replicas, env)
            return _measure(stacks, Path(work), replicas, concurrency, rounds)
    except ClusterError as e:
        print(f"[nuestro ×{replicas} + nginx] omitido: {e}")
        return None
    finally:
        for s in stacks:
            s.stop()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        client = redis.Redis.from_url(CLUSTER_REDIS, socket_timeout=5)
        for key in list(client.scan_iter(match=prefix + "*")):
            client.delete(key)
