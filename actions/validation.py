"""`action_validate_slot_mappings`: an explicit language choice outranks the detected language.

The `language` slot is refilled from the LanguageIdentifier on every message; once the user asked for a
language ("réponds en arabe", or the bot's language menu), `language_choice` is kept and wins.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction


class ActionValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def validate_language(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"language": tracker.get_slot("language_choice") or slot_value}
