"""The Rasa 3.6 internals the fast message path replaces (issue 13), applied by stack.rasa_entry before
Rasa starts. Nothing in site-packages is edited; `apply()` checks each internal's name and signature first and
refuses to start when Rasa changed them (tests/rasa_env/test_rasa_patches.py fails the same way).

- `RemoteAction._validate_action_result`: Rasa checks every action-server response with
  `jsonschema.validate`, which checks the schema and builds a new validator on each call (17-35% of Rasa's CPU
  under load, py-spy). Here the validator is built once; the check and its error message are Rasa's.
- `ActionExtractSlots._execute_validation_action`: every message made a round trip to the action server for
  `action_validate_slot_mappings` (the whole tracker serialised, sent, parsed, replayed), whose only job is the
  language rule "an explicit `language_choice` outranks the detected `language`". The same rule
  (`actions.validation.answer_language`, the one the action also uses) runs here, in the Rasa process.
- `Event.resolve_by_type`: every event read back from the tracker store (each message replays the whole
  conversation) looked its class up by walking all Event subclasses again (`all_subclasses`, with an
  `inspect.isabstract` per class): the lookup table is built once, and again only for a name it lacks (a
  subclass imported later), so a long conversation no longer pays it per event.
- `MessageProcessor.parse_message`: Rasa runs the NLU pipeline on its event loop, so one message's e5 forward
  (~40% of Rasa's CPU per message, in C, which releases the GIL) held up everything else the process does
  for other conversations (tracker store, policies, action calls). Here the pipeline runs on NLU_WORKERS
  threads (each conversation keeps Rasa's per-sender lock, so its turns stay in order; the e5 model takes one
  message at a time, `nlu.e5`). With one thread that thread became the ceiling at 32 users (busy 98 % of the
  time, 76 % of it in e5: ~25 msg/s); with two, one message's Python steps (tokenizer, classifier, language,
  lexicons) run while another's e5 forward holds the model: 24.8 -> 30.7 msg/s, p95 1.65 -> 1.25 s
  while the loop goes on, and Rasa's own `parse_message` does the rest with that result.
- `RemoteAction._action_call_format`: every action call carried the whole conversation (every event since
  the session began, serialised by Rasa and parsed by rasa_sdk: 340 KiB by turn 60), though the actions read
  only the slots and the latest message, which the tracker state holds apart. Here the call carries the
  state with the events of the current turn only (from the latest user message on): the cost no longer grows
  with the conversation. `BERKANE_FAST_PATH` without `tracker` sends everything again (an action that needs
  history would).

- `Domain.states_for_tracker_history`: every policy prediction (RulePolicy makes two per prediction, about
  five per message) turned the whole conversation into dialogue states again: a fresh tracker replayed event
  by event, one state per action (py-spy, one 300-turn conversation: 24 % of Rasa's main thread by the end,
  once the conversation store stopped reading it back). Rasa's fold over those states is a left fold, so the
  fold's state after the events of earlier turns (which no longer change: the conversation store has written
  them) is kept on the tracker, and each call folds only the events since. Only plain histories take the
  short way: a restart, an undo (`ActionReverted`, `UserUtteranceReverted`) or a form (`ActiveLoop`) since
  the session began makes Rasa's own code run, as does any other domain or rule-only data.

- `history` (stack/tracker_history.py): the tracker copy before each action, the session check's applied
  events, RulePolicy's debug text of the states and its walk through every state for a matching rule, which
  grew with the conversation.

BERKANE_FAST_PATH (comma list, set by stack.servers from settings) names the steps that run: `validator`,
`slots`, `events`, `nlu`, `tracker`, `states`, `history`; "none" or a list without them keeps Rasa's own code
(the benchmark's old path). Unset: all.
Runs in the Rasa environment: no `settings` import (pydantic 1 there).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

STEPS_VARIABLE = "BERKANE_FAST_PATH"
RASA_STEPS = ("validator", "slots", "events", "nlu", "tracker", "states", "history")
LANGUAGE, CHOICE = "language", "language_choice"


class RasaChanged(RuntimeError):
    """A Rasa internal replaced here no longer has the name or signature it was written against."""


def enabled_steps() -> frozenset[str]:
    """The steps of RASA_STEPS BERKANE_FAST_PATH turns on (all when it is unset)."""
    value = os.environ.get(STEPS_VARIABLE)
    if value is None:
        return frozenset(RASA_STEPS)
    return frozenset(step.strip() for step in value.split(",")) & set(RASA_STEPS)


def _require(owner: type, name: str, parameters: tuple[str, ...]) -> Callable:
    """`owner.name`, after checking it still takes `parameters`; RasaChanged otherwise."""
    original = inspect.getattr_static(owner, name, None)
    function = original.__func__ if isinstance(original, staticmethod | classmethod) else original
    if function is None or not callable(function):
        raise RasaChanged(f"{owner.__qualname__}.{name} is gone: review stack/rasa_patches.py")
    found = tuple(inspect.signature(function).parameters)
    if found != parameters:
        raise RasaChanged(
            f"{owner.__qualname__}.{name}{found} is not {parameters}: Rasa changed, review stack/rasa_patches.py"
        )
    return function


def targets() -> dict[str, Callable]:
    """The Rasa internals this module replaces or uses, each checked (RasaChanged when one moved)."""
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    return {
        "states": _require(
            Domain,
            "states_for_tracker_history",
            ("self", "tracker", "omit_unset_slots", "ignore_rule_only_turns", "rule_only_data"),
        ),
        "prev_action": _require(Domain, "_get_prev_action_sub_state", ("tracker",)),
        "active_state": _require(Domain, "get_active_state", ("self", "tracker", "omit_unset_slots")),
        "rule_only": _require(Domain, "_remove_rule_only_features", ("state", "rule_only_data")),
        "user_input": _require(Domain, "_substitute_rule_only_user_input", ("state", "last_ml_state")),
        "clean": _require(Domain, "_clean_state", ("state",)),
        "prior": _require(DialogueStateTracker, "init_copy", ("self",)),
        "copy": _require(DialogueStateTracker, "copy", ("self",)),
        "applied": _require(DialogueStateTracker, "applied_events", ("self",)),
        "format": _require(Policy, "format_tracker_states", ("states",)),
        "rule_keys": _require(RulePolicy, "_get_possible_keys", ("self", "lookup", "states")),
        "rule_states": _require(RulePolicy, "_rule_key_to_state", ("rule_key",)),
        "events": _require(Event, "resolve_by_type", ("type_name", "default")),
        "nlu": _require(MessageProcessor, "parse_message", ("self", "message", "tracker", "only_output_properties")),
        "graph": _require(
            MessageProcessor, "_parse_message_with_graph", ("self", "message", "tracker", "only_output_properties")
        ),
        "spec": _require(RemoteAction, "action_response_format_spec", ()),
        "validate": _require(RemoteAction, "_validate_action_result", ("self", "result")),
        "call": _require(RemoteAction, "_action_call_format", ("self", "tracker", "domain")),
        "slots": _require(
            ActionExtractSlots,
            "_execute_validation_action",
            ("self", "extraction_events", "output_channel", "nlg", "tracker", "domain"),
        ),
    }


@functools.cache
def response_validator() -> Any:
    """The jsonschema validator of Rasa's action-response schema, built (and the schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's check of an action response (same best error, same message), with the validator built once."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def validated_slot_events(slot_events: list[Any], tracker: Any) -> list[Any]:
    """The extracted SlotSet events with the language rule applied: a `language` value gives way to the
    conversation's `language_choice` (this message's, else the tracker's), as action_validate_slot_mappings
    would answer."""
    from rasa.shared.core.events import SlotSet

    from actions.validation import answer_language

    values = {event.key: event.value for event in slot_events}
    choice = values[CHOICE] if CHOICE in values else tracker.get_slot(CHOICE)
    return [
        SlotSet(LANGUAGE, answer_language(event.value, choice)) if event.key == LANGUAGE else event
        for event in slot_events
    ]


