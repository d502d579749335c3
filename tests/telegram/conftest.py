"""The fake Bot API (one per module) and the real stacks that talk to it.

One action server for the module; `rasa run` is started by a class-scoped
fixture per mode and stopped at the end of its class, so at most one bot runs
at a time.
"""

from __future__ import annotations

import pytest

from tools.stack import MODEL, Stack
from tests.telegram.fake_bot_api import BOT, TOKEN, FakeBotAPI

SECRET = "s3cr3t-Token_for-tests"
WEBHOOK_URL = "https://bot.example.test/webhooks/telegram/webhook"


@pytest.fixture(scope="module")
def fake_api():
    api = FakeBotAPI().start()
    yield api
    api.stop()


def telegram_env(fake_api: FakeBotAPI, workdir, **extra: str) -> dict:
    env = {
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake_api.url,
        "TELEGRAM_BOT_NAME": BOT["username"],
        "TELEGRAM_STATE_DIR": str(workdir),
        # Never inherit the developer's real settings.
        "TELEGRAM_WEBHOOK_URL": "",
        "TELEGRAM_SECRET_TOKEN": "",
        "TELEGRAM_MODE": "",
        "TELEGRAM_RATINGS": "",  # the default: on
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def stack(tmp_path_factory, fake_api):
    """One action server for the module; `rasa run` is started per mode."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    workdir = tmp_path_factory.mktemp("telegram")
    s = Stack(
        workdir,
        credentials={"rest": None, "channels.telegram.TelegramInput": None},
        env=telegram_env(fake_api, workdir),
        rasa_args=["--enable-api"],  # to read trackers back
    )
    s.start_actions()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="class")
def webhook_stack(stack, fake_api):
    fake_api.reset()
    stack.extra_env.update(TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL=WEBHOOK_URL, TELEGRAM_SECRET_TOKEN=SECRET)
    try:
        stack.start_rasa()
        yield stack
    finally:
        stack.stop_one("rasa")


@pytest.fixture(scope="class")
def polling_stack(stack, fake_api):
    """`rasa run` not started yet: the polling tests queue updates first."""
    fake_api.reset()
    stack.extra_env.update(
        TELEGRAM_MODE="polling", TELEGRAM_WEBHOOK_URL="", TELEGRAM_SECRET_TOKEN="", TELEGRAM_POLL_TIMEOUT="5"
    )
    try:
        yield stack
    finally:
        stack.stop_one("rasa")
