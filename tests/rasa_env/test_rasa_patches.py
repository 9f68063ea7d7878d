"""The fast path's replacements of Rasa internals (stack/rasa_patches.py, runs in .venv-rasa): they still fit
the installed Rasa (a renamed method or a changed signature fails here, loudly), Rasa's response check
refuses what it refused before with the same message, and the in-process language rule gives the answer the
action server's `action_validate_slot_mappings` gives."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.validation import ActionValidateSlotMappings
from stack import rasa_patches
from stack.rasa_patches import RasaChanged

DOMAIN = Domain.load("domain.yml")
GOOD = {
    "events": [{"event": "slot", "name": "topic", "value": "forum_dates", "timestamp": None}],
    "responses": [{"text": "Le forum a lieu les 10 et 11 décembre.", "buttons": []}],
}
BAD = {"events": [{"event": "slot_typo", "name": "topic"}], "responses": []}


def test_every_replaced_rasa_internal_still_has_its_name_and_signature():
    assert set(rasa_patches.targets()) == {
        *("spec", "validate", "call", "slots", "events", "nlu", "graph"),
        *("states", "prev_action", "active_state", "rule_only", "user_input", "clean", "prior"),
        *("copy", "applied", "format", "rule_keys", "rule_states"),
    }


def test_a_changed_signature_stops_the_start_with_the_file_to_review():
    class Changed:
        def _validate_action_result(self, result, strict):  # what a Rasa upgrade could do
            return True

    with pytest.raises(RasaChanged, match=r"stack/rasa_patches\.py"):
        rasa_patches._require(Changed, "_validate_action_result", ("self", "result"))
    with pytest.raises(RasaChanged, match="is gone"):
        rasa_patches._require(Changed, "_execute_validation_action", ("self",))


def test_a_good_action_response_passes_and_the_validator_is_built_once():
    rasa_patches.response_validator.cache_clear()
    for _ in range(3):
        assert rasa_patches.validate_action_result(None, GOOD) is True
    assert rasa_patches.response_validator.cache_info().misses == 1


def test_a_malformed_action_response_is_refused_as_rasa_refuses_it():
    with pytest.raises(ValidationError) as ours:
        rasa_patches.validate_action_result(None, BAD)
    with pytest.raises(ValidationError) as rasas:
        RemoteAction("action_answer_from_knowledge", None)._validate_action_result(BAD)  # Rasa's own, unpatched
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message


def conversation(*slots: SlotSet, text: str = "Quand a lieu le forum ?") -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"), *slots, UserUttered(text, {"name": "forum_dates"})]
    return DialogueStateTracker.from_events("patch-test", events, slots=DOMAIN.slots)


def by_the_action_server(tracker: DialogueStateTracker, slot_events: list[SlotSet]) -> dict[str, object]:
    """What action_validate_slot_mappings answers for these extracted slots (the round trip of the old path)."""
    extracted = DialogueStateTracker.from_events(
        tracker.sender_id, tracker.events_after_latest_restart() + slot_events, slots=DOMAIN.slots
    )
    sdk_tracker = Tracker.from_dict(extracted.current_state(EventVerbosity.ALL))
    events = asyncio.run(ActionValidateSlotMappings().run(CollectingDispatcher(), sdk_tracker, DOMAIN.as_dict()))
    answered = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    return {**{event.key: event.value for event in slot_events}, **answered}


@pytest.mark.parametrize(
    ("earlier", "extracted", "language"),
    [
        ([SlotSet("language_choice", "ar")], [SlotSet("language", "fr")], "ar"),  # chosen before: kept
        ([], [SlotSet("language", "ary")], "ary"),  # no choice: the detected language
        ([], [SlotSet("language", "fr"), SlotSet("language_choice", "en")], "en"),  # chosen in this message
        ([SlotSet("language_choice", "ar")], [SlotSet("language", "fr"), SlotSet("language_choice", "en")], "en"),
    ],
)
def test_the_language_rule_in_rasa_answers_as_the_validation_action(earlier, extracted, language):
    tracker = conversation(*earlier)
    events = asyncio.run(
        rasa_patches.execute_validation_action(ActionExtractSlots(None), extracted, None, None, tracker, DOMAIN)
    )
    ours = {event.key: event.value for event in events}
    assert ours["language"] == language
    assert ours == by_the_action_server(tracker, extracted)


def test_slots_other_than_the_language_pass_unchanged():
    extracted = [SlotSet("service", "passport")]
    events = asyncio.run(
        rasa_patches.execute_validation_action(
            ActionExtractSlots(None), extracted, None, None, conversation(SlotSet("language_choice", "ar")), DOMAIN
        )
    )
    assert [(event.key, event.value) for event in events] == [("service", "passport")]


def test_every_stored_event_reads_back_as_the_class_rasa_gives_it():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "slot", "action", "session_started"} <= names
    for name in names:
        assert rasa_patches.resolve_by_type(name) is Event.resolve_by_type(name)  # Rasa's own lookup
    assert rasa_patches.resolve_by_type("topic") is None
    assert rasa_patches.resolve_by_type("nonsense", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'nonsense'"):
        rasa_patches.resolve_by_type("nonsense")
    tracker = conversation(SlotSet("language_choice", "ar"))
    stored = [event.as_dict() for event in tracker.events]
    assert [type(Event.from_parameters(event)) for event in stored] == [type(event) for event in tracker.events]


def test_the_old_path_keeps_rasas_own_code(monkeypatch):
    def current():
        return (
            RemoteAction._validate_action_result,
            RemoteAction._action_call_format,
            ActionExtractSlots._execute_validation_action,
            Event.__dict__["resolve_by_type"],
            MessageProcessor.parse_message,
            MessageProcessor._parse_message_with_graph,
            Domain.states_for_tracker_history,
        )

    original = current()
    monkeypatch.setenv(rasa_patches.STEPS_VARIABLE, "none")
    assert rasa_patches.apply() == frozenset()
    assert current() == original


class Pipeline:
    """Stands for Rasa's processor around its real parse_message: records on which thread the NLU ran."""

    http_interpreter = None

    def __init__(self) -> None:
        self.threads: list[str] = []

    def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
        self.threads.append(threading.current_thread().name)
        return {"text": message.text, "intent": {"name": "forum_dates", "confidence": 0.9}, "entities": []}

    def _update_full_retrieval_intent(self, parse_data):
        MessageProcessor._update_full_retrieval_intent(self, parse_data)

    def _check_for_unseen_features(self, parse_data):
        pass


