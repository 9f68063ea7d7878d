"""`action_answer_from_knowledge`: forum questions, document choices, small talk, and unsure questions.

What a message asks is read in its conversation (actions.dialogue) and answered by actions.conversation; this
module holds the sourced-passage answers: the best passage for a question (the NLU intent's own document
preferred, the knowledge base having its own "nothing relevant" threshold) and a document chosen by button.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import nlu_vector, pick, say_hit, say_not_found, say_passage
from actions.base import SafeAction
from actions.programme import ActionAnswerProgramme
from actions.replies import shorten
from actions.resources import feedback_store, knowledge_base
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)


def search(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, text: str, topic: str | None
) -> list[dict[str, Any]]:
    """Answer with the best passage for `text`, preferring the documents of `topic` (a forum intent)."""
    kb = knowledge_base()
    choice = pick(kb, text, lang, topic)
    log.info("knowledge answer", extra={"topic": topic, "lang": lang, "doc_id": choice.hit.doc_id if choice else None})
    if choice is None:
        say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
        return []
    return say_hit(dispatcher, lang, choice)


def show_document(dispatcher: CollectingDispatcher, doc_id: str, lang: str, sender: str) -> list[dict[str, Any]]:
    """The opening passage of the chosen document (a `choose_document` button was pressed)."""
    kb: KnowledgeBase = knowledge_base()
    doc = kb.document(doc_id)
    if doc is None:
        # removed since the button was sent
        say_not_found(dispatcher, kb, feedback_store(), f"document {doc_id}", lang, sender)
        return []
    text = doc.sections.get("intro") or doc.sections.get("what") or next(iter(doc.sections.values()), doc.body)
    say_passage(dispatcher, lang, doc.id, doc.title, shorten(text), doc.url, doc.source, doc.provisional, doc.lang)
    return [SlotSet("last_doc_id", doc.id), SlotSet("topic", doc.topic)]


class ActionAnswerFromKnowledge(SafeAction):
    """Answer what the conversation says the message asks (actions.conversation), from the knowledge base;
    its searches take the NLU's vector of the message (`nlu_vector`) instead of embedding it again."""

    def __init__(self, programme: ActionAnswerProgramme | None = None) -> None:
        self.programme = programme or ActionAnswerProgramme()  # its clock dates programme questions

    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        from actions.conversation import respond  # the router answers with this module's functions

        with nlu_vector(tracker):
            return respond(dispatcher, tracker, lang, self.programme.today)
