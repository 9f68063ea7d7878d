"""A citizen's erasure and the retention purge on PostgreSQL, as the cluster stores conversations (the same
REST path and daily purge as on SQLite: privacy/web.py through privacy.tracker_store)."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
import urllib.error
import urllib.request

import pytest

from stack.servers import answers
from tests.cluster.conftest import RunningCluster, refuses, sender, wait_for

pytestmark = pytest.mark.servers  # the session's cluster: Rasa, action servers, engines

HANDOFF = "I want to talk to a person"


def events(cluster: RunningCluster, who: str) -> int:
    return cluster.sql("SELECT COUNT(*) FROM events WHERE sender_id = %s", who)[0][0]


def handoffs(cluster: RunningCluster, who: str) -> int:
    with sqlite3.connect(cluster.var / "feedback.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM handoffs WHERE conversation = ?", (who,)).fetchone()[0]


def forget(cluster: RunningCluster, who: str, token: str | None) -> int:
    query = f"?token={token}" if token else ""
    request = urllib.request.Request(
        f"{cluster.url}/webhooks/rest/forget{query}",
        data=f'{{"sender": "{who}"}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_citizen_erases_their_conversation_from_postgresql_and_only_theirs(cluster: RunningCluster):
    citizen, other = sender("erase"), sender("erase")
    for who in (citizen, other):
        cluster.say(HANDOFF, who)
    before = {who: (events(cluster, who), handoffs(cluster, who)) for who in (citizen, other)}
    assert all(stored > 0 and asked == 1 for stored, asked in before.values()), before

    assert forget(cluster, citizen, None) == 401  # a stranger through nginx: refused, nothing deleted
    assert (events(cluster, citizen), handoffs(cluster, citizen)) == before[citizen]
    assert forget(cluster, citizen, cluster.tokens["rasa"]) == 200
    assert (events(cluster, citizen), handoffs(cluster, citizen)) == (0, 0)
    assert (events(cluster, other), handoffs(cluster, other)) == before[other]
    assert cluster.say("bonjour", citizen), "no answer after erasing"
    assert cluster.user_texts(citizen) == ["bonjour"]  # a new conversation


def test_the_retention_purge_deletes_only_old_conversations_from_postgresql(cluster: RunningCluster):
    old, recent = sender("old"), sender("recent")
    for who in (old, recent):
        cluster.say(HANDOFF, who)
    day = 86400
    cluster.sql("UPDATE events SET timestamp = %s WHERE sender_id = %s", time.time() - 91 * day, old)
    cluster.sql("UPDATE events SET timestamp = %s WHERE sender_id = %s", time.time() - 89 * day, recent)
    with sqlite3.connect(cluster.var / "feedback.sqlite") as db:
        db.execute("UPDATE handoffs SET at = ? WHERE conversation = ?", (time.time() - 91 * day, old))
    kept = events(cluster, recent)

    second = cluster.state()["rasa"][1].removesuffix("/status")  # a server that starts purges (then daily)
    pid = cluster.state()["processes"]["Rasa server 2"]
    os.killpg(pid, signal.SIGTERM)
    wait_for(lambda: refuses(second), 20, "Rasa server 2 stopped")
    wait_for(lambda: answers(f"{second}/status?token={cluster.tokens['rasa']}"), 120, "Rasa server 2 restarted")
    wait_for(lambda: events(cluster, old) == 0, 30, "the old conversation purged")
    assert handoffs(cluster, old) == 0
    assert (events(cluster, recent), handoffs(cluster, recent)) == (kept, 1)