_EVENT_CLASSES: dict[str, type] = {}


def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    """Rasa's event class lookup (same answers, same error) from a table built once per missing name."""
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        from rasa.shared.core.events import Event
        from rasa.shared.utils.common import all_subclasses

        for cls in reversed(all_subclasses(Event)):  # Rasa returns the first match: let it win the table
            _EVENT_CLASSES[cls.type_name] = cls
        found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    if type_name == "topic":
        return None  # Rasa's backwards compatibility with old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


NLU_WORKERS = 2
_NLU_THREAD = ThreadPoolExecutor(max_workers=NLU_WORKERS, thread_name_prefix="nlu")
_PARSED = "_berkane_parsed"  # the NLU result handed from the thread to Rasa's own parse_message


def threaded_parse_message(original: Callable) -> Callable:
    """Rasa's `parse_message` with the pipeline (`_parse_message_with_graph`) run on the NLU thread first."""

    @functools.wraps(original)
    async def parse_message(
        self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
    ) -> dict[str, Any]:
        if self.http_interpreter is not None or tracker is None:
            return await original(self, message, tracker, only_output_properties)
        parsed = await asyncio.get_running_loop().run_in_executor(
            _NLU_THREAD, self._parse_message_with_graph, message, tracker, only_output_properties
        )
        setattr(message, _PARSED, parsed)
        try:
            return await original(self, message, tracker, only_output_properties)
        finally:
            delattr(message, _PARSED)

    return parse_message


