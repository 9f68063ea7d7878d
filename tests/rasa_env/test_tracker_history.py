"""The fast path's step `history` (stack/tracker_history.py) gives what Rasa's own code gives: a tracker copy
with the state a replay of its events gives (and independent of the original), the applied events Rasa's walk
finds at every call (restarts, new sessions, undos, forms, the conversation store's masked copies), and the
debug text of the dialogue states whenever RulePolicy's debug line is logged."""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import logging
import random
from pathlib import Path

import pytest
import rasa.core.run
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    ConversationPaused,
    ConversationResumed,
    Event,
    LoopInterrupted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from stack import rasa_entry, rasa_patches, tracker_history
from tests.rasa_env.conversation_events import DOMAIN, turn_events

RASA_APPLIED = inspect.unwrap(DialogueStateTracker.applied_events)
RASA_FORMAT = inspect.unwrap(Policy.format_tracker_states)
RASA_POSSIBLE_KEYS = inspect.unwrap(RulePolicy._get_possible_keys)


def form_events(rng: random.Random) -> list[Event]:
    """What a form, a pause or a rejected action would add (this domain has no form; Rasa's code handles them)."""
    return rng.choice(
        [
            [ActiveLoop("some_form"), ActionExecuted("some_form")],
            [LoopInterrupted(True), ActionExecutionRejected("some_form")],
            [ActiveLoop(None)],
            [ConversationPaused()],
            [ConversationResumed()],
        ]
    )


def conversation(seed: int, turns: int, forms: bool) -> list[list[Event]]:
    rng = random.Random(seed)
    return [turn_events(rng) + (form_events(rng) if forms and rng.random() < 0.15 else []) for _ in range(turns)]


def new_tracker(name: str, max_event_history: int | None = None) -> DialogueStateTracker:
    return DialogueStateTracker(name, DOMAIN.slots, max_event_history)


def state(tracker: DialogueStateTracker) -> dict[str, object]:
    """Every field of a tracker, slots by their value (the kept fold and span are the fast path's own)."""
    fields = {key: value for key, value in vars(tracker).items() if not key.startswith("_berkane")}
    fields["events"] = list(tracker.events)
    fields["slots"] = {name: (type(slot), slot.value, slot._has_been_set) for name, slot in tracker.slots.items()}
    return fields


@pytest.mark.parametrize("seed", range(8))
def test_a_copy_has_the_state_a_replay_of_the_conversation_gives(seed: int) -> None:
    tracker = new_tracker(f"copy-{seed}")
    for events in conversation(seed, 30, forms=True):
        for event in events:
            tracker.update(event)
        replayed = tracker.travel_back_in_time(float("inf"))  # Rasa's copy
        assert state(tracker_history.state_copy(tracker)) == state(replayed)


def test_a_copy_changes_apart_from_the_tracker_it_was_copied_from() -> None:
    tracker = new_tracker("copy-apart")
    for events in conversation(3, 5, forms=True):
        for event in events:
            tracker.update(event)
    before = state(tracker)
    copied = tracker_history.state_copy(tracker)
    slot = DOMAIN.slots[0].name
    for event in (SlotSet(slot, "autre"), ActiveLoop("some_form"), UserUttered("encore", {"name": "greet"})):
        copied.update(event)
    copied.latest_action["action_name"] = "changed"
    assert state(tracker) == before
    assert copied.get_slot(slot) == "autre" and len(copied.events) == len(tracker.events) + 3


@pytest.mark.parametrize(
    ("seed", "forms", "limit"), [(0, False, None), (1, False, None), (2, True, None), (3, False, 40)]
)
def test_the_applied_events_are_rasas_at_every_call(seed: int, forms: bool, limit: int | None) -> None:
    kept = tracker_history.kept_applied_events(RASA_APPLIED)
    tracker = new_tracker(f"applied-{seed}", limit)
    for events in conversation(seed, 40, forms):
        start = len(tracker.events)
        for event in events:
            tracker.events.append(event)  # as `update` does, without Rasa replaying an undo through `applied_events`
            assert kept(tracker) == RASA_APPLIED(tracker)
        # the conversation store then swaps the turn's events for the copies it wrote
        for index in range(start, len(tracker.events)):
            tracker.events[index] = Event.from_parameters(tracker.events[index].as_dict())
        tracker_history.rebase_applied(tracker)
        assert [id(event) for event in kept(tracker)] == [id(event) for event in RASA_APPLIED(tracker)]


