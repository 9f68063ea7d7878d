"""The conversation store on a full disk: citizens still get answers that follow the conversation, `/status`
says the store is degraded, the log says so once, and every held turn is written, in order, once space returns.

A real small filesystem (tmpfs) holds the SQLite tracker of a second Rasa server (the session's action server
answers both); root ignores file permissions, not a full disk.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.servers import free_port, rasa_server, write_endpoints
from tests.conftest import Stack, fill, small_disk


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk", "8M") as mount:
        yield mount


@pytest.fixture
def on_small_disk(stack: Stack, disk: Path, tmp_path: Path) -> Iterator[Stack]:
    """A Rasa server whose tracker database lives on `disk`, in front of the session's action server."""
    port = free_port()
    endpoints = write_endpoints(tmp_path / "endpoints.yml", stack.actions_port, disk / "tracker.db")
    server = rasa_server(port, endpoints, tmp_path / "logs", env={"BERKANE_VAR": str(stack.var_dir)})
    running = Stack(stack.var_dir, stack.actions, server, stack.actions_port, port)
    running.start_rasa()
    try:
        yield running
    finally:
        server.stop()


def status(stack: Stack) -> dict:
    with urllib.request.urlopen(stack.api_url("/status"), timeout=10) as response:
        return json.loads(response.read())


def stored_user_texts(db: Path, sender: str) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_a_full_disk_holds_the_turns_keeps_the_context_and_writes_them_back(
    on_small_disk: Stack, disk: Path, tmp_path: Path
) -> None:
    sender = f"disk-{uuid.uuid4().hex[:8]}"
    turns = ["Bonjour", "Combien coûte la CNIE ?", "et quels documents faut-il ?", "merci beaucoup"]
    assert on_small_disk.say(turns[0], sender)
    filler = fill(disk)

    cost = " ".join(m.get("text", "") for m in on_small_disk.say(turns[1], sender))
    papers = " ".join(m.get("text", "") for m in on_small_disk.say(turns[2], sender))
    assert "75" in cost  # the CNIE's fee, answered although its turn could not be written
    # The follow-up names no service: it keeps the CNIE from the held turn (not a "which service?" question,
    # which is what a conversation read back from the database, without that turn, would get).
    assert "CNIE" in papers or "carte nationale" in papers.lower(), papers
    assert status(on_small_disk)["stores"] == {"tracker": "degraded"}

    filler.unlink()
    assert on_small_disk.say(turns[3], sender)
    assert status(on_small_disk)["stores"] == {"tracker": "ok"}
    assert stored_user_texts(disk / "tracker.db", sender) == turns  # every turn once, in order
    log = (tmp_path / "logs" / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert log.count("store degraded") == 1 and log.count("store recovered") == 1
