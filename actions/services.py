"""`action_answer_service`: a public service explained in a fixed shape, or the sections of one aspect of it.

Which service and which aspect (cost, papers, duration, where, who, delivery, apply) a message asks about is
read in its conversation by actions.dialogue ("w ch7al?" after the passport is its cost). A section the
document lacks is reported as unavailable with the portal or office: never guessed.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import Choice, contact_lines, pick, say_hit, say_not_found
from actions.base import SafeAction
from actions.dialogue import ASPECT_SECTIONS, INTENT_ASPECT
from actions.i18n import section_name, t
from actions.replies import feedback_buttons, provisional_mark, say, shorten, source_line
from actions.resources import feedback_store, knowledge_base
from actions.rich import Rich, bold, linked
from knowledge import Document, KnowledgeBase
from nlu.languages import document_language

log = logging.getLogger(__name__)

OVERVIEW = ("what", "where", "papers", "cost", "link")
ICONS = {
    "where": "📍",
    "papers": "📋",
    "cost": "💰",
    "delay": "⏱",
    "validity": "📅",
    "link": "🔗",
    "steps": "🧭",
    "who": "👤",
}
SECTION_LIMIT = 350


def service_document(kb: KnowledgeBase, service: str, lang: str) -> Document | None:
    """The service's document in the answer language, else in French (then any language)."""
    topic = f"service:{service}"
    for doc_lang in (document_language(lang), "fr", None):
        docs = kb.documents(topic=topic, lang=doc_lang)
        if docs:
            return docs[0]
    return None


def section_line(key: str, text: str, lang: str) -> Rich:
    """ "💰 Cost: ..." with the section's name in bold and its web addresses as links."""
    return Rich(f"{ICONS[key]} ", bold(section_name(key, lang)), ": ", linked(text))


def overview(doc: Document, lang: str) -> Rich:
    """What / where / papers / cost / link, each from the document's own section when it has one."""
    parts = [bold(doc.title)]
    for key in OVERVIEW:
        text = doc.sections.get(key) or (doc.sections.get("intro") if key == "what" else None)
        if not text:
            continue
        text = shorten(text, SECTION_LIMIT)
        parts.append(linked(text) if key == "what" else section_line(key, text, lang))
    return Rich.join("\n", parts)


def infer_service(kb: KnowledgeBase, text: str, lang: str, sections: tuple[str, ...]) -> Choice | None:
    """The passage the words are about (open search: the NLU may have mistaken a forum question for a
    service one); among near-equal candidates, one whose document has an asked section (a question about
    papers is about a service that lists papers)."""
    choice = pick(kb, text, lang)
    if choice is None or not sections:
        return choice
    for hit in (choice.hit, *choice.alternatives):
        doc = kb.document(hit.doc_id) if hit.service else None
        if doc is not None and any(key in doc.sections for key in sections):
            return Choice(hit, [])
    return choice


def answer_service(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    lang: str,
    intent: str,
    service: str | None = None,
    aspect: str | None = None,
) -> list[dict[str, Any]]:
    """Reply about `service` (found from the words when None): the sections of `aspect`, else of `intent`
    (service_cost / _papers / _delay), else the overview."""
    kb = knowledge_base()
    text = tracker.latest_message.get("text") or ""
    aspect = aspect or INTENT_ASPECT.get(intent)
    sections = ASPECT_SECTIONS.get(aspect or "", ())
    if service is None:
        choice = infer_service(kb, text, lang, sections)
        if choice is None:
            say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
            return []
        if not choice.hit.service:
            return say_hit(dispatcher, lang, choice)
        service = choice.hit.service
    doc = service_document(kb, service, lang)
    log.info(
        "service answer", extra={"intent": intent, "service": service, "lang": lang, "doc_id": doc.id if doc else None}
    )
    if doc is None:
        say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
        return [SlotSet("service", service)]
    present = [key for key in sections if key in doc.sections]
    if sections and not present:
        missing = t("section_missing", lang, section=section_name(sections[0], lang))
        contact = contact_lines(kb, lang, doc.office, doc.url or None)
        say(dispatcher, Rich.join("\n", (bold(doc.title), missing, contact)).strip())
    else:
        body = (
            overview(doc, lang)
            if not sections
            else Rich.join(
                "\n", [bold(doc.title)] + [section_line(key, shorten(doc.sections[key]), lang) for key in present]
            )
        )
        note = t("en_note", lang) + "\n" if lang == "en" and doc.lang != "en" else ""
        mark = f" {provisional_mark(lang)}" if doc.provisional else ""
        say(
            dispatcher,
            Rich(note, body, mark, "\n\n", source_line(doc.title, doc.url, doc.source, lang)),
            feedback_buttons(doc.id),
        )
    return [
        SlotSet("service", service),
        SlotSet("topic", doc.topic),
        SlotSet("last_doc_id", doc.id),
        SlotSet("aspect", aspect),
    ]


class ActionAnswerService(SafeAction):
    """Explain a service (`service_info`) or answer its cost, papers or delay (`service_cost` ...); a message
    the conversation reads as another question (actions.dialogue) gets that answer instead."""

    def name(self) -> str:
        return "action_answer_service"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        from actions.conversation import respond  # the router answers with this module's functions

        return respond(dispatcher, tracker, lang)
