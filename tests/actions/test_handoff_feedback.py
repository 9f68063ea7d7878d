"""A person to talk to (`action_handoff`) and votes on answers (`action_record_feedback`)."""

from __future__ import annotations

from action_harness import run, said, tracker

from actions.feedback import ActionRecordFeedback
from actions.handoff import ActionHandoff


def test_handoff_gives_the_office_and_is_recorded_with_the_conversation(kb_var, store):
    state = tracker("handoff")
    text = said(run(ActionHandoff(), state)[0])
    assert "agent" in text
    assert "annexe administrative" in text.lower()  # the passport document's office
    request = store.handoffs()[0]
    assert request["conversation"] == state.sender_id
    assert request["office"]


def test_handoff_in_arabic_without_context_gives_the_general_contact(kb_var, store):
    state = tracker("handoff", text="أرغب في التواصل مع موظف من الإدارة", language="ar", last_doc_id=None)
    text = said(run(ActionHandoff(), state)[0])
    assert "موظف" in text and "🏢" in text


def test_button_vote_is_stored_against_its_document(kb_var, store):
    state = tracker("feedback_button")
    text = said(run(ActionRecordFeedback(), state)[0])
    assert "merci" in text.lower()
    vote = store.votes()[0]
    assert (vote["conversation"], vote["doc_id"], vote["value"]) == (state.sender_id, "forum-dates-fr", 1)


def test_typed_complaint_about_the_last_answer_is_a_negative_vote(kb_var, store):
    state = tracker("handoff", text="ta réponse est fausse", last_doc_id="service-cnie-fr")
    state.latest_message["intent"]["name"] = "feedback_negative"
    run(ActionRecordFeedback(), state)
    vote = store.votes()[0]
    assert (vote["doc_id"], vote["value"]) == ("service-cnie-fr", -1)
