"""The unanswered queue, conversations, handoffs and analytics pages over a tracker store and feedback file
written as the assistant writes them."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest
import yaml

from knowledge.feedback import FeedbackStore

REFUSED = "je veux un permis de pêche, rappelez-moi au 0612345678"
LOW = "blabla xyz bidule"


@pytest.fixture
def talk(web_var: Path, conversations) -> dict[str, float]:
    """Three conversations: a refused question, a 👎 on a forum answer, a low-confidence greeting."""
    now = time.time() - 60
    conversations(
        [
            ("c1", "user", "je veux un permis de pêche, rappelez-moi au [phone]", now, "out_of_scope", 0.9, "fr"),
            ("c1", "bot", "Je n'ai pas trouvé cette information.", now + 0.4, None, None, None),
            ("c2", "user", "c'est quand le forum ?", now + 1, "forum_dates", 0.97, "fr"),
            ("c2", "bot", "Le forum a lieu les 10 et 11 avril.", now + 1.2, None, None, None),
            ("c2", "user", "/feedback_negative", now + 2, "feedback_negative", 1.0, "fr"),
            ("c3", "user", LOW, now + 3, "greet", 0.31, "ary_Latn"),
            ("c3", "bot", "Salam !", now + 3.6, None, None, None),
        ]
    )
    store = FeedbackStore()
    store.record_unanswered("c1", REFUSED, "fr")
    store.record_vote("c2", "forum-dates-fr", False, "/feedback_negative")
    return {"now": now}


def shown(response) -> str:
    return html.unescape(response.text)


def item_ids(page: str) -> list[str]:
    return re.findall(r'<article class="item" id="([^"]+)"', page)


def test_the_queue_lists_refused_thumbs_down_and_low_confidence_messages_with_the_bots_reply(browser, talk):
    page = shown(browser("trainer").get("/queue"))
    assert sorted(key.split("-")[0] for key in item_ids(page)) == ["lowconf", "unanswered", "vote"]
    assert "0612345678" not in page and "[phone]" in page
    assert "Je n'ai pas trouvé cette information." in page
    assert "c'est quand le forum ?" in page and "Le forum a lieu les 10 et 11 avril." in page
    assert LOW in page and "Salam !" in page and "ary_Latn" in page


def test_the_right_intent_is_appended_to_the_training_data_of_its_variety(browser, talk, tmp_path):
    trainer = browser("trainer")
    nlu = tmp_path / "data" / "nlu"
    untouched = {p: p.read_bytes() for p in nlu.rglob("*.yml") if p.parts[-2:] != ("fr", "dialogue.yml")}
    ref = next(k for k in item_ids(trainer.get("/queue").text) if k.startswith("unanswered")).split("-", 1)[1]
    example = "je veux un permis de pêche"
    response = trainer.post(f"/queue/unanswered/{ref}", {"action": "intent", "intent": "out_of_scope", "text": example})
    assert "exemple ajouté à out_of_scope dans fr/dialogue.yml" in shown(response)
    blocks = yaml.safe_load((nlu / "fr" / "dialogue.yml").read_text(encoding="utf-8"))["nlu"]
    examples = next(b["examples"] for b in blocks if b.get("intent") == "out_of_scope").splitlines()
    assert f"- {example}" in examples
    assert all(p.read_bytes() == content for p, content in untouched.items())
    assert f"unanswered-{ref}" not in item_ids(trainer.get("/queue").text)
    assert "traité par trainer : intent out_of_scope (fr)" in shown(trainer.get("/queue?all=1"))
    again = trainer.post(f"/queue/unanswered/{ref}", {"action": "intent", "intent": "out_of_scope", "text": example})
    assert "déjà dans fr/dialogue.yml" in shown(again)
    wrong = trainer.post(f"/queue/unanswered/{ref}", {"action": "intent", "intent": "no_such_intent", "text": "x y"})
    assert "intention inconnue" in shown(wrong)
    button = trainer.post(f"/queue/unanswered/{ref}", {"action": "intent", "intent": "greet", "text": "/greet"})
    assert "bouton" in shown(button)


def test_a_new_intent_block_is_written_where_its_family_lives(browser, talk, tmp_path):
    trainer = browser("trainer")
    ref = next(k for k in item_ids(trainer.get("/queue").text) if k.startswith("lowconf")).split("-", 1)[1]
    nlu = tmp_path / "data" / "nlu" / "en"
    assert "service_delay" in (nlu / "services.yml").read_text()
    response = trainer.post(
        f"/queue/lowconf/{ref}", {"action": "intent", "intent": "service_delay", "variety": "en", "text": "how long?!"}
    )
    assert "exemple ajouté" in shown(response)
    blocks = yaml.safe_load((nlu / "services.yml").read_text(encoding="utf-8"))["nlu"]
    assert "- how long?!" in next(b["examples"] for b in blocks if b.get("intent") == "service_delay").splitlines()


def test_a_trainer_links_or_writes_an_answer_or_dismisses(browser, talk, web_var):
    trainer = browser("trainer")
    keys = item_ids(trainer.get("/queue").text)
    vote, low, refused = (next(k for k in keys if k.startswith(kind)) for kind in ("vote", "lowconf", "unanswered"))
    response = trainer.post(f"/queue/vote/{vote.split('-', 1)[1]}", {"action": "link", "doc_id": "fx-forum-dates-fr"})
    assert "lié au document fx-forum-dates-fr" in shown(response)
    fields = {"action": "write", "title": "Permis de pêche", "lang": "fr", "body": "Le permis se demande au port."}
    response = trainer.post(f"/queue/unanswered/{refused.split('-', 1)[1]}", fields)
    assert "brouillon permis-de-peche-fr" in shown(response)
    draft = (web_var / "admin" / "drafts" / "permis-de-peche-fr.md").read_text(encoding="utf-8")
    assert "provisional: true" in draft and "[phone]" in draft and "0612345678" not in draft
    response = trainer.post(f"/queue/lowconf/{low.split('-', 1)[1]}", {"action": "dismiss"})
    assert "écarté" in shown(response) and 'id="empty"' in response.text
    assert trainer.post("/queue/unanswered/99999", {"action": "dismiss"}).status_code == 404
    assert "queue dismiss" in shown(browser("admin").get("/audit"))


def test_a_conversation_is_shown_read_only_from_the_tracker_store(browser, talk):
    trainer = browser("trainer")
    listing = trainer.get("/conversations").text
    assert all(f'href="/conversations/{sender}"' in listing for sender in ("c1", "c2", "c3"))
    page = shown(trainer.get("/conversations/c2"))
    assert page.index("c'est quand le forum ?") < page.index("Le forum a lieu") < page.index("/feedback_negative")
    assert "forum_dates 0.97" in page and "<form" not in page.split("<main>")[1]
    assert trainer.get("/conversations/nobody").status_code == 404


def test_handoffs_go_open_answered_closed_and_closing_deletes_the_call_back_number(browser, talk, web_var):
    store = FeedbackStore()
    store.record_handoff("c1", "rappelez-moi au 0612345678", "fr", "Caïdat", callback="0612345678")
    trainer = browser("trainer")
    page = trainer.get("/handoffs").text
    handoff_id = re.search(r'id="handoff-(\d+)"', page).group(1)
    row = page.split(f'id="handoff-{handoff_id}"')[1].split("</tr>")[0]
    assert '"status">open' in row and "0612345678" in row and "rappelez-moi au [phone]" in row
    trainer.post(f"/handoffs/{handoff_id}", {"status": "answered"})
    row = trainer.get("/handoffs").text.split(f'id="handoff-{handoff_id}"')[1].split("</tr>")[0]
    assert '"status">answered' in row
    response = trainer.post(f"/handoffs/{handoff_id}", {"status": "closed"})
    row = response.text.split(f'id="handoff-{handoff_id}"')[1].split("</tr>")[0]
    assert '"status">closed' in row and "0612345678" not in row
    with sqlite3.connect(web_var / "feedback.sqlite") as db:
        assert db.execute("SELECT callback FROM handoffs WHERE id = ?", (handoff_id,)).fetchone() == (None,)
    assert "déjà traitée" in shown(trainer.post(f"/handoffs/{handoff_id}", {"status": "closed"}))


def figures(response) -> dict:
    return json.loads(html.unescape(re.search(r'id="chart-data">(.*?)</script>', response.text, re.S).group(1)))


def test_analytics_counts_messages_outcomes_votes_and_latency_within_the_dates(browser, talk, web_var):
    analyst = browser("analyst")
    data = figures(analyst.get("/analytics"))
    assert data["messages"] == 3  # the 👎 button is not a message
    assert data["per_variety"] == {"fr": 2, "ary_Latn": 1}
    assert data["outcomes"] == {"answered": 2, "refused": 1, "handed_off": 0}
    assert data["votes"] == {"up": 0, "down": 1, "up_rate": 0.0}
    assert data["median_latency_ms"] == 400
    assert (
        sum(data["per_day"]) == 3
        and data["top_unanswered"][0][0] == "je veux un permis de pêche, rappelez-moi au [phone]"
    )
    old = figures(analyst.get("/analytics", params={"from": "2020-01-01", "to": "2020-01-31"}))
    assert old["messages"] == 0 and len(old["days"]) == 31
    assert analyst.get("/analytics", params={"from": "2020-13-01"}).status_code == 400
    assert analyst.get("/analytics", params={"from": "2021-01-02", "to": "2021-01-01"}).status_code == 400
    assert analyst.get("/queue").status_code == 403
