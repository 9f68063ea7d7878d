"""`action_record_feedback`: a 👍/👎 on an answer (button payload with `doc_id`, or typed "merci c'est bon")."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction, entity
from actions.i18n import t
from actions.resources import feedback_store

log = logging.getLogger(__name__)


class ActionRecordFeedback(SafeAction):
    """Store the vote against the document it is about: the button's `doc_id`, else the last answer's."""

    def name(self) -> str:
        return "action_record_feedback"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        positive = tracker.latest_message.get("intent", {}).get("name") == "feedback_positive"
        doc_id = entity(tracker, "doc_id") or tracker.get_slot("last_doc_id")
        text = tracker.latest_message.get("text") or ""
        feedback_store().record_vote(tracker.sender_id, doc_id, positive, None if text.startswith("/") else text)
        log.info("vote", extra={"doc_id": doc_id, "positive": positive})
        dispatcher.utter_message(text=t("feedback_thanks_positive" if positive else "feedback_thanks_negative", lang))
        return []
