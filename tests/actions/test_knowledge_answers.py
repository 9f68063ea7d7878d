"""Forum questions answered by `action_answer_from_knowledge` from the real index, in each variety."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from action_harness import run, said, tracker

import settings
from actions.knowledge import ActionAnswerFromKnowledge
from actions.programme import ActionAnswerProgramme

ACTION = ActionAnswerFromKnowledge()


@pytest.mark.parametrize(
    "language, text, intent, fact",
    [
        ("ar", "متى ينعقد الملتقى الدولي حول المدن الذكية؟", "forum_dates", "11 أبريل"),
        ("ary", "فين غادي يتنظم الملتقى؟", "forum_venue", "عمالة"),
        ("ary_Latn", "imta kayn l forum dyal berkane?", "forum_dates", "11 أبريل"),
        ("fr", "Quelles sont les dates du forum des villes intelligentes ?", "forum_dates", "avril 2025"),
        ("en", "When does the forum take place?", "forum_dates", "April 2025"),
    ],
)
def test_forum_question_gets_the_fact_its_source_and_vote_buttons(kb_var, language, text, intent, fact):
    state = tracker("forum_question", text=text, language=language)
    state.latest_message["intent"]["name"] = intent
    messages, events = run(ACTION, state)
    answer = messages[0]
    assert fact in answer["text"]
    assert "📄" in answer["text"]  # the source line
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
    # lexical retrieval answers only on a strong word match, so gibberish surely finds nothing
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERKANE_RETRIEVAL", "lexical")
        settings.reload()  # settings are read once per process: read them again
        try:
            messages, _ = run(ACTION, tracker("forum_question", text="zzz yyy", language="ary_Latn"))
        finally:
            patch.undo()
            settings.reload()
    text = said(messages)
    assert "ما لقيتش" in text  # said plainly, in Darija (Arabic script for Arabizi)
    assert "chikaya.ma" in text or "🏢" in text  # where to ask instead
    assert any(row["text"] == "zzz yyy" for row in store.unanswered())


def _unsure(state, *ranking):
    state.latest_message["intent"] = {"name": "nlu_fallback", "confidence": 0.5}
    state.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.5}] + [
        {"name": name, "confidence": 0.4} for name in ranking
    ]
    return state


def test_unsure_forum_question_still_gets_a_sourced_answer(kb_var):
    state = _unsure(
        tracker("forum_question", text="أين ينعقد الملتقى الدولي؟", language="ar"), "forum_dates", "forum_venue"
    )
    text = said(run(ACTION, state)[0])
    assert "عمالة" in text and "📄" in text


def test_unsure_question_naming_a_service_gets_the_service_answer(kb_var):
    state = _unsure(
        tracker("service_question", text="Combien coute la carte d'identite electronique ?"),
        "forum_awards",
        "service_cost",
    )
    state.latest_message["entities"] = [{"entity": "service", "value": "cnie"}]
    assert "75" in said(run(ACTION, state)[0])


def test_unsure_small_talk_gets_the_did_not_understand_reply(kb_var):
    messages, _ = run(ACTION, _unsure(tracker("forum_question", text="hmm ok ok"), "affirm", "greet"))
    assert [message["response"] for message in messages] == ["utter_default"]


def test_unsure_programme_question_gets_the_programme(kb_var):
    state = _unsure(tracker("forum_question", text="What is on tomorrow morning?", language="en"), "forum_programme")
    state.latest_message["entities"] = [{"entity": "day", "value": "tomorrow"}, {"entity": "time", "value": "morning"}]
    on_day_one = ActionAnswerFromKnowledge(ActionAnswerProgramme(today=lambda: dt.date(2025, 4, 10)))
    text = said(run(on_day_one, state)[0])
    assert "Forum programme — Friday 11 April 2025\n" in text and "provisional" in text
