"""`action_answer_from_knowledge`: forum questions, document choices, and questions the NLU was unsure of.

An unsure NLU (`nlu_fallback`) whose runner-up is a forum or service intent still gets a sourced answer
(programme, service, or an open search: the knowledge base has its own "nothing relevant" threshold);
small talk and anything else gets `utter_default` (did not understand + what I can do). In a conversation
about a service, an ambiguous follow-up ("et le prix ?") is answered as a service question.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import pick, say_hit, say_not_found, say_passage
from actions.base import SafeAction, entity
from actions.programme import ActionAnswerProgramme
from actions.replies import shorten
from actions.resources import feedback_store, knowledge_base
from actions.services import answer_service, follow_up_intent, named_service
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)


class ActionAnswerFromKnowledge(SafeAction):
    """Answer with the best passage for the user's own words, or show the document the user chose."""

    def __init__(self, programme: ActionAnswerProgramme | None = None) -> None:
        self.programme = programme or ActionAnswerProgramme()   # with its clock: unsure programme questions

    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        kb = knowledge_base()
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent == "choose_document" and (doc_id := entity(tracker, "doc_id")):
            return self.show_document(dispatcher, kb, doc_id, lang, tracker.sender_id)
        if follow_up := follow_up_intent(tracker):
            return answer_service(dispatcher, tracker, lang, follow_up)
        if intent == "nlu_fallback":
            return await self.best_guess(dispatcher, tracker, lang)
        text = tracker.latest_message.get("text") or ""
        topic = intent if intent and intent.startswith("forum_") else None
        return self.search(dispatcher, tracker, lang, text, topic)

    @staticmethod
    def search(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, text: str,
               topic: str | None) -> list[dict[str, Any]]:
        kb = knowledge_base()
        intent = tracker.latest_message.get("intent", {}).get("name")
        choice = pick(kb, text, lang, topic)
        log.info("knowledge answer", extra={"intent": intent, "lang": lang,
                                            "doc_id": choice.hit.doc_id if choice else None})
        if choice is None:
            say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
            return []
        return say_hit(dispatcher, lang, choice)

    async def best_guess(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        """Answer an unsure question when it looks like one about the forum or a service, else `utter_default`."""
        ranking = [item["name"] for item in tracker.latest_message.get("intent_ranking") or []
                   if item.get("name") != "nlu_fallback"]
        guess = ranking[0] if ranking else None
        if not guess or not guess.startswith(("forum_", "service_")):
            dispatcher.utter_message(response="utter_default")
            return []
        if guess == "forum_programme":
            return await self.programme.answer(dispatcher, tracker, lang)
        if named_service(tracker):
            service_intent = next((name for name in ranking if name.startswith("service_")), "service_info")
            return answer_service(dispatcher, tracker, lang, service_intent)
        return self.search(dispatcher, tracker, lang, tracker.latest_message.get("text") or "", None)

    @staticmethod
    def show_document(dispatcher: CollectingDispatcher, kb: KnowledgeBase, doc_id: str, lang: str,
                      sender: str) -> list[dict[str, Any]]:
        """The opening passage of the chosen document (a `choose_document` button was pressed)."""
        doc = kb.document(doc_id)
        if doc is None:
            # removed since the button was sent
            say_not_found(dispatcher, kb, feedback_store(), f"document {doc_id}", lang, sender)
            return []
        text = doc.sections.get("intro") or doc.sections.get("what") or next(iter(doc.sections.values()), doc.body)
        say_passage(dispatcher, lang, doc.id, doc.title, shorten(text), doc.url, doc.source, doc.provisional, doc.lang)
        return [SlotSet("last_doc_id", doc.id),
                SlotSet("topic", doc.topic)]
