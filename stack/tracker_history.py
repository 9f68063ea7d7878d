"""The fast path's step `history` (issue 13): four Rasa 3.6 costs that grew with the length of a conversation,
found by py-spy on the Rasa server at turns 251-300 of one 300-turn conversation, once the conversation store
and the dialogue states no longer did (bench/README.md, finding 16). Installed by stack.rasa_patches.apply,
which checks each internal's signature first.

- `DialogueStateTracker.copy`: Rasa copies the tracker before every action it runs (`_run_action`, two or three
  per message) by replaying every event of the conversation into a fresh tracker (13 % of the message's time at
  turn 275). Here the copy is made from the tracker's state: the same events (the same objects, as a replay
  appends them), the same slots, latest messages, action, follow-up and loop; tests compare both field by field.
- `DialogueStateTracker.applied_events`: the session check (`_update_tracker_session`, `_has_session_expired`)
  walks every event twice per message to find out whether there are any and which user message came last
  (14 %). With no undo and no form in the conversation (this assistant has neither, but Rasa's code handles
  them), the applied events are the ones after the latest restart or session start: that position is kept on
  the tracker and moved on by the events added since, so each call costs a list copy. Anything else is Rasa's.
- `Policy.format_tracker_states`: RulePolicy writes every dialogue state of the conversation out as text on
  each prediction (about five per message) for a debug log line (12 %). Here the text is written only when that
  debug line is logged (`rasa --debug`).
- `RulePolicy._get_possible_keys`: each look for a matching rule walks back through every dialogue state of the
  conversation, calling `_is_rule_applicable` for each rule still in the running, although a rule is applicable
  at every turn further back than its own length (Rasa's first check there). Here the walk stops at the longest
  rule of the lookup: the same rules come out (13 % at turn 250).
Rasa environment only (imports Rasa).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import itertools
import logging
from collections.abc import Callable
from typing import Any

from rasa.shared.core.events import ActionReverted, ActiveLoop, Restarted, SessionStarted, UserUtteranceReverted

RULE_POLICY_LOGGER = "rasa.core.policies.rule_policy"  # the one caller of format_tracker_states
_SPAN = "_berkane_applied"  # the AppliedSpan kept on a tracker
_LONGEST = "_berkane_longest_rule"  # per lookup: its size and its longest rule, kept on the policy
_UNDO_OR_LOOP = (ActionReverted, UserUtteranceReverted, ActiveLoop)


def state_copy(self: Any) -> Any:
    """A duplicate of the tracker `self` with the state a replay of its events gives, built without the replay."""
    tracker = self.init_copy()  # Rasa's start of a copy: same sender and event limit, slots reset
    tracker.slots = {slot.name: copy.copy(slot) for slot in self.slots.values()}  # as init_copy, values kept
    tracker.events = tracker._create_events(list(self.events))
    tracker._paused = self._paused
    tracker.followup_action = self.followup_action
    tracker.latest_action = None if self.latest_action is None else dict(self.latest_action)
    tracker.latest_message = self.latest_message
    tracker.latest_bot_utterance = self.latest_bot_utterance
    tracker.active_loop = None if self.active_loop is None else dataclasses.replace(self.active_loop)
    return tracker


@dataclasses.dataclass
class AppliedSpan:
    """Where a tracker's applied events begin, after looking at its first `count` events (the last: `last`)."""

    begin: int = 0
    count: int = 0
    last: Any = None
    plain: bool = True  # no undo and no form among them: else Rasa's own code answers

    def fits(self, events: Any) -> bool:
        """Whether `events` still begin with the events looked at (the deque only grows during a turn)."""
        if self.count > len(events):
            return False
        return self.count == 0 or events[self.count - 1] is self.last

    def look_at(self, events: Any) -> None:
        """Move on by the events after `count`."""
        for offset, event in enumerate(itertools.islice(events, self.count, None)):
            if isinstance(event, Restarted | SessionStarted):
                self.begin = self.count + offset + 1
            elif isinstance(event, _UNDO_OR_LOOP):
                self.plain = False
        self.count, self.last = len(events), events[-1] if events else None


def kept_applied_events(original: Callable) -> Callable:
    """Rasa's `applied_events` from the span kept on the tracker while its history is plain (module doc)."""

    @functools.wraps(original)
    def applied_events(self: Any) -> list[Any]:
        events = self.events
        if self._max_event_history is not None:  # the deque drops its oldest events: positions move
            return original(self)
        span = self.__dict__.get(_SPAN)
        if span is None or not span.fits(events):
            span = self.__dict__[_SPAN] = AppliedSpan()
        if span.plain:
            span.look_at(events)
        if not span.plain:
            return original(self)
        return list(itertools.islice(events, span.begin, None))

    return applied_events


def rebase_applied(tracker: Any) -> None:
    """The conversation store replaced the turn's events by their written copies (stack.tracker_cache): the
    span kept on `tracker` goes on from those copies."""
    span = tracker.__dict__.get(_SPAN)
    if span is not None and 0 < span.count <= len(tracker.events):
        span.last = tracker.events[span.count - 1]


def bounded_possible_keys(original: Callable) -> Callable:
    """Rasa's `_get_possible_keys` given only the states a rule of `lookup` can look at (module doc)."""

    @functools.wraps(original)
    def _get_possible_keys(self: Any, lookup: dict[str, str], states: list[dict]) -> set[str]:
        longest = longest_rule(self, lookup)
        return original(self, lookup, states[-longest:] if 0 < longest < len(states) else states)

    return _get_possible_keys


def longest_rule(policy: Any, lookup: dict[str, str]) -> int:
    """The number of states of the longest rule in `lookup`, kept on the policy per lookup (they are fixed once
    the model is loaded; a lookup of another size is measured again)."""
    known = policy.__dict__.setdefault(_LONGEST, {})
    size, longest = known.get(id(lookup), (-1, 0))
    if size != len(lookup):
        longest = max((len(policy._rule_key_to_state(key)) for key in lookup), default=0)
        known[id(lookup)] = (len(lookup), longest)
    return longest


def debug_formatted(original: Callable) -> Callable:
    """Rasa's `format_tracker_states`, or "" when RulePolicy's debug line that prints it is not logged."""

    @functools.wraps(original)
    def format_tracker_states(states: list[dict]) -> str:
        if logging.getLogger(RULE_POLICY_LOGGER).isEnabledFor(logging.DEBUG):
            return original(states)
        return ""

    return format_tracker_states