def test_a_plain_conversation_is_not_walked_again_and_an_undo_hands_over_to_rasa() -> None:
    walks: list[int] = []

    def counted(tracker: DialogueStateTracker) -> list[Event]:
        walks.append(len(tracker.events))
        return RASA_APPLIED(tracker)

    kept = tracker_history.kept_applied_events(counted)
    tracker = new_tracker("applied-walks")
    plain = [events for events in conversation(5, 60, forms=False) if not any(map(undo, events))]
    for events in plain:
        tracker.events.extend(events)
        assert kept(tracker) == RASA_APPLIED(tracker)
    assert walks == [], "a conversation without undo or form never needs Rasa's walk"
    tracker.events.extend([ActiveLoop("some_form"), ActionExecuted("some_form")])
    assert kept(tracker) == RASA_APPLIED(tracker)
    assert walks == [len(tracker.events)]


def undo(event: Event) -> bool:
    return isinstance(event, tracker_history._UNDO_OR_LOOP)


def test_the_states_debug_text_is_written_when_rule_policys_debug_line_is_logged() -> None:
    states = [{}, {"user": {"intent": "forum_dates"}, "prev_action": {"action_name": "action_listen"}}]
    formatted = tracker_history.debug_formatted(RASA_FORMAT)
    logger = logging.getLogger(tracker_history.RULE_POLICY_LOGGER)
    level = logger.level
    try:
        logger.setLevel(logging.INFO)
        assert formatted(states) == ""
        logger.setLevel(logging.DEBUG)
        assert formatted(states) == RASA_FORMAT(states)
        assert "user intent: forum_dates" in formatted(states)
    finally:
        logger.setLevel(level)


def test_the_history_step_replaces_the_three_internals_and_the_old_path_keeps_rasas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def current() -> tuple[object, ...]:
        return DialogueStateTracker.copy, DialogueStateTracker.applied_events, Policy.format_tracker_states

    original = current()
    for name, function in zip(("copy", "applied_events"), original[:2], strict=True):
        monkeypatch.setattr(DialogueStateTracker, name, function)  # put back after the test
    monkeypatch.setattr(Policy, "format_tracker_states", staticmethod(original[2]))
    assert rasa_patches.apply(frozenset()) == frozenset()
    assert current() == original
    assert rasa_patches.apply(frozenset({"history"})) == {"history"}
    assert DialogueStateTracker.copy is tracker_history.state_copy
    assert all(inspect.unwrap(now) is then for now, then in zip(current()[1:], original[1:], strict=True))
    assert all(now is not then for now, then in zip(current(), original, strict=True))


def rule_policy(tmp_path: Path) -> RulePolicy:
    context = ExecutionContext(GraphSchema({}), "test")
    return RulePolicy.create(RulePolicy.get_default_config(), LocalModelStorage(tmp_path), Resource("rules"), context)


def conversation_states(seed: int) -> list[dict]:
    tracker = new_tracker(f"rules-{seed}")
    for events in conversation(seed, 60, forms=False):
        for event in events:
            tracker.update(event)
    return tracker.past_states(DOMAIN)


def test_the_rules_matching_a_long_conversation_are_the_ones_rasa_finds(tmp_path: Path) -> None:
    policy = rule_policy(tmp_path)
    bounded = tracker_history.bounded_possible_keys(RASA_POSSIBLE_KEYS)
    rng = random.Random(7)
    for seed in range(6):
        states = conversation_states(seed)
        # rules ending like the conversation (some from its start, as `conversation_start` rules), and others
        ends = [states[-length:] for length in range(1, 8)] + [states[: rng.randint(1, 5)] for _ in range(3)]
        other = [conversation_states(seed + 100)[-length:] for length in (1, 2, 3)]
        lookup = {json.dumps(rule, sort_keys=True): "utter_x" for rule in ends + other}
        found = bounded(policy, lookup, states)
        assert found == RASA_POSSIBLE_KEYS(policy, lookup, states)
        assert found, "the rules cut from the conversation's end match it"
        assert tracker_history.longest_rule(policy, lookup) == max(len(rule) for rule in ends + other)


def test_the_objects_loaded_with_the_model_are_frozen_once_it_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[tuple] = []

    async def load_agent_on_start(*args: object) -> str:
        loads.append(args)
        assert gc.get_freeze_count() == 0, "frozen only after the model is loaded"
        return "agent"

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load_agent_on_start)
    rasa_entry.freeze_after_model_load()
    try:
        assert asyncio.run(rasa.core.run.load_agent_on_start("models", "endpoints")) == "agent"
        assert loads == [("models", "endpoints")]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
