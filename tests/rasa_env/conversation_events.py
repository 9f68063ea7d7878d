"""Conversations built from this domain for the tests of the fast path's tracker replacements: random citizen
turns as Rasa's processor writes them (every intent, slot and action, hidden rule turns), with the odd
follow-up, restart, new session or undo."""

from __future__ import annotations

import random

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)

DOMAIN = Domain.load("domain.yml")


def slot_value(rng: random.Random, slot) -> object:
    if slot.type_name == "categorical":
        return rng.choice([*slot.values, None])
    if slot.type_name == "bool":
        return rng.choice([True, False, None])
    if slot.type_name == "float":
        return rng.random()
    return rng.choice(["cnie", "passeport AB123456", None])


def turn_events(rng: random.Random) -> list[Event]:
    """One citizen turn as the processor writes it, with the odd follow-up, restart, new session or undo."""
    intent = rng.choice(DOMAIN.intents)
    events: list[Event] = [UserUttered("une question", {"name": intent, "confidence": 0.9})]
    events += [
        SlotSet((slot := rng.choice(DOMAIN.slots)).name, slot_value(rng, slot)) for _ in range(rng.randint(0, 3))
    ]
    for _ in range(rng.randint(1, 2)):
        events.append(ActionExecuted(rng.choice(DOMAIN.user_actions), hide_rule_turn=rng.random() < 0.3))
        events.append(BotUttered("une réponse"))
    if rng.random() < 0.1:
        events.append(FollowupAction(rng.choice(DOMAIN.user_actions)))
        events.append(ActionExecuted(rng.choice(DOMAIN.user_actions)))
    rare = rng.random()
    if rare < 0.04:
        events.append(Restarted())
    elif rare < 0.08:
        events += [ActionExecuted("action_session_start"), SessionStarted()]
    elif rare < 0.11:
        events.append(UserUtteranceReverted())
    events.append(ActionExecuted("action_listen"))
    return events
