"""Process faults survived: a dead server is restarted while the other serves on, the citizen is asked to try
again while the action server is down, and two signals in a row still stop every process.

Real processes: `python -m stack serve` on free ports with its own state folder, and the session's `stack`.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from settings import ROOT
from stack.servers import Server, answers, free_port
from stack.supervise import Backoff, GaveUp, Supervised
from tests.conftest import build_index  # (the package path: "conftest" alone may name another folder's)


def _try_again() -> dict[str, str]:
    """channels.whole_replies.TRY_AGAIN, read from its source (the module needs Rasa, not in this environment)."""
    tree = ast.parse((ROOT / "channels" / "whole_replies.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "TRY_AGAIN")
    return ast.literal_eval(node.value)


TRY_AGAIN = _try_again()


def test_a_server_that_keeps_dying_is_restarted_with_back_off_then_given_up(tmp_path, caplog):
    dying = Server(
        "dying server",
        [sys.executable, "-c", "import sys; sys.exit(3)"],
        f"http://127.0.0.1:{free_port()}/health",
        tmp_path / "dying.log",
    ).start()
    supervised = Supervised(dying, health_timeout=5, backoff=Backoff(first=0.05, cap=0.2, give_up_after=5))
    caplog.set_level(logging.INFO, logger="stack.supervise")
    deadline = time.monotonic() + 20
    with pytest.raises(GaveUp, match=r"dying server failed 5 times in a row \(last exit code 3\)"):
        while time.monotonic() < deadline:
            supervised.check()
            time.sleep(0.02)
    waits = [record.restart_in_s for record in caplog.records if record.message == "server exited"]
    assert waits == [0.05, 0.1, 0.2, 0.2]  # doubling, capped
    assert sum(record.message == "server restarting" for record in caplog.records) == 4


@dataclass
class Serving:
    process: subprocess.Popen
    var: Path
    rasa_port: int
    actions_port: int
    stdout: Path
    stderr: Path

    def children(self) -> dict[str, int]:
        """The stack's server processes by role (their command lines name the entry module)."""
        found = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) != self.process.pid:
                continue
            for role in ("action_server", "rasa_entry"):
                if f"stack.{role}" in cmdline:
                    found[role] = int(pid)
        return found

    def events(self) -> list[dict]:
        lines = self.stderr.read_text(encoding="utf-8", errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def say(self, text: str, sender: str) -> list[dict]:
        import urllib.request

        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"[]")


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout:.0f} s")


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    var = tmp_path_factory.mktemp("serve-var")
    build_index(var)
    rasa_port, actions_port = free_port(), free_port()
    out, err = var / "stdout.txt", var / "stderr.txt"
    env = {**os.environ, "BERKANE_VAR": str(var), "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port)}
    for name in ("BERKANE_RASA_TOKEN", "BERKANE_ACTIONS_TOKEN", "BERKANE_ENDPOINTS"):
        env.pop(name, None)
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "stack", "serve"], cwd=ROOT, env=env, stdout=stdout, stderr=stderr
        )
    running = Serving(process, var, rasa_port, actions_port, out, err)
    try:
        wait_for(lambda: "ready in" in out.read_text() or process.poll() is not None, 300, "stack serve ready")
        assert process.poll() is None, err.read_text()[-3000:]
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(60)


@pytest.mark.servers
def test_serve_says_which_interfaces_listen_and_keeps_its_tokens_private(serving):
    out = serving.stdout.read_text()
    assert (
        f"Rasa 127.0.0.1:{serving.rasa_port} (API token required), actions 127.0.0.1:{serving.actions_port} (token)"
    ) in out
    tokens = serving.var / "tokens.json"
    assert tokens.stat().st_mode & 0o777 == 0o600
    secrets = json.loads(tokens.read_text())
    assert answers(f"http://127.0.0.1:{serving.rasa_port}/status?token={secrets['rasa']}")
    assert not answers(f"http://127.0.0.1:{serving.rasa_port}/status")
    for pid in serving.children().values():  # no token on any command line (ps)
        cmdline = Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        assert secrets["rasa"] not in cmdline and secrets["actions"] not in cmdline


@pytest.mark.servers
def test_a_killed_action_server_is_restarted_while_rasa_serves_on(serving):
    before = serving.children()
    sender = f"fault-{uuid.uuid4().hex[:8]}"
    assert any("500" in (r.get("text") or "") for r in serving.say("Le passeport coûte combien ?", sender))
    os.kill(before["action_server"], signal.SIGKILL)
    wait_for(lambda: any(e["message"] == "server exited" for e in serving.events()), 10, "the death logged")
    down = serving.say("et la carte d'identité ?", sender)  # Rasa up, actions not yet back
    assert [r.get("text") for r in down] == [TRY_AGAIN["fr"]] or any("75" in (r.get("text") or "") for r in down)
    wait_for(lambda: answers(f"http://127.0.0.1:{serving.actions_port}/health"), 60, "action server back")
    wait_for(lambda: any(e["message"] == "server back" for e in serving.events()), 10, "the return logged")
    after = serving.children()
    assert after["rasa_entry"] == before["rasa_entry"]  # Rasa never stopped
    assert after["action_server"] != before["action_server"]
    exited = next(e for e in serving.events() if e["message"] == "server exited")
    assert exited["server"] == "action server" and exited["code"] == -9 and exited["restart_in_s"] == 1.0
    again = serving.say("et la carte d'identité ?", sender)
    assert any("75" in (r.get("text") or "") for r in again), again  # topic and aspect (cost) kept
    assert serving.process.poll() is None


@pytest.mark.servers
def test_two_signals_in_a_row_stop_every_process(serving):
    children = serving.children()
    assert set(children) == {"action_server", "rasa_entry"}
    serving.process.send_signal(signal.SIGINT)  # Ctrl-C ...
    time.sleep(0.3)
    serving.process.send_signal(signal.SIGTERM)  # ... then an impatient SIGTERM
    serving.process.send_signal(signal.SIGINT)
    assert serving.process.wait(60) == 0
    assert "stopped" in serving.stdout.read_text()
    assert "Traceback" not in serving.stderr.read_text()
    wait_for(lambda: not any(alive(pid) for pid in children.values()), 10, "no server left running")


@pytest.mark.servers
def test_the_citizen_is_asked_to_try_again_while_the_action_server_is_down(stack):
    sender = f"down-{uuid.uuid4().hex[:8]}"
    first = stack.say("Le passeport coûte combien ?", sender=sender)
    assert any("500" in (r.get("text") or "") for r in first), first
    stack.stop_actions()
    try:
        down = stack.say("et la carte d'identité ?", sender=sender)
        english = stack.say("How can I file a complaint against an administration?")
    finally:
        stack.start_actions()
    assert [r.get("text") for r in down] == [TRY_AGAIN["fr"]]
    assert [r.get("text") for r in english] == [TRY_AGAIN["en"]]
    back = stack.say("et la carte d'identité ?", sender=sender)
    assert any("75" in (r.get("text") or "") for r in back), back  # the conversation kept its topic