def test_the_nlu_runs_once_off_the_event_loop_and_rasa_finishes_the_parse():
    from rasa.core.channels.channel import UserMessage

    pipeline = Pipeline()
    pipeline._parse_message_with_graph = rasa_patches.parse_with_graph(Pipeline._parse_message_with_graph).__get__(
        pipeline
    )
    parse = rasa_patches.threaded_parse_message(MessageProcessor.parse_message)  # Rasa's own body inside
    parsed = asyncio.run(parse(pipeline, UserMessage("Quand a lieu le forum ?", sender_id="t"), conversation()))
    assert parsed["intent"]["name"] == "forum_dates" and parsed["text"] == "Quand a lieu le forum ?"
    assert len(pipeline.threads) == 1 and pipeline.threads[0].startswith("nlu")


def test_an_action_call_carries_the_slots_latest_message_and_this_turns_events_only():
    long = conversation(SlotSet("language_choice", "ar"))
    for turn in range(20):
        long.update(ActionExecuted("action_listen"))
        long.update(UserUttered(f"question {turn}", {"name": "forum_dates"}))
    long.update(SlotSet("topic", "forum_dates"))
    action = RemoteAction("action_answer_from_knowledge", None)
    whole = action._action_call_format(long, DOMAIN)  # Rasa's own
    ours = rasa_patches.current_turn_call(RemoteAction._action_call_format)(action, long, DOMAIN)
    assert [event["event"] for event in ours["tracker"]["events"]] == ["user", "slot"]
    assert ours["tracker"]["latest_message"]["text"] == "question 19"
    assert ours["tracker"]["slots"] == whole["tracker"]["slots"] and ours["tracker"]["slots"]["language_choice"] == "ar"
    assert len(json.dumps(ours["tracker"])) < len(json.dumps(whole["tracker"])) / 3
    sdk = Tracker.from_dict(ours["tracker"])  # what the action server reads
    assert sdk.get_slot("topic") == "forum_dates" and sdk.latest_message["intent"]["name"] == "forum_dates"
