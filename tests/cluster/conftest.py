"""Two replicas on PostgreSQL + Redis behind our own nginx (deploy/), with the fake Telegram Bot API.

* replicas A and B: each its action server and `rasa run` (REST, the widget's
  socket.io, Telegram in webhook mode), both on a throw-away PostgreSQL
  database and a Redis key prefix of this run (tests/scaleout's fixtures);
* nginx from ``deploy/nginx.conf.template`` (deploy.cluster.Balancer), on a
  free 127.0.0.1 port, its files in the test's temporary folder;
* the fake Bot API of tests/telegram, which both replicas call.
"""

from __future__ import annotations

import uuid

import pytest

from deploy.cluster import Balancer
from tests.scaleout.conftest import CREDENTIALS, ENDPOINT_STORES, LOCK_LIFETIME, _in_parallel, cluster_env, delete_keys
from tests.scaleout.conftest import pg_url, redis_server  # noqa: F401  fixtures, used by name
from tools.stack import MODEL, Stack
from tests.telegram.conftest import SECRET, WEBHOOK_URL, telegram_env
from tests.telegram.fake_bot_api import FakeBotAPI

TELEGRAM_CREDENTIALS = {**CREDENTIALS, "channels.telegram.TelegramInput": None}


class NginxCluster:
    def __init__(
        self,
        a: Stack,
        b: Stack,
        nginx: Balancer,
        database_url: str,
        fake_api: FakeBotAPI,
        redis_client,
        key_prefix: str,
    ):
        self.a, self.b, self.nginx, self.pg_url, self.fake_api = a, b, nginx, database_url, fake_api
        self.redis_client, self.key_prefix = redis_client, key_prefix

    @property
    def replicas(self):
        return [self.a, self.b]

    def replica_at(self, address: str) -> Stack:
        return next(s for s in self.replicas if address.endswith(f":{s.rasa_port}"))


@pytest.fixture(scope="module")
def fake_api():
    api = FakeBotAPI().start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def nginx_cluster(tmp_path_factory, pg_url, redis_server, fake_api):  # noqa: F811
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    redis_url, client = redis_server
    prefix = f"cluster{uuid.uuid4().hex[:10]}"
    root = tmp_path_factory.mktemp("cluster")
    stacks = []
    for name in ("a", "b"):
        env = cluster_env(pg_url, redis_url, prefix)
        env.update(
            telegram_env(
                fake_api,
                root / name,
                TELEGRAM_MODE="webhook",
                TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
                TELEGRAM_SECRET_TOKEN=SECRET,
            )
        )
        s = Stack(root / name, credentials=TELEGRAM_CREDENTIALS, env=env)
        s.endpoints = {"action_endpoint": {"url": f"{s.action_url}/webhook"}, **ENDPOINT_STORES}
        stacks.append(s)
    a, b = stacks
    nginx = Balancer(
        [f"127.0.0.1:{a.rasa_port}", f"127.0.0.1:{b.rasa_port}"],
        workdir=root / "nginx",
        read_timeout=LOCK_LIFETIME + 40,
    )
    try:
        _in_parallel(a.start_actions, b.start_actions)
        _in_parallel(a.start_rasa, b.start_rasa)
        nginx.start()
        yield NginxCluster(a, b, nginx, pg_url, fake_api, client, prefix)
    finally:
        nginx.stop()
        a.stop()
        b.stop()
        delete_keys(client, prefix)
