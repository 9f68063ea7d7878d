"""Forum questions answered by `action_answer_from_knowledge` from the real index, in each variety."""
from __future__ import annotations

import json

import pytest
from action_harness import run, said, tracker

from actions.knowledge import ActionAnswerFromKnowledge

ACTION = ActionAnswerFromKnowledge()


@pytest.mark.parametrize("language, text, intent, fact", [
    ("ar", "متى ينعقد الملتقى الدولي حول المدن الذكية؟", "forum_dates", "11 أبريل"),
    ("ary", "فين غادي يكون الملتقى؟", "forum_venue", "عمالة"),
    ("ary_Latn", "imta ghadi ykoun l forum?", "forum_dates", "11 أبريل"),
    ("fr", "Quand a lieu le forum des villes intelligentes ?", "forum_dates", "avril 2025"),
    ("en", "What are the dates of the forum?", "forum_dates", "April 2025"),
])
def test_forum_question_gets_the_fact_its_source_and_vote_buttons(kb_var, language, text, intent, fact):
    state = tracker("forum_question", text=text, language=language)
    state.latest_message["intent"]["name"] = intent
    messages, events = run(ACTION, state)
    answer = messages[0]
    assert fact in answer["text"]
    assert "📄" in answer["text"]                       # the source line
    doc_id = next(e["value"] for e in events if e.get("name") == "last_doc_id")
    payloads = [button["payload"] for button in answer["buttons"]]
    assert payloads[0] == "/feedback_positive" + json.dumps({"doc_id": doc_id})
    assert payloads[1].startswith("/feedback_negative")


def test_darija_gets_arabic_documents_and_french_gets_french(kb_var):
    darija, _ = run(ACTION, tracker("forum_question", text="imta l multaqa?", language="ary_Latn"))
    french, _ = run(ACTION, tracker("forum_question", text="C'est quand le forum ?", language="fr"))
    assert "أبريل" in darija[0]["text"]
    assert "avril" in french[0]["text"] and "أبريل" not in french[0]["text"]


def test_chosen_document_is_shown_with_its_source(kb_var):
    messages, events = run(ACTION, tracker("choose_document"))
    assert "ENIAD" in messages[0]["text"] and "📄" in messages[0]["text"]
    assert {"event": "slot", "timestamp": None, "name": "last_doc_id", "value": "forum-venue-fr"} in events


def test_nothing_found_says_so_points_to_a_person_and_is_recorded(kb_var, store):
    messages, _ = run(ACTION, tracker("forum_question", text="zzz yyy", language="ary_Latn"))
    text = said(messages)
    assert "ma l9itch" in text                          # said plainly, in the user's Darija
    assert "chikaya.ma" in text or "🏢" in text          # where to ask instead
    assert any(row["text"] == "zzz yyy" for row in store.unanswered())
