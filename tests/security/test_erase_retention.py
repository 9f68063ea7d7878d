"""A citizen erases their conversation; old conversations go after the retention period; a call-back number is
kept only encrypted in the handoff record until the request is closed. Real servers (the `stack` fixture)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from settings import APP_VENV, ROOT

PHONE = "0687654321"


def sender() -> str:
    return f"erase-{uuid.uuid4().hex[:10]}"


def forget(stack, who: str, token: str | None) -> tuple[int, Any]:
    query = f"?token={token}" if token else ""
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/forget{query}",
        data=json.dumps({"sender": who}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def count(db: Path, query: str, *parameters: object) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(query, parameters).fetchone()[0]


def events(stack, who: str) -> int:
    return count(stack.var_dir / "tracker.db", "SELECT COUNT(*) FROM events WHERE sender_id = ?", who)


def handoffs(stack, who: str) -> int:
    return count(stack.var_dir / "feedback.sqlite", "SELECT COUNT(*) FROM handoffs WHERE conversation = ?", who)


def knowledge_cli(var: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "knowledge", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        env={**os.environ, "BERKANE_VAR": str(var)},
        timeout=120,
    )


def test_a_citizen_erases_their_conversation_and_only_theirs(stack):
    citizen, other = sender(), sender()
    for who in (citizen, other):
        stack.say("I want to talk to a person", sender=who)
    before = {who: (events(stack, who), handoffs(stack, who)) for who in (citizen, other)}
    assert all(tracked > 0 and asked == 1 for tracked, asked in before.values()), before

    assert forget(stack, citizen, None)[0] == 401  # a stranger: refused, nothing changed
    assert forget(stack, citizen, "not-the-token")[0] == 401
    assert (events(stack, citizen), handoffs(stack, citizen)) == before[citizen]

    status, answer = forget(stack, citizen, stack.rasa.token)
    assert status == 200, answer
    assert answer["deleted"]["tracker_events"] == before[citizen][0] and answer["deleted"]["handoffs"] == 1, answer
    assert (events(stack, citizen), handoffs(stack, citizen)) == (0, 0)
    assert (events(stack, other), handoffs(stack, other)) == before[other]  # another citizen untouched

    assert stack.say("hello", sender=citizen), "no answer after erasing"  # a new conversation starts
    rows = [
        json.loads(data)
        for (data,) in sqlite3.connect(stack.var_dir / "tracker.db").execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (citizen,)
        )
    ]
    assert rows[0]["event"] == "action" and rows[0]["name"] == "action_session_start", rows[:2]


def test_erasing_needs_a_sender(stack):
    assert forget(stack, "", stack.rasa.token)[0] == 400


def test_a_call_back_number_is_kept_encrypted_until_the_request_is_closed(stack):
    who = sender()
    stack.say(f"I want to talk to a person, call me back on {PHONE}", sender=who)
    for path in stack.var_dir.rglob("*"):
        if path.is_file():
            assert PHONE.encode() not in path.read_bytes(), f"call-back number in clear in {path}"
    listed = json.loads(knowledge_cli(stack.var_dir, "handoffs").stdout)
    request = next(row for row in listed if row["conversation"] == who)
    assert request["callback"] == PHONE and PHONE not in request["text"], request

    closed = knowledge_cli(stack.var_dir, "handoffs", "--close", str(request["id"]))
    assert closed.returncode == 0 and "closed" in closed.stdout, closed.stderr
    listed = json.loads(knowledge_cli(stack.var_dir, "handoffs").stdout)
    after = next(row for row in listed if row["id"] == request["id"])
    assert after["callback"] is None and after["closed"], after
    again = knowledge_cli(stack.var_dir, "handoffs", "--close", str(request["id"]))
    assert again.returncode == 1 and "no open handoff request" in again.stderr


def age(db: Path, table: str, column: str, who_column: str, who: str, days: float) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(f"UPDATE {table} SET {column} = ? WHERE {who_column} = ?", (time.time() - days * 86400, who))


def test_retention_at_server_start_deletes_only_old_conversations(stack):
    old, recent = sender(), sender()
    for who in (old, recent):
        stack.say("I want to talk to a person", sender=who)
    age(stack.var_dir / "tracker.db", "events", "timestamp", "sender_id", old, 91)
    age(stack.var_dir / "feedback.sqlite", "handoffs", "at", "conversation", old, 91)
    age(stack.var_dir / "tracker.db", "events", "timestamp", "sender_id", recent, 89)
    kept = events(stack, recent)
    stack.stop_rasa()
    stack.start_rasa()  # the default retention: 90 days
    deadline = time.monotonic() + 20
    while events(stack, old) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert (events(stack, old), handoffs(stack, old)) == (0, 0)
    assert (events(stack, recent), handoffs(stack, recent)) == (kept, 1)


def test_the_admin_purge_deletes_rows_older_than_asked(tmp_path):
    from knowledge.feedback import FeedbackStore

    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record_handoff("old", "help")
    store.record_vote("old", "doc", 1)
    store.record_handoff("new", "help")
    age(tmp_path / "feedback.sqlite", "handoffs", "at", "conversation", "old", 10)
    age(tmp_path / "feedback.sqlite", "votes", "at", "conversation", "old", 10)
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)")
        db.executemany(
            "INSERT INTO events (sender_id, timestamp) VALUES (?, ?)",
            [("old", time.time() - 10 * 86400), ("new", time.time())],
        )
    purged = knowledge_cli(tmp_path, "purge", "--older-than", "7")
    assert purged.returncode == 0, purged.stderr
    assert json.loads(purged.stdout)["deleted"] == {"tracker_events": 1, "votes": 1, "unanswered": 0, "handoffs": 1}
    assert [row["conversation"] for row in store.handoffs()] == ["new"]
    assert count(tmp_path / "tracker.db", "SELECT COUNT(*) FROM events WHERE sender_id = 'new'") == 1
