"""Webhook mode (production behind a reverse proxy): the bot registers its URL and secret with Telegram and
serves updates posted to it; a post without the secret is rejected."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from fake_telegram import TOKEN, FakeTelegram

from settings import APP_VENV, ROOT
from stack.servers import free_port

pytestmark = pytest.mark.servers  # the bot in webhook mode and the fake Bot API server
SECRET = "s3cret-token_for-tests"


@pytest.fixture
def webhook_bot(telegram: FakeTelegram, tmp_path) -> Iterator[tuple[int, int]]:
    """(listening port, index of the first fake-Telegram call it may make)."""
    port, since = free_port(), len(telegram.calls)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BERKANE_VAR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            str(APP_VENV / "bin" / "python"),
            "-m",
            "bot",
            "--base-url",
            telegram.base_url,
            "--rasa-url",
            f"http://127.0.0.1:{free_port()}",
            "--webhook-url",
            "https://bot.example.org/telegram/hook",
            "--secret-token",
            SECRET,
            "--listen",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield port, since
    finally:
        process.terminate()
        process.wait(15)


def post(port: int, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram/hook", data=json.dumps(update).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0  # not listening (yet)


def test_webhook_is_registered_with_its_secret_and_serves_updates(telegram, webhook_bot):
    port, since = webhook_bot
    registration = telegram.wait_for(lambda c: c.method == "setWebhook", since, timeout=60)
    assert registration.params["url"] == "https://bot.example.org/telegram/hook"
    assert registration.params["secret_token"] == SECRET
    user = 31337
    update = {
        "update_id": 900001,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "W", "language_code": "en"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    deadline = time.monotonic() + 30
    while post(port, update, SECRET) != 200:  # the listener starts right after setWebhook
        assert time.monotonic() < deadline, "webhook listener never answered"
        time.sleep(0.3)
    telegram.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user and "/programme" in c.text, since)
    assert post(port, {**update, "update_id": 900002}, "wrong") == 403
