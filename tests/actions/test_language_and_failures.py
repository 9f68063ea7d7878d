"""The chosen language wins over the detected one; a broken knowledge base never leaves the user in silence."""

from __future__ import annotations

import asyncio
import re

import yaml
from action_harness import run, tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge as knowledge_action
from actions.validation import ActionValidateSlotMappings
from nlu.languages import written_variety
from settings import ROOT


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


def test_every_response_to_arabizi_is_in_the_script_its_other_answers_are_in():
    """A Latin-script "Bla jmil" after Arabic-script answers mixed scripts in one conversation: every response of
    domain.yml gives ary_Latn the text of the variety the actions write for it (nlu.languages.written_variety)."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    written = written_variety("ary_Latn")

    def text(variants: list[dict], language: str) -> str | None:
        return next((v["text"] for v in variants if v.get("condition", [{}])[0].get("value") == language), None)

    for name, variants in responses.items():
        assert text(variants, "ary_Latn") == text(variants, written) is not None, name
        assert not re.search(r"[A-Za-z]{3}", text(variants, "ary_Latn")), name
