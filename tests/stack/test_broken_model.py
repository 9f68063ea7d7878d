"""A model with a broken trained component stops the start with the component's reason, at once, instead of a
Rasa server that answers nothing (it would log the failure and wait without a model)."""

from __future__ import annotations

import io
import tarfile
import time
from pathlib import Path

import pytest

from settings import MODELS
from stack.servers import ServerFailed, free_port, rasa_server, write_endpoints

pytestmark = pytest.mark.servers  # starts a real Rasa server


def broken_copy(model: Path, target: Path) -> Path:
    """`model` with the intent classifier's vocabulary file cut short."""
    broken = target / model.name
    with tarfile.open(model) as source, tarfile.open(broken, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if data is not None and "SentenceIntentClassifier" in member.name and member.name.endswith("/intents.json"):
                content = data.read()[:100]
                member.size = len(content)
                out.addfile(member, io.BytesIO(content))
            else:
                out.addfile(member, data)
    return broken


def test_a_broken_component_stops_the_rasa_server_with_its_reason(tmp_path: Path) -> None:
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    assert models, "no trained model in models/ (make train)"
    (tmp_path / "models").mkdir()
    broken_copy(models[-1], tmp_path / "models")
    endpoints = write_endpoints(tmp_path / "endpoints.yml", free_port(), tmp_path / "tracker.db")
    server = rasa_server(free_port(), endpoints, tmp_path / "logs", model=tmp_path / "models").start()
    started = time.monotonic()
    try:
        with pytest.raises(ServerFailed, match="SentenceIntentClassifier: cannot load its trained state"):
            server.wait_healthy(180)
    finally:
        server.stop()
    assert time.monotonic() - started < 170, "the failure was only noticed at the health timeout"
