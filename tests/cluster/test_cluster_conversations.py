"""Several Rasa servers behind nginx keep each conversation whole: its state is in PostgreSQL (a conversation
goes on after the server that began it dies) and its turns are taken one at a time (Redis lock store)."""

from __future__ import annotations

import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from stack.servers import answers
from tests.cluster.conftest import RunningCluster, refuses, sender, wait_for

pytestmark = pytest.mark.servers  # the session's cluster: Rasa, action servers, engines


def texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text") or "" for reply in replies)


def test_a_conversation_goes_on_after_the_rasa_server_that_began_it_is_killed(cluster: RunningCluster):
    who = sender("failover")
    first_server = cluster.state()["rasa"][0].removesuffix("/status")
    first = cluster.say("Le passeport coûte combien ?", who, base=first_server)  # served by Rasa server 1
    assert "500" in texts(first), first
    pid = cluster.state()["processes"]["Rasa server 1"]
    os.killpg(pid, signal.SIGKILL)
    wait_for(lambda: refuses(first_server), 10, "Rasa server 1 gone")  # not while the kernel still accepts

    follow_up = cluster.say("et la carte d'identité ?", who)  # through nginx: Rasa server 2
    assert "75" in texts(follow_up), follow_up  # the topic's aspect (cost) and French kept from PostgreSQL
    status, tracker = cluster.api(f"/conversations/{who}/tracker")
    assert status == 200 and tracker["slots"]["language"] == "fr", tracker.get("slots")
    assert cluster.user_texts(who) == ["Le passeport coûte combien ?", "et la carte d'identité ?"]

    token = cluster.tokens["rasa"]  # the supervisor restarts the killed server; the cluster is whole again
    wait_for(lambda: cluster.state()["processes"]["Rasa server 1"] != pid, 30, "Rasa server 1 restarted")
    wait_for(lambda: answers(f"{first_server}/status?token={token}"), 120, "Rasa server 1 answering again")
    again = cluster.say("Le passeport coûte combien ?", sender("after"), base=first_server)
    assert "500" in texts(again)


def test_twenty_messages_of_one_sender_at_once_are_each_answered_and_stored_once_in_turn(cluster: RunningCluster):
    who = sender("burst")
    sent = [f"merci {number}" for number in range(20)]
    with ThreadPoolExecutor(len(sent)) as pool:
        replies = list(pool.map(lambda text: cluster.say(text, who, timeout=120), sent))
    assert all(texts(reply).strip() for reply in replies), [r for r in replies if not texts(r).strip()]
    stored = cluster.user_texts(who)
    assert sorted(stored) == sorted(sent), stored  # each once, none lost
    rows = cluster.sql("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", who)
    last_action = None
    for type_name, data in rows:  # a turn ends (action_listen) before the next message is taken
        if type_name == "user":
            assert last_action in (None, "action_listen"), f"turns interleaved: a message taken during {last_action}"
        if type_name == "action":
            last_action = json.loads(data)["name"]
    assert last_action == "action_listen"


def test_32_users_for_30_seconds_through_nginx_get_every_answer(cluster: RunningCluster):
    """32 citizens talking at once for 30 s: every message answered (bench/sections/scaling.py measures rates)."""
    questions = ["Le passeport coûte combien ?", "bonjour", "How can I file a complaint?", "merci"]
    deadline = time.monotonic() + 30

    def user(number: int) -> tuple[int, int]:
        done = errors = 0
        who = sender(f"load{number}")
        while time.monotonic() < deadline:
            try:
                ok = bool(texts(cluster.say(questions[done % len(questions)], who, timeout=60)).strip())
            except OSError:
                ok = False
            done, errors = done + 1, errors + (not ok)
        return done, errors

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(user, range(32)))
    sent, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    assert errors == 0, f"{errors} of {sent} messages without an answer"
    assert sent >= 32
