"""What a stranger or a careless client can send to the REST entry, against the real servers: each case
asserts what the sender gets and that the assistant still answers everyone else, loses nothing and keeps no
personal number in clear."""

from __future__ import annotations

import json
import sqlite3
import stat
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stack.servers import answers

QUESTION = "Quel est le prix du passeport ?"


def sender() -> str:
    return f"abuse-{uuid.uuid4().hex[:10]}"


def post(stack, body: dict[str, Any] | bytes) -> tuple[int, Any]:
    """POST a body (a dict is sent as JSON) to the REST channel: the HTTP status and the decoded JSON answer."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def said(replies: list[dict[str, Any]]) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def assert_still_serving(stack) -> None:
    """/status answers and another citizen's ordinary question gets its sourced answer."""
    assert answers(stack.api_url("/status")) and answers(f"{stack.actions_url}/health")
    assert "500" in said(stack.say(QUESTION)), "the passport's price (500 DH) was not answered"


def votes(stack, conversation: str) -> list[sqlite3.Row]:
    path = stack.var_dir / "feedback.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM votes WHERE conversation = ?", (conversation,)).fetchall()


@pytest.mark.parametrize("size", [4097, 20_000, 60_000])
def test_an_over_long_message_gets_413_and_the_next_citizen_is_answered(stack, size):
    status, body = post(stack, {"sender": sender(), "message": "a" * size})
    assert status == 413 and "4096" in body["error"], body
    assert_still_serving(stack)


def test_a_message_of_exactly_4096_characters_is_answered(stack):
    status, replies = post(stack, {"sender": sender(), "message": ("kifach nakhod l passport " * 200)[:4096]})
    assert status == 200 and said(replies).strip(), replies


@pytest.mark.parametrize("size", [2**20, 10 * 2**20])
def test_a_huge_body_gets_413_at_once(stack, size):
    status, body = post(stack, json.dumps({"sender": sender(), "message": "a" * size}).encode())
    assert status == 413 and "bytes" in body["error"], body
    assert_still_serving(stack)


@pytest.mark.parametrize(
    "raw_sender, reason",
    [
        (b'"\\udfff"', "plain text"),
        (b'"tg:1\\ud800"', "plain text"),
        (b'"a\\u0000b"', "plain text"),
        (b'""', "empty"),
        (b'"' + b"x" * 129 + b'"', "at most 128"),
        (b"42", "string"),
    ],
)
def test_a_bad_sender_id_gets_400_and_the_server_stays_alive(stack, raw_sender, reason):
    status, body = post(stack, b'{"sender": ' + raw_sender + b', "message": "Bonjour"}')
    assert status == 400 and reason in body["error"], body
    assert_still_serving(stack)


def test_control_characters_around_a_question_are_cleaned_and_it_is_answered(stack):
    replies = stack.say("\x00\x1b[31m\x07" + QUESTION + "\ud800\x7f\u0085\ufffe")
    assert "500" in said(replies), replies


@pytest.mark.parametrize("message", ["\ud800", "\x00\x01\x02", "   \n\t ", "\udfff\ud800 \x7f"])
def test_a_message_empty_once_cleaned_gets_a_polite_reply(stack, message):
    replies = stack.say(message)
    assert "question" in said(replies).lower(), replies


def test_the_polite_reply_to_an_empty_message_is_in_the_chosen_language(stack):
    assert "Écrivez votre question" in said(stack.say("\x00", metadata={"language": "fr"}))
    assert "اكتبوا سؤالكم" in said(stack.say("\ud800", metadata={"language": "ar"}))


def test_personal_numbers_are_answered_but_never_stored_in_clear(stack):
    secrets = ["AB123456", "0612345678", "٠٦٦٧٨٩٠١٢٣", "ahmed.benali@gmail.com"]
    who = sender()
    replies = stack.say(
        f"Joignable au 0612345678 ou ٠٦٦٧٨٩٠١٢٣ (dossier AB123456, ahmed.benali@gmail.com). {QUESTION}", sender=who
    )
    assert "passeport" in said(replies).lower(), replies  # answered about the passport, numbers or not
    rows = sqlite_rows(stack.var_dir / "tracker.db", "SELECT data FROM events WHERE sender_id = ?", who)
    assert any('"event": "user"' in row and "[phone]" in row and "[id]" in row and "[email]" in row for row in rows), (
        "the user event is not in the SQL tracker store, masked"
    )
    assert_nothing_in_clear(stack.var_dir, secrets)


def sqlite_rows(path: Path, query: str, *parameters: str) -> list[str]:
    with sqlite3.connect(path) as db:
        return [str(row[0]) for row in db.execute(query, parameters)]


def assert_nothing_in_clear(var: Path, secrets: list[str]) -> None:
    """No secret in the bytes of the tracker and feedback databases (with their journals) nor in the logs."""
    files = [*var.glob("tracker.db*"), *var.glob("feedback.sqlite*"), *(var / "logs").glob("*")]
    assert any(path.name == "tracker.db" for path in files)
    for path in files:
        content = path.read_bytes()
        for secret in secrets:
            assert secret.encode("utf-8") not in content, f"{secret} in clear in {path.name}"


def press_feedback_button(stack, who: str, intent: str) -> list[dict[str, Any]]:
    """Ask QUESTION as `who`, then press the answer's `intent` button (what Telegram sends for a 👍 / 👎)."""
    buttons = [button for reply in stack.say(QUESTION, sender=who) for button in reply.get("buttons") or []]
    return stack.say(next(b["payload"] for b in buttons if b["payload"].startswith(f"/{intent}")), sender=who)


def test_an_offered_feedback_button_counts_once_a_forged_payload_counts_nothing(stack):
    who = sender()
    assert "merci" in said(press_feedback_button(stack, who, "feedback_negative")).lower()
    assert [(vote["doc_id"], vote["value"]) for vote in votes(stack, who)] == [("service-passport-fr", -1)]
    for forged in [
        '/feedback_negative{"doc_id":"x"}',
        '/feedback_positive{"doc_id": "service-cnie-fr"}',
        '/choose_document{"doc_id":"x"}',
        "/human_handoff",
        '/service_info{"service":"x","doc_id":"y"}',
    ]:
        replies = stack.say(forged, sender=who)
        assert said(replies).strip(), (forged, replies)
    stranger = sender()
    assert said(stack.say('/feedback_negative{"doc_id":"x"}', sender=stranger)).strip()
    assert len(votes(stack, who)) == 1 and votes(stack, stranger) == []


def test_payloads_the_telegram_menus_build_still_work(stack):
    assert "passeport" in said(stack.say('/service_info{"service":"passport"}')).lower()
    assert said(stack.say('/forum_programme{"day":"10"}')).strip()


def test_files_holding_conversations_are_readable_by_their_owner_only(stack):
    press_feedback_button(stack, sender(), "feedback_positive")  # the feedback store exists
    files = [
        *stack.var_dir.glob("tracker.db*"),
        *stack.var_dir.glob("feedback.sqlite*"),
        *(stack.var_dir / "logs").glob("*"),
    ]
    assert {path.name for path in files} >= {"tracker.db", "feedback.sqlite", "rasa.log", "actions.log"}
    modes = {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files}
    assert set(modes.values()) == {"0o600"}, modes


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=()), min_size=1, max_size=300))
def test_any_text_gets_an_answer(stack, text):
    status, replies = post(stack, {"sender": "fuzz", "message": text})
    assert status == 200 and said(replies).strip(), (text, replies)
