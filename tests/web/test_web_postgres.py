"""Conversations and analytics read from a PostgreSQL tracker store (BERKANE_TRACKER_DB_URL), as a cluster
keeps them: a real PostgreSQL 15 (Debian's binaries, `stack.cluster_engines`) in a temporary folder."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.servers

RASA_EVENTS = """CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL, timestamp DOUBLE PRECISION, intent_name VARCHAR(255), action_name VARCHAR(255),
    data TEXT)"""


@pytest.fixture
def postgres():
    """PostgreSQL runs as the `postgres` user when we are root: its folder is made 0711 with `tempfile`
    (pytest's tmp_path is 0700, unreachable for that user)."""
    from stack.cluster_engines import Postgres
    from stack.servers import ServerFailed, free_port

    home = Path(tempfile.mkdtemp(prefix="berkane-web-pg-"))
    os.chmod(home, 0o711)
    server = Postgres(home / "pg", free_port(), secrets.token_hex(12), home)
    try:
        server.start()
    except ServerFailed as error:
        pytest.fail(f"PostgreSQL did not start: {error}")
    try:
        yield server
    finally:
        server.server.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_a_postgresql_tracker_store_is_read_for_conversations_and_analytics(browser, postgres, monkeypatch):
    import psycopg

    now = time.time() - 30
    user = {"event": "user", "timestamp": now, "text": "wach kayn chi forum f berkane ?"}
    user["parse_data"] = {
        "intent": {"name": "forum_overview", "confidence": 0.93},
        "entities": [{"entity": "language", "value": "ary_Latn"}],
    }
    bot = {"event": "bot", "timestamp": now + 0.25, "text": "Le forum international des villes intelligentes…"}
    with psycopg.connect(postgres.url) as db:
        db.execute(RASA_EVENTS)
        for event in (user, bot):
            db.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (%s, %s, %s, %s)",
                ("pg-citizen", event["event"], event["timestamp"], json.dumps(event)),
            )
    monkeypatch.setenv("BERKANE_TRACKER_DB_URL", postgres.url)
    trainer = browser("trainer")
    page = trainer.get("/conversations/pg-citizen").text
    assert (
        "wach kayn chi forum f berkane ?" in page and "forum_overview 0.93" in page and "villes intelligentes" in page
    )
    analytics = trainer.get("/analytics").text
    assert '<span class="big" id="messages">1</span>' in analytics and '"ary_Latn": 1' in analytics
    assert '<span class="big" id="latency">250</span>' in analytics
