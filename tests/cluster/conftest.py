"""One real cluster for the whole session, started from nothing as `make cluster` does: `python -m stack.cluster
start` with 2 Rasa and 2 action servers, its own PostgreSQL, Redis and nginx on free ports, in an empty state
folder (only the knowledge index copied in), stopped by `python -m stack.cluster stop`.

The state folder is made with `tempfile` (0711), not pytest's tmp_path: PostgreSQL runs as the `postgres` user
and must reach its data folder, and pytest's base folder is 0700. If an engine is missing, the fixture fails
with the cluster's own message (which says how to install it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_index

START_TIMEOUT = 300


@dataclass
class RunningCluster:
    var: Path
    process: subprocess.Popen
    output: Path
    port: int
    postgres_port: int
    env: dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def home(self) -> Path:
        return self.var / "cluster"

    def state(self) -> dict[str, Any]:
        return json.loads((self.home / "state.json").read_text(encoding="utf-8"))

    @property
    def tokens(self) -> dict[str, str]:
        return json.loads((self.var / "tokens.json").read_text(encoding="utf-8"))

    def say(self, text: str, sender: str, base: str | None = None, timeout: float = 90) -> list[dict[str, Any]]:
        """One message through nginx (or `base`, one Rasa server); Rasa's replies."""
        request = urllib.request.Request(
            f"{base or self.url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8") or "[]")

    def api(self, path: str, body: dict | None = None) -> tuple[int, Any]:
        """Rasa's HTTP API through nginx with the token; (status, decoded body)."""
        request = urllib.request.Request(
            f"{self.url}{path}?token={self.tokens['rasa']}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def sql(self, query: str, *parameters: object) -> list[tuple]:
        """`query` on the cluster's PostgreSQL as the `rasa` role (what Rasa stored); its rows, if any."""
        import psycopg

        password = json.loads((self.home / "secrets.json").read_text(encoding="utf-8"))["postgres"]
        with psycopg.connect(f"postgresql://rasa:{password}@127.0.0.1:{self.postgres_port}/rasa") as connection:
            cursor = connection.execute(query, parameters)
            return cursor.fetchall() if cursor.description else []

    def user_texts(self, who: str) -> list[str]:
        """The texts of `who`'s user events as stored, in the order stored."""
        rows = self.sql("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id", who)
        return [json.loads(data)["text"] for (data,) in rows]


def refuses(url: str) -> bool:
    """True when nothing listens at `url`'s port any more."""
    try:
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()
    except OSError:
        return True
    return False


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _wait_ready(running: RunningCluster) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            pytest.fail(f"the cluster did not start:\n{running.output.read_text(errors='replace')[-4000:]}")
        if "cluster ready" in running.output.read_text(errors="replace"):
            return
        time.sleep(0.5)
    pytest.fail(
        f"the cluster was not ready in {START_TIMEOUT} s:\n{running.output.read_text(errors='replace')[-4000:]}"
    )


@pytest.fixture(scope="session")
def cluster() -> Iterator[RunningCluster]:
    from settings import APP_VENV, MODELS, ROOT
    from stack.cluster import alive
    from stack.servers import free_port

    if not any(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    var = Path(tempfile.mkdtemp(prefix="berkane-cluster-"))
    os.chmod(var, 0o711)
    build_index(var)
    port, postgres_port = free_port(), free_port()
    env = {
        **os.environ,
        "BERKANE_VAR": str(var),
        "BERKANE_CLUSTER_PORT": str(port),
        "BERKANE_CLUSTER_POSTGRES_PORT": str(postgres_port),
        "BERKANE_CLUSTER_REDIS_PORT": str(free_port()),
        "BERKANE_CLUSTER_BOT_PORT": str(free_port()),
        "BERKANE_CLUSTER_RASA": "2",
        "BERKANE_CLUSTER_ACTIONS": "2",
    }
    for unset in ("BERKANE_TRACKER_DB_URL", "BERKANE_REDIS_URL", "BERKANE_RASA_TOKEN", "BERKANE_ACTIONS_TOKEN"):
        env.pop(unset, None)
    output = var / "cluster-output.txt"
    with open(output, "wb") as out:
        process = subprocess.Popen(
            [str(APP_VENV / "bin" / "python"), "-m", "stack.cluster", "start"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = RunningCluster(var, process, output, port, postgres_port, env)
    try:
        _wait_ready(running)
        yield running
    finally:
        pids = list(running.state()["processes"].values()) if (running.home / "state.json").is_file() else []
        subprocess.run(
            [str(APP_VENV / "bin" / "python"), "-m", "stack.cluster", "stop"], cwd=ROOT, env=env, timeout=120
        )
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
        left = [pid for pid in pids if alive(pid)]
        shutil.rmtree(var, ignore_errors=True)
        assert process.returncode == 0 and not left, f"`stack.cluster stop` left processes {left}"
