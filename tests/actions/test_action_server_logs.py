"""The real action server (`python -m stack.action_server`) logs one JSON object per line, with the
`extra={...}` fields of the actions, and no personal data the citizen typed (`privacy.redact`)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_harness import TRACKERS

pytestmark = pytest.mark.servers  # starts the action server (a few seconds, no Rasa model)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    from stack.servers import action_server, free_port

    var = tmp_path_factory.mktemp("actions-logs")
    port = free_port()
    server = action_server(port, var / "logs", env={"BERKANE_VAR": str(var)}).start()
    try:
        server.wait_healthy(60)
        yield port, server.log_path
    finally:
        server.stop()


def call(port: int, action: str, tracker: dict) -> dict:
    body = json.dumps(
        {
            "next_action": action,
            "sender_id": tracker["sender_id"],
            "tracker": tracker,
            "domain": {},
            "version": "3.6.21",
        }
    ).encode()
    from stack.tokens import session  # the token action_server() gave the server (this process's)

    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {session().actions}"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook", body, headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_a_vote_is_logged_as_json_with_its_fields_and_without_the_phone_number(served: tuple[int, Path]) -> None:
    port, log_path = served
    tracker = json.loads((TRACKERS / "feedback_button.json").read_text(encoding="utf-8"))
    tracker["latest_message"]["text"] = "merci, rappelez-moi au 0612345678"
    reply = call(port, "action_record_feedback", tracker)
    assert reply["responses"], reply  # the citizen is thanked
    text = log_path.read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]  # every line, warnings included, is JSON
    vote = [r for r in records if r["message"] == "vote"]
    assert vote and vote[-1]["doc_id"] == "forum-dates-fr" and vote[-1]["positive"] is True
    stored = [r for r in records if r["message"] == "feedback recorded"]
    assert stored and stored[-1]["doc_id"] == "forum-dates-fr" and "[phone]" in stored[-1]["text"]
    assert "0612345678" not in text
