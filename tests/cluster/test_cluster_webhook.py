"""The Telegram bot in webhook mode behind the cluster's nginx (`/telegram/`, the documented way to run it at
scale): an update posted to nginx reaches the bot, which answers from the cluster; a post without the
webhook secret is refused. Telegram itself is the fake Bot API of tests/bot."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from settings import APP_VENV, ROOT
from stack.cluster import WEBHOOK_PATH
from tests.bot.fake_telegram import TOKEN, FakeTelegram
from tests.cluster.conftest import RunningCluster

pytestmark = pytest.mark.servers  # the session's cluster, the bot and the fake Bot API
SECRET = "cluster-webhook-secret_42"


def post(cluster: RunningCluster, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"} | ({"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {})
    request = urllib.request.Request(f"{cluster.url}{WEBHOOK_PATH}", data=json.dumps(update).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_update_posted_to_nginx_is_answered_by_the_bot_from_the_cluster(cluster: RunningCluster):
    telegram = FakeTelegram().start()
    bot = subprocess.Popen(
        [
            str(APP_VENV / "bin" / "python"),
            "-m",
            "bot",
            "--base-url",
            telegram.base_url,
            "--rasa-url",
            cluster.url,
            "--webhook-url",
            f"https://assistant.example.org{WEBHOOK_PATH}",
            "--secret-token",
            SECRET,
            "--listen",
            "127.0.0.1",
            "--port",
            cluster.env["BERKANE_CLUSTER_BOT_PORT"],
        ],
        cwd=ROOT,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BERKANE_VAR": str(cluster.var)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        registered = telegram.wait_for(lambda c: c.method == "setWebhook", 0, timeout=60)
        assert registered.params["url"] == f"https://assistant.example.org{WEBHOOK_PATH}"
        user = 424242
        update = {
            "update_id": 700001,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user, "type": "private"},
                "from": {"id": user, "is_bot": False, "first_name": "C", "language_code": "fr"},
                "text": "Le passeport coûte combien ?",
            },
        }
        deadline = time.monotonic() + 30
        while post(cluster, update, SECRET) != 200:  # nginx answers 502 until the bot listens
            assert time.monotonic() < deadline, "the bot's webhook never answered through nginx"
            time.sleep(0.3)
        answer = telegram.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user and "500" in c.text, 0)
        assert "passeport" in answer.text.lower()
        assert post(cluster, {**update, "update_id": 700002}, "wrong") == 403
    finally:
        bot.terminate()
        bot.wait(15)
        telegram.stop()
