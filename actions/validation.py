"""`action_validate_slot_mappings`: an explicit language choice outranks the detected language.

The `language` slot is refilled from the LanguageIdentifier on every message; once the user asked for a
language ("réponds en arabe", or the bot's language menu), `language_choice` is kept and wins.
`answer_language` is that rule; the Rasa server applies it itself on the fast path (stack.rasa_patches, no
round trip per message), and this action answers when Rasa's own slot validation runs (BERKANE_FAST_PATH
without `slots`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction


def answer_language(detected: str | None, choice: str | None) -> str | None:
    """The language to answer in: the citizen's explicit choice, else the one the NLU gave for this message."""
    return choice or detected


class ActionValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def validate_language(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"language": answer_language(slot_value, tracker.get_slot("language_choice"))}
