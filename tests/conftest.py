"""Session fixtures: the real action server and the real Rasa server, started once for the whole run.

They run on free ports with their own state directory (index, tracker and feedback databases), so a test
run never touches a user's `var/` nor a running `make run`. `settings` and `stack` are imported where the
servers start: the Rasa environment, which runs tests/rasa_env with this conftest, has Rasa's pydantic 1.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from stack.servers import Server

# tests/rasa_env/ needs Rasa itself: scripts/test.sh runs it with the Rasa environment's pytest.
collect_ignore = [] if importlib.util.find_spec("rasa") else ["rasa_env"]

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `servers` every test that needs the session's real Rasa and action servers, directly or through
    another fixture (the bot's), so `make test-fast` (-m "not servers") leaves them out without a list to keep."""
    for item in items:
        if "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.servers)


def build_index(target_var: Path) -> None:
    """Give `target_var` a knowledge index: a copy of the one `make index` built, or a fresh build."""
    from settings import APP_VENV, ROOT, var_dir

    built = var_dir() / "kb"
    if built.is_dir() and (built / "CURRENT").exists():
        shutil.copytree(built, target_var / "kb", symlinks=True)
        return
    subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "knowledge", "rebuild"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "BERKANE_VAR": str(target_var)},
    )


@dataclass
class Stack:
    """The running assistant as a client sees it, plus the handles to stop and restart its servers."""

    var_dir: Path
    actions: Server
    rasa: Server
    actions_port: int
    rasa_port: int

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    def api_url(self, path: str) -> str:
        """`path` on Rasa's HTTP API with the token it requires (the REST webhook needs none)."""
        return f"{self.rasa_url}{path}?token={self.rasa.token}"

    def say(
        self, text: str, sender: str | None = None, metadata: dict | None = None, timeout: float = 30
    ) -> list[dict[str, Any]]:
        """Send one message through the REST channel and return Rasa's replies."""
        body: dict[str, Any] = {"sender": sender or f"test-{uuid.uuid4().hex[:10]}", "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8") or "[]")

    def parse(self, text: str) -> dict[str, Any]:
        """Run only the NLU pipeline on `text` (Rasa's /model/parse)."""
        request = urllib.request.Request(
            self.api_url("/model/parse"),
            data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))

    def stop_rasa(self) -> None:
        self.rasa.stop()

    def start_rasa(self) -> None:
        self.rasa.start().wait_healthy(240)

    def stop_actions(self) -> None:
        self.actions.stop()

    def start_actions(self) -> None:
        self.actions.start().wait_healthy(90)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real servers, once per session (Rasa takes about 20 s to load its model)."""
    from settings import MODELS
    from stack.servers import action_server, free_port, rasa_server, write_endpoints

    if not any(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    state = tmp_path_factory.mktemp("var")
    build_index(state)
    env = {"BERKANE_VAR": str(state)}
    actions_port, rasa_port = free_port(), free_port()
    endpoints = write_endpoints(state / "endpoints.yml", actions_port, state / "tracker.db")
    running = Stack(
        state,
        action_server(actions_port, state / "logs", env),
        rasa_server(rasa_port, endpoints, state / "logs", env=env),
        actions_port,
        rasa_port,
    )
    try:
        running.start_actions()
        running.start_rasa()
        yield running
    finally:
        running.rasa.stop()
        running.actions.stop()


@contextmanager
def small_disk(mount: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of `size` ("4M") at `mount`, unmounted afterwards whatever happened: root ignores file
    permissions, not a full filesystem, so disk faults are made for real."""
    mount.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path) -> Path:
    """Write a file until the filesystem is full; removing it gives the space back."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_CREAT | os.O_WRONLY)
    try:
        while os.write(descriptor, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler
