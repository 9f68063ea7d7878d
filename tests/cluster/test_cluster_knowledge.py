"""One knowledge index for every action server: an update made once (the admin CLI, in the cluster's shared
BERKANE_VAR) is answered by all of them, without a restart (each follows the index's CURRENT version)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from settings import APP_VENV, ROOT
from tests.cluster.conftest import RunningCluster, sender

pytestmark = pytest.mark.servers  # the session's cluster: Rasa, action servers, engines

FACT = "Le festival Zelligora des arts du zellige a lieu à Berkane le 14 mars, place de la Mairie, entrée gratuite."


def loaded_versions(cluster: RunningCluster) -> dict[str, set[str]]:
    """Per action server, the index versions its log says it loaded."""
    found = {}
    for name, path in cluster.state()["logs"].items():
        if name.startswith("action server"):
            lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
            events = [json.loads(line) for line in lines if '"knowledge version loaded"' in line]
            found[name] = {event["version"] for event in events}
    return found


def test_a_knowledge_update_made_once_is_answered_by_every_action_server(cluster: RunningCluster, tmp_path):
    note = tmp_path / "zelligora.txt"
    note.write_text(FACT + "\n", encoding="utf-8")
    added = subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "knowledge", "add", str(note)],
        cwd=ROOT,
        env={**os.environ, "BERKANE_VAR": str(cluster.var)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    version = (cluster.var / "kb" / "CURRENT").read_text(encoding="utf-8").strip()
    servers = loaded_versions(cluster)
    assert len(servers) == 2 and not any(version in loaded for loaded in servers.values()), servers

    time.sleep(1.1)  # each server looks at CURRENT at most once a second
    answers = []
    for _ in range(8):  # nginx spreads the action calls over both servers
        replies = cluster.say("C'est quoi le festival Zelligora ?", sender("kb"))
        answers.append(" ".join(reply.get("text") or "" for reply in replies))
        if all(version in loaded for loaded in loaded_versions(cluster).values()):
            break
    assert all("14 mars" in answer for answer in answers), answers
    assert all(version in loaded for loaded in loaded_versions(cluster).values()), loaded_versions(cluster)