def parse_with_graph(original: Callable) -> Callable:
    """Rasa's `_parse_message_with_graph`, answering with the NLU thread's result when there is one."""

    @functools.wraps(original)
    def _parse_message_with_graph(
        self: Any, message: Any, tracker: Any, only_output_properties: bool = True
    ) -> dict[str, Any]:
        parsed = getattr(message, _PARSED, None)  # set once the thread's parse is done, so never on the thread
        if parsed is not None:
            return parsed
        return original(self, message, tracker, only_output_properties)

    return _parse_message_with_graph


class CurrentTurn:
    """A tracker as `_action_call_format` reads it (its sender, its state), with the current turn's events."""

    def __init__(self, tracker: Any) -> None:
        self._tracker = tracker
        self.sender_id = tracker.sender_id

    def current_state(self, event_verbosity: Any = None) -> dict[str, Any]:
        from rasa.shared.core.events import UserUttered
        from rasa.shared.core.trackers import EventVerbosity

        state = self._tracker.current_state(EventVerbosity.NONE)
        events = list(self._tracker.events)
        start = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), 0)
        state["events"] = [event.as_dict() for event in events[start:]]
        return state


def current_turn_call(original: Callable) -> Callable:
    """Rasa's `_action_call_format` given the CurrentTurn view of the tracker."""

    @functools.wraps(original)
    def _action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
        return original(self, CurrentTurn(tracker), domain)

    return _action_call_format


