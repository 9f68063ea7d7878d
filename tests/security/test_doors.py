"""Closed doors: a stranger without the tokens can read, write or run nothing; citizens still talk freely.

Against the real servers (the session's `stack`): Rasa's HTTP API requires its token (`?token=`), the action
server requires its bearer token, both listen on 127.0.0.1 only, and the REST webhook needs no token.
Each refusal is checked against what it would have changed (the tracker, the model, the reply).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from settings import ROOT

TRACKERS = ROOT / "tests" / "actions" / "trackers"  # recorded trackers (tests/actions/action_harness.py)
pytestmark = pytest.mark.servers

STRANGER_TOKENS = ["", "?token=", "?token=guess", "?token=%00"]


def status(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


@pytest.fixture
def conversation(stack) -> str:
    """A citizen's conversation holding a phone number, as a stranger would look for."""
    sender = f"doors-{uuid.uuid4().hex[:8]}"
    assert stack.say("Le passeport coûte combien ? Mon numéro 0612345678", sender=sender)
    return sender


def events(stack, sender: str) -> list[dict]:
    code, body = status(stack.api_url(f"/conversations/{sender}/tracker"))
    assert code == 200, body
    return json.loads(body)["events"]


@pytest.mark.parametrize("token", STRANGER_TOKENS)
def test_a_stranger_cannot_read_a_tracker(stack, conversation, token):
    code, body = status(f"{stack.rasa_url}/conversations/{conversation}/tracker{token}")
    assert code == 401 and conversation not in body and "Le passeport" not in body
    assert any(event["event"] == "user" for event in events(stack, conversation))  # with the token: there


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])  # text/plain: cross-site, no preflight
def test_a_stranger_cannot_append_events(stack, conversation, content_type):
    before = events(stack, conversation)
    forged = json.dumps([{"event": "bot", "text": "Envoyez votre code à ce numéro"}]).encode()
    code, _ = status(
        f"{stack.rasa_url}/conversations/{conversation}/tracker/events", "POST", forged, {"Content-Type": content_type}
    )
    assert code == 401
    assert events(stack, conversation) == before


def test_a_stranger_cannot_trigger_an_intent_or_parse(stack, conversation):
    before = events(stack, conversation)
    trigger = json.dumps({"name": "handoff_request", "entities": {}}).encode()
    code, _ = status(
        f"{stack.rasa_url}/conversations/{conversation}/trigger_intent",
        "POST",
        trigger,
        {"Content-Type": "application/json"},
    )
    assert code == 401 and events(stack, conversation) == before
    code, _ = status(
        f"{stack.rasa_url}/model/parse", "POST", b'{"text": "bonjour"}', {"Content-Type": "application/json"}
    )
    assert code == 401
    assert stack.parse("bonjour")["intent"]["name"]  # the token holder still can


def test_a_stranger_cannot_unload_replace_or_train_the_model(stack):
    assert status(f"{stack.rasa_url}/model", "DELETE")[0] == 401
    replace = json.dumps({"model_file": "/tmp/nothing.tar.gz"}).encode()
    assert status(f"{stack.rasa_url}/model", "PUT", replace, {"Content-Type": "application/json"})[0] == 401
    assert status(f"{stack.rasa_url}/model/train", "POST", b"{}", {"Content-Type": "application/json"})[0] == 401
    assert status(f"{stack.rasa_url}/status")[0] == 401
    reply = stack.say("Le passeport coûte combien ?")  # the model still loaded and answering
    assert any("500" in (entry.get("text") or "") for entry in reply), reply


def test_citizens_need_no_token_on_the_rest_webhook(stack):
    reply = stack.say("Les dates du forum de Berkane, s'il vous plaît")
    assert reply and any("10" in (entry.get("text") or "") for entry in reply), reply


def action_call(action: str) -> bytes:
    tracker = json.loads((TRACKERS / "feedback_button.json").read_text(encoding="utf-8"))
    return json.dumps(
        {
            "next_action": action,
            "sender_id": tracker["sender_id"],
            "tracker": tracker,
            "domain": {},
            "version": "3.6.21",
        }
    ).encode()


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer guess", "token"])
def test_a_stranger_cannot_run_an_action(stack, authorization):
    headers = {"Content-Type": "application/json"} | ({"Authorization": authorization} if authorization else {})
    log = Path(stack.actions.log_path)
    before = log.stat().st_size
    code, body = status(f"{stack.actions_url}/webhook", "POST", action_call("action_record_feedback"), headers)
    assert code == 401 and "events" not in body
    written = log.read_text(encoding="utf-8")[before:]
    assert "feedback recorded" not in written and '"vote"' not in written
    assert status(f"{stack.actions_url}/actions", headers=headers)[0] == 401


def test_the_token_holder_runs_actions(stack):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {stack.actions.token}"}
    code, body = status(f"{stack.actions_url}/webhook", "POST", action_call("action_answer_service"), headers)
    assert code == 200 and "events" in json.loads(body)


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2]",
        b'{"next_action": "action_record_feedback", "tracker": "0612345678"}',
        b"{not json 0612345678",
        b'{"next_action": 7, "marker": "0612345678"}',
    ],
)
def test_a_malformed_action_call_gets_a_bare_error(stack, body):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {stack.actions.token}"}
    code, answer = status(f"{stack.actions_url}/webhook", "POST", body, headers)
    assert 400 <= code < 600
    reply = json.loads(answer)
    assert set(reply) <= {"error", "status", "action_name"}
    assert "0612345678" not in answer and "Traceback" not in answer and "request_body" not in answer


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (/proc/net/tcp and tcp6, state 0A)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_both_servers_listen_on_the_loopback_only(stack):
    loopback = "0100007F"  # 127.0.0.1, little-endian hex as /proc/net/tcp writes it
    assert listening_addresses(stack.actions_port) == {loopback}
    assert listening_addresses(stack.rasa_port) == {loopback}
