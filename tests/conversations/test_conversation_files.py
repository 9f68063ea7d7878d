"""Whole conversations through the real servers: every conversation of tests/conversations/*.yml, turn by turn.

The format and its rules are those of the benchmark's conversation section (bench/sections/conversations.py),
so a conversation that passes here is scored the same way there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.sections.conversations import Conversation, load, play
from nlu.languages import VARIETIES

CONVERSATIONS = load(Path(__file__).parent)


def test_every_variety_and_kind_is_covered():
    kinds = {
        "follow_up",
        "topic_keeps_aspect",
        "clarify",
        "greeting_question",
        "small_talk",
        "out_of_scope",
        "programme",
        "variety",
    }
    assert {c.lang for c in CONVERSATIONS} == set(VARIETIES)
    assert {c.kind for c in CONVERSATIONS} == kinds
    assert len({c.id for c in CONVERSATIONS}) == len(CONVERSATIONS) >= 30


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.id)
def test_conversation(stack, conversation: Conversation):
    game = play(lambda text, sender: stack.say(text, sender=sender), conversation)
    report = [
        f"> {turn.user or turn.press}\n  {reply[:400]}\n  {why}"
        for turn, reply, why in zip(conversation.turns, game.replies, game.why, strict=False)
        if why
    ]
    assert game.right, "\n".join(report)
