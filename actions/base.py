"""The base of every answering action: the user's language, and no exception ever reaching the citizen.

Rasa drops an action's events when the action server answers with an error, so the user would get
silence; instead a failing action logs the error and says "temporarily unavailable" in the user's language.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

log = logging.getLogger(__name__)


def user_language(tracker: Tracker) -> str:
    """The conversation's language (slot `language`), French when it is not known yet."""
    return tracker.get_slot("language") or "fr"


def entity(tracker: Tracker, name: str) -> str | None:
    """The first value of entity `name` in the latest message, if any."""
    return next(tracker.get_latest_entity_values(name), None)


class SafeAction(Action, ABC):
    """An action whose `answer` may fail: the failure is logged and the user is told to retry later."""

    @abstractmethod
    def name(self) -> str:
        """The action name of docs/architecture.md."""

    @abstractmethod
    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        """Send the reply in `lang` and return the events; may raise (run() turns it into an apology)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = user_language(tracker)
        try:
            return await self.answer(dispatcher, tracker, lang)
        except Exception:
            log.exception(
                "action failed",
                extra={
                    "action": self.name(),
                    "sender": tracker.sender_id,
                    "intent": tracker.latest_message.get("intent", {}).get("name"),
                },
            )
            dispatcher.messages.clear()
            dispatcher.utter_message(response="utter_unavailable")
            return []