async def execute_validation_action(
    self: Any, extraction_events: list[Any], output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """Rasa's slot validation step without the action-server round trip (see the module doc)."""
    from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
    from rasa.shared.core.events import SlotSet

    slot_events = [event for event in extraction_events if isinstance(event, SlotSet)]
    if ACTION_VALIDATE_SLOT_MAPPINGS not in domain.user_actions:
        return slot_events
    return validated_slot_events(slot_events, tracker)


_MEMO = "_berkane_states"  # the fold kept on a tracker, per (omit_unset_slots, ignore_rule_only_turns)


class StatesFold:
    """Rasa's fold of `states_for_tracker_history` over a tracker's prior trackers, after `count` events."""

    def __init__(self, domain: Any, tracker: Any, rule_only_data: Any) -> None:
        self.domain, self.rule_only_data = domain, rule_only_data
        self.prior = tracker.init_copy()  # Rasa's running "tracker before each action"
        self.count, self.last = 0, None  # events folded, and the last of them (identity)
        self.states: list[dict] = []
        self.last_ml_action: Any = None
        self.hidden = False
        self.unplain = False  # an undo or a form in this session: Rasa's own code from then on

    def fits(self, domain: Any, events: Any, rule_only_data: Any) -> bool:
        """Whether `events` still begin with the events folded here, for the same domain and data."""
        if domain is not self.domain or rule_only_data != self.rule_only_data or self.count > len(events):
            return False
        return self.count == 0 or events[self.count - 1] is self.last

    def step(self, prior: Any, hide_rule_turn: bool, omit: bool, ignore: bool) -> None:
        """One iteration of Rasa's loop (rasa/shared/core/domain.py, states_for_tracker_history)."""
        from rasa.shared.core.constants import PREVIOUS_ACTION

        domain = self.domain
        if ignore:
            if not self.hidden:
                self.last_ml_action = domain._get_prev_action_sub_state(prior)
            if not prior.followup_action and prior.latest_action_name != prior.active_loop_name:
                self.hidden = hide_rule_turn
            if self.hidden:
                return
        state = domain.get_active_state(prior, omit_unset_slots=omit)
        if ignore:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if self.last_ml_action:
                state[PREVIOUS_ACTION] = self.last_ml_action
        self.states.append(domain._clean_state(state))

    def fold(self, events: list[Any], omit: bool, ignore: bool) -> None:
        """Fold `events` (the ones after `count`), as generate_all_prior_trackers yields them."""
        from rasa.shared.core.events import ActionExecuted

        for event in events:
            if isinstance(event, ActionExecuted):
                self.step(self.prior, event.hide_rule_turn, omit, ignore)
            self.prior.update(event)
        if events:
            self.count, self.last = self.count + len(events), events[-1]

    def finish(self, omit: bool, ignore: bool) -> list[dict]:
        """The states of the whole tracker (the kept ones, then the final prior tracker's), the fold untouched.
        Each state and its user part are copies: Rasa's featurizer deletes the text or the intent from them."""
        from rasa.shared.core.constants import USER

        kept = (self.states, self.last_ml_action, self.hidden)
        self.states = self.states[:]
        self.step(self.prior, False, omit, ignore)
        states = self.states
        self.states, self.last_ml_action, self.hidden = kept
        return [{**state, USER: dict(state[USER])} if USER in state else dict(state) for state in states]


def _plain_since_session(events: Any) -> bool:
    """No undo and no form among `events` (a restart or new session only starts the fold again)."""
    from rasa.shared.core.events import ActionReverted, ActiveLoop, UserUtteranceReverted

    return not any(isinstance(event, ActionReverted | UserUtteranceReverted | ActiveLoop) for event in events)


def kept_states(original: Callable) -> Callable:
    """Rasa's `states_for_tracker_history` folding only the events added since the last call (module doc)."""
    from rasa.shared.core.events import ActiveLoop, Restarted, SessionStarted

    @functools.wraps(original)
    def states_for_tracker_history(
        self: Any,
        tracker: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[dict]:
        events, key = tracker.events, (omit_unset_slots, ignore_rule_only_turns)
        folds = tracker.__dict__.setdefault(_MEMO, {})
        fold = folds.get(key)
        if fold is None or not fold.fits(self, events, rule_only_data):
            fold = folds[key] = StatesFold(self, tracker, rule_only_data)
            fold.unplain = not _plain_since_session(events)  # Rasa's loop names come from every event
        new = list(itertools.islice(events, fold.count, None))
        restart = next((i for i in range(len(new) - 1, -1, -1) if isinstance(new[i], Restarted | SessionStarted)), -1)
        if restart >= 0:  # Rasa's applied events begin after the latest restart or session start
            unplain, fold = fold.unplain, StatesFold(self, tracker, rule_only_data)
            folds[key], fold.unplain = fold, unplain and any(isinstance(e, ActiveLoop) for e in events)
            fold.count, fold.last, new = len(events) - len(new) + restart + 1, new[restart], new[restart + 1 :]
        if not _plain_since_session(new) or (fold.count and fold.unplain):
            fold.unplain = True  # from now on this session is Rasa's: an undo or a form was seen
            return original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        fold.fold(new, omit_unset_slots, ignore_rule_only_turns)
        return fold.finish(omit_unset_slots, ignore_rule_only_turns)

    return states_for_tracker_history


def rebase_states(tracker: Any) -> None:
    """The conversation store replaced the turn's events by their written copies (same events, identifiers
    masked, which no dialogue state reads): the folds kept on `tracker` go on from those copies."""
    events = tracker.events
    for fold in tracker.__dict__.get(_MEMO, {}).values():
        if 0 < fold.count <= len(events):
            fold.last = events[fold.count - 1]
    from stack import tracker_history

    tracker_history.rebase_applied(tracker)  # nothing to move when the `history` step is off (no span kept)


def apply(steps: frozenset[str] | None = None) -> frozenset[str]:
    """Install the enabled replacements (after checking every target); returns the steps installed."""
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction
    from rasa.shared.core.events import Event

    targets()
    steps = enabled_steps() if steps is None else steps
    if "events" in steps:
        Event.resolve_by_type = staticmethod(resolve_by_type)
    if "tracker" in steps:
        RemoteAction._action_call_format = current_turn_call(RemoteAction._action_call_format)
    if "nlu" in steps:
        from rasa.core.processor import MessageProcessor

        MessageProcessor.parse_message = threaded_parse_message(MessageProcessor.parse_message)
        MessageProcessor._parse_message_with_graph = parse_with_graph(MessageProcessor._parse_message_with_graph)
    if "validator" in steps:
        RemoteAction._validate_action_result = validate_action_result
    if "slots" in steps:
        ActionExtractSlots._execute_validation_action = execute_validation_action
    if "states" in steps:
        from rasa.shared.core.domain import Domain

        Domain.states_for_tracker_history = kept_states(Domain.states_for_tracker_history)
    if "history" in steps:
        from rasa.core.policies.policy import Policy
        from rasa.core.policies.rule_policy import RulePolicy
        from rasa.shared.core.trackers import DialogueStateTracker

        from stack import tracker_history

        DialogueStateTracker.copy = tracker_history.state_copy
        DialogueStateTracker.applied_events = tracker_history.kept_applied_events(DialogueStateTracker.applied_events)
        Policy.format_tracker_states = staticmethod(tracker_history.debug_formatted(Policy.format_tracker_states))
        RulePolicy._get_possible_keys = tracker_history.bounded_possible_keys(RulePolicy._get_possible_keys)
    return steps
