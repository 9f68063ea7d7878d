"""`action_answer_service`: a public service explained in a fixed shape, or one section of it (cost, papers...).

Follow-ups such as "et le prix ?" / "w ch7al?" carry no service: the `service` slot of the previous turn
is reused. A section the document lacks is reported as unavailable with the portal or office: never guessed.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import Choice, contact_lines, pick, say_hit, say_not_found
from actions.base import SafeAction, entity
from actions.i18n import section_name, t
from actions.replies import feedback_buttons, provisional_mark, say, shorten, source_line
from actions.rich import Rich, bold, linked
from actions.resources import feedback_store, knowledge_base
from knowledge import Document, KnowledgeBase
from nlu.languages import document_language

log = logging.getLogger(__name__)

OVERVIEW = ("what", "where", "papers", "cost", "link")
# "How long?" covers both the processing time and how long the paper stays valid: both are answered.
SECTIONS_OF_INTENT = {"service_cost": ("cost",), "service_papers": ("papers",), "service_delay": ("delay", "validity")}
ICONS = {"where": "📍", "papers": "📋", "cost": "💰", "delay": "⏱", "validity": "📅", "link": "🔗"}
# The service that delivers each `document` entity value, for questions naming the paper, not the service.
SERVICE_OF_DOCUMENT = {"birth_extract": "civil_status", "birth_full_copy": "civil_status", "id_card": "cnie",
                       "passport": "passport", "building_permit": "urban_permits",
                       "occupancy_permit": "urban_permits", "conformity_certificate": "urban_permits",
                       "economic_authorisation": "urban_permits"}
SECTION_LIMIT = 350
FOLLOW_UP_CONFIDENCE = 0.7   # below this, a forum guess in a service conversation yields to a close service intent
# A message this short ("et le prix ?", "w ch7al?", "w fin?") cannot stand alone: in a service conversation the
# conversation says what it asks, however sure the NLU is that "prix" means the forum's prizes.
ELLIPTICAL_WORDS = 4
_WORD = re.compile(r"\w+")


def named_service(tracker: Tracker) -> str | None:
    """The service named in this very message (entity `service`, or a `document` it delivers)."""
    return entity(tracker, "service") or SERVICE_OF_DOCUMENT.get(entity(tracker, "document") or "")


def follow_up_intent(tracker: Tracker) -> str | None:
    """The service intent meant by an ambiguous follow-up ("et le prix ?": prize or price?) in a conversation
    about a service: one ranked among the NLU's three best when its first guess is weak or the message is too
    short to stand alone."""
    if not (tracker.get_slot("topic") or "").startswith("service:"):
        return None
    confident = (tracker.latest_message.get("intent") or {}).get("confidence", 1.0) >= FOLLOW_UP_CONFIDENCE
    elliptical = len(_WORD.findall(tracker.latest_message.get("text") or "")) <= ELLIPTICAL_WORDS
    if confident and not elliptical:
        return None
    ranking = [item["name"] for item in tracker.latest_message.get("intent_ranking") or []
               if item.get("name") != "nlu_fallback"][:3]
    return next((name for name in ranking if name.startswith("service_")), None)


def service_document(kb: KnowledgeBase, service: str, lang: str) -> Document | None:
    """The service's document in the answer language, else in French (then any language)."""
    topic = f"service:{service}"
    for doc_lang in (document_language(lang), "fr", None):
        docs = kb.documents(topic=topic, lang=doc_lang)
        if docs:
            return docs[0]
    return None


def section_line(key: str, text: str, lang: str) -> Rich:
    """"💰 Cost: ..." with the section's name in bold and its web addresses as links."""
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


def answer_service(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, intent: str) -> list[dict[str, Any]]:
    """Reply to `intent` (service_info / _cost / _papers / _delay) for the service the conversation is about."""
    kb = knowledge_base()
    text = tracker.latest_message.get("text") or ""
    sections = SECTIONS_OF_INTENT.get(intent, ())
    service = named_service(tracker)
    if service is None and sections:
        service = tracker.get_slot("service")
    if service is None:
        choice = infer_service(kb, text, lang, sections)
        if choice is None:
            say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
            return []
        if not choice.hit.service:
            return say_hit(dispatcher, lang, choice)
        service = choice.hit.service
    doc = service_document(kb, service, lang)
    log.info("service answer", extra={"intent": intent, "service": service, "lang": lang,
                                      "doc_id": doc.id if doc else None})
    if doc is None:
        say_not_found(dispatcher, kb, feedback_store(), text, lang, tracker.sender_id)
        return [SlotSet("service", service)]
    present = [key for key in sections if key in doc.sections]
    if sections and not present:
        missing = t("section_missing", lang, section=section_name(sections[0], lang))
        contact = contact_lines(kb, lang, doc.office, doc.url or None)
        say(dispatcher, Rich.join("\n", (bold(doc.title), missing, contact)).strip())
    else:
        body = overview(doc, lang) if not sections else Rich.join("\n", [bold(doc.title)] + [
            section_line(key, shorten(doc.sections[key]), lang) for key in present])
        note = t("en_note", lang) + "\n" if lang == "en" and doc.lang != "en" else ""
        mark = f" {provisional_mark(lang)}" if doc.provisional else ""
        say(dispatcher, Rich(note, body, mark, "\n\n", source_line(doc.title, doc.url, doc.source, lang)),
            feedback_buttons(doc.id))
    return [SlotSet("service", service), SlotSet("topic", doc.topic), SlotSet("last_doc_id", doc.id)]


class ActionAnswerService(SafeAction):
    """Explain a service (`service_info`) or answer its cost, papers or delay (`service_cost` ...)."""

    def name(self) -> str:
        return "action_answer_service"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name") or "service_info"
        return answer_service(dispatcher, tracker, lang, intent)
