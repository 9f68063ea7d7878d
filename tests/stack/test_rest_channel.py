"""End to end through Rasa's REST channel: the path a message travels, and what bad input gets."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid

import pytest

from stack.servers import answers

ARABIC = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def script_of(replies: list[dict]) -> str:
    """The script most of the replies' letters are in (links and button payloads left out)."""
    text = " ".join(r.get("text") or "" for r in replies)
    text = re.sub(r"(https?://\S+|www\.\S+|\b[\w.-]+\.(ma|com|org)\b)", " ", text)
    arabic, latin = len(ARABIC.findall(text)), len(LATIN.findall(text))
    return "arab" if arabic >= latin else "latn"


@pytest.mark.parametrize(
    "text,script",
    [
        ("مرحبا", "arab"),  # ar
        ("السلام عليكم", "arab"),  # ar
        ("السلام، لاباس عليك؟ لاباس عليك", "arab"),  # ary
        ("salam labas 3lik", None),  # ary_Latn: Arabizi or Arabic script are both right
        ("Bonjour", "latn"),  # fr
        ("Hello", "latn"),  # en
    ],
)
def test_greeting_is_answered_in_the_users_script(stack, text, script):
    replies = stack.say(text)
    assert replies and any((r.get("text") or "").strip() for r in replies), replies
    if script:
        assert script_of(replies) == script, replies


def test_who_are_you_in_darija_and_french(stack):
    ary = stack.say("شكون انت بالضبط؟")
    fr = stack.say("Tu es qui ?")
    assert script_of(ary) == "arab" and script_of(fr) == "latn"
    assert ary[0]["text"] != fr[0]["text"]


def tracker_events(stack, sender: str) -> list[dict]:
    with urllib.request.urlopen(stack.api_url(f"/conversations/{sender}/tracker"), timeout=30) as response:
        return json.loads(response.read())["events"]


def test_conversation_survives_a_rasa_restart(stack):
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    first = stack.say("Quel est le prix d'un passeport ?", sender=sender)
    assert any("500" in (r.get("text") or "") for r in first), first
    before = [e.get("text") for e in tracker_events(stack, sender) if e["event"] == "user"]
    stack.stop_rasa()
    stack.start_rasa()
    after = [e.get("text") for e in tracker_events(stack, sender) if e["event"] == "user"]
    assert after == before, "the SQLite tracker store lost the conversation"
    # the slot kept from before the restart still steers the follow-up
    follow_up = stack.say("et quels documents faut-il ?", sender=sender)
    said = " ".join(r.get("text") or "" for r in follow_up).lower()
    assert "passeport" in said or "passport" in said, follow_up


def post_raw(stack, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize(
    "message", ["", "   ", "🙂🙂🙂", "12345", "ب" * 4096, ("kifach " * 700)[:4096], "Bonjour مرحبا salam 3afak"]
)
def test_odd_messages_get_a_reply_and_the_servers_stay_up(stack, message):
    replies = stack.say(message)
    assert any((r.get("text") or "").strip() for r in replies), replies  # an empty message too: a polite reply
    assert answers(stack.api_url("/status")) and answers(f"{stack.actions_url}/health")


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", b'{"sender": "x"}', b'{"message": 5}'])
def test_malformed_requests_get_an_http_error_not_a_crash(stack, body):
    status, _ = post_raw(stack, body)
    assert 400 <= status < 500
    assert answers(stack.api_url("/status"))
