"""`action_answer_from_knowledge`: forum questions and document choices, answered from the documents."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import pick, say_hit, say_not_found, say_passage
from actions.base import SafeAction, entity
from actions.replies import shorten
from actions.resources import feedback_store, knowledge_base

log = logging.getLogger(__name__)


class ActionAnswerFromKnowledge(SafeAction):
    """Answer with the best passage for the user's own words, or show the document the user chose."""

    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        kb = knowledge_base()
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent == "choose_document" and (doc_id := entity(tracker, "doc_id")):
            return self.show_document(dispatcher, kb, doc_id, lang, tracker.sender_id)
        text = tracker.latest_message.get("text") or ""
        topic = intent if intent and intent.startswith("forum_") else None
        choice = pick(kb, text, lang, topic)
        log.info("knowledge answer", extra={"intent": intent, "lang": lang,
                                            "doc_id": choice.hit.doc_id if choice else None})
        if choice is None:
            say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
            return []
        return say_hit(dispatcher, lang, choice)

    @staticmethod
    def show_document(dispatcher: CollectingDispatcher, kb: Any, doc_id: str, lang: str,
                      sender: str) -> list[dict[str, Any]]:
        """The opening passage of the chosen document (a `choose_document` button was pressed)."""
        doc = kb.document(doc_id)
        if doc is None:
            say_not_found(dispatcher, kb, feedback_store(), f"document {doc_id}", lang, sender)  # removed since
            return []
        text = doc.sections.get("intro") or doc.sections.get("what") or next(iter(doc.sections.values()), doc.body)
        say_passage(dispatcher, lang, doc.id, doc.title, shorten(text), doc.url, doc.source, doc.provisional, doc.lang)
        return [SlotSet("last_doc_id", doc.id),
                SlotSet("topic", doc.topic)]
