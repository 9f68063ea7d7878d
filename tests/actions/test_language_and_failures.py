"""The chosen language wins over the detected one; a broken knowledge base never leaves the user in silence."""

from __future__ import annotations

import asyncio

from action_harness import run, tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge as knowledge_action
from actions.validation import ActionValidateSlotMappings


def test_explicit_language_choice_replaces_the_detected_language():
    state = tracker("language_choice")
    assert asyncio.run(ActionValidateSlotMappings().validate_language("fr", CollectingDispatcher(), state, {})) == {
        "language": "ar"
    }


def test_detected_language_is_kept_without_a_choice():
    state = tracker("forum_question", language_choice=None)
    assert asyncio.run(ActionValidateSlotMappings().validate_language("ary", CollectingDispatcher(), state, {})) == {
        "language": "ary"
    }


def test_failure_inside_an_action_becomes_a_temporarily_unavailable_reply(monkeypatch):
    def broken():
        raise OSError("index unreadable")

    monkeypatch.setattr(knowledge_action, "knowledge_base", broken)
    messages, events = run(knowledge_action.ActionAnswerFromKnowledge(), tracker("forum_question", language="ary_Latn"))
    assert [message["response"] for message in messages] == ["utter_unavailable"]  # Rasa words it per language
    assert events == []
