"""Fixtures for the bot's tests: the fake Telegram server and the real `python -m bot` running against it,
talking to the real Rasa and action servers of the session `stack`."""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Iterator

import pytest
from fake_telegram import TOKEN, FakeTelegram

from privacy.files import private_file
from settings import APP_VENV, ROOT

ADMIN_ID = 4242
_users = itertools.count(10_001)


@pytest.fixture
def user() -> int:
    """A Telegram user id no other test used (own language choice, own flood window, own Rasa tracker)."""
    return next(_users)


@pytest.fixture(scope="session")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def bot(stack, telegram: FakeTelegram) -> Iterator[subprocess.Popen]:
    """`python -m bot` as deployed, with the fake Bot API as its base URL and the stack's state dir."""
    log_path = private_file(stack.var_dir / "logs" / "bot.log")  # 0600, as the servers' logs: it quotes citizens
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "ADMIN_IDS": f"{ADMIN_ID},77",
        "BERKANE_VAR": str(stack.var_dir),
        "RASA_URL": stack.rasa_url,
        "HF_HUB_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(APP_VENV / "bin" / "python"), "-m", "bot", "--base-url", telegram.base_url],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        telegram.wait_for(lambda call: call.method == "setMyCommands", timeout=60)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
