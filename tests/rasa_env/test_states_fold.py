"""The fast path's kept dialogue-state fold (stack/rasa_patches.py, step `states`) gives what Rasa's own
`Domain.states_for_tracker_history` gives, call after call, on conversations built from this domain: every
intent, slot and action, hidden rule turns, follow-ups, restarts, new sessions and undos; also after the
conversation store swapped a turn's events for their masked copies, and after RulePolicy's featurizer edited
the states it was given (as it does with the last one on every prediction)."""

from __future__ import annotations

import inspect
import random

import pytest
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from stack import rasa_patches
from tests.rasa_env.conversation_events import turn_events

DOMAIN = Domain.load("domain.yml")
ORIGINAL = inspect.unwrap(Domain.states_for_tracker_history)
FOLDED = rasa_patches.kept_states(ORIGINAL)
RULE_ONLY = {"slots": [DOMAIN.slots[0].name], "loops": []}
FLAGS = [(False, False, None), (True, False, None), (False, True, RULE_ONLY), (True, True, RULE_ONLY)]


def compare(tracker: DialogueStateTracker) -> None:
    for omit, ignore, rule_only in FLAGS:
        kept = FOLDED(DOMAIN, tracker, omit, ignore, rule_only)
        assert kept == ORIGINAL(DOMAIN, tracker, omit, ignore, rule_only)


@pytest.mark.parametrize("seed", range(12))
def test_the_kept_fold_gives_rasas_states_at_every_call(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    tracker = DialogueStateTracker.from_events(
        f"fold-{seed}",
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        DOMAIN.slots,
    )
    featurizer = MaxHistoryTrackerFeaturizer(max_history=None)
    monkeypatch.setattr(Domain, "states_for_tracker_history", FOLDED)  # as RulePolicy's featurizer calls it
    for _ in range(40):
        events = turn_events(rng)
        start = len(tracker.events)
        for event in events:
            tracker.update(event)
            if isinstance(event, ActionExecuted):  # a prediction before each action, as in a real turn
                compare(tracker)
                for use_text in (True, False):  # RulePolicy's two looks, which edit the last state
                    featurizer.prediction_states([tracker], DOMAIN, use_text_for_last_user_input=use_text)
        # the conversation store then swaps the turn's events for the copies it wrote
        for index in range(start, len(tracker.events)):
            tracker.events[index] = Event.from_parameters(tracker.events[index].as_dict())
        rasa_patches.rebase_states(tracker)
        compare(tracker)


def test_a_long_conversation_folds_only_the_new_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(99)
    tracker = DialogueStateTracker.from_events("fold-long", [ActionExecuted("action_listen")], DOMAIN.slots)
    for _ in range(200):
        for event in turn_events(random.Random(rng.random())):
            if not isinstance(event, Restarted | SessionStarted | UserUtteranceReverted):
                tracker.update(event)
    FOLDED(DOMAIN, tracker, False, False, {"slots": [], "loops": []})
    replayed = []
    monkeypatch.setattr(DialogueStateTracker, "update", lambda self, event, domain=None: replayed.append(event))
    tracker.events.append(UserUttered("encore une", {"name": DOMAIN.intents[0]}))
    FOLDED(DOMAIN, tracker, False, False, {"slots": [], "loops": []})  # RulePolicy builds a new dict each time
    assert len(replayed) == 1, "one new event folded, not the whole conversation replayed"
