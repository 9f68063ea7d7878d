"""Answering a message as the conversation reads it (actions.dialogue): the router of the answering actions.

Rasa's rules send each intent to one action, but in a conversation the intent alone is not the question:
"w fin?" after the passport is classified as the forum's venue, "who organises it?" as a question about the
assistant, "salam, chno howa l forum?" as a greeting. Every answering action (knowledge, service, programme)
therefore calls `respond`, which answers the reading: a service section, a forum document, the programme, a
clarifying question with buttons, small talk, or the out-of-scope reply. Each answer stores the dialogue
state back into slots (`topic`, `service`, `aspect`, `day`, `time`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.answers import pick, say_hit
from actions.dialogue import ASPECT_INTENT, ASPECT_SECTIONS, FORUM_ASPECTS, Reading, resolve
from actions.i18n import t
from actions.programme import answer_programme
from actions.replies import payload, say
from actions.resources import knowledge_base
from actions.services import answer_service, service_document
from nlu.languages import document_language

log = logging.getLogger(__name__)
Clock = Callable[[], dt.date]
# The services a clarifying question offers first (the ones citizens ask about most), and how many choices.
SERVICES = (
    "passport",
    "cnie",
    "civil_status",
    "complaints",
    "rsu",
    "urban_permits",
    "access_information",
    "idarati",
    "tax",
    "cnss",
    "personal_data",
)
MAX_CHOICES = 5
SMALL_TALK_RESPONSES = {
    "greet": "utter_greet",
    "thank": "utter_thank",
    "goodbye": "utter_goodbye",
    "identity": "utter_bot_identity",
}


def respond(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, today: Clock = dt.date.today
) -> list[dict[str, Any]]:
    """Send the answer to the latest message, read in its conversation; return the events (slots)."""
    reading = resolve(tracker)
    log.info(
        "reading",
        extra={
            "kind": reading.kind,
            "intent": reading.intent,
            "service": reading.service,
            "aspect": reading.aspect,
            "topic": reading.topic,
            "greeting": reading.greeting,
        },
    )
    if reading.greeting:
        say(dispatcher, t("hello", lang))
    if reading.kind == "smalltalk":
        dispatcher.utter_message(response=SMALL_TALK_RESPONSES[reading.smalltalk or "greet"])
        return []
    if reading.kind in ("offtopic", "default", "intent"):
        dispatcher.utter_message(response="utter_out_of_scope" if reading.kind == "offtopic" else "utter_default")
        return []
    if reading.kind == "document":
        doc_id = next(iter(reading.entities.get("doc_id", [])), None)
        return knowledge.show_document(dispatcher, doc_id, lang, tracker.sender_id) if doc_id else []
    if reading.kind == "clarify":
        return clarify(dispatcher, tracker, lang, reading)
    if reading.kind == "service":
        return answer_service(
            dispatcher, tracker, lang, reading.intent or "service_info", reading.service, reading.aspect
        )
    if reading.kind == "programme":
        return answer_programme(dispatcher, lang, reading.day, reading.time, reading.question, today())
    if reading.kind == "open":
        return open_question(dispatcher, tracker, lang, reading)
    if reading.kind == "search":
        return own_subject_search(dispatcher, tracker, lang, reading)
    events = knowledge.search(dispatcher, tracker, lang, resolved_question(reading, lang), reading.topic)
    return [*events, SlotSet("aspect", reading.aspect)]


def resolved_question(reading: Reading, lang: str) -> str:
    """The words retrieval sees: the message, plus the forum's name when the conversation, not the message,
    says the question is about the forum ("et c'est où ?" -> "et c'est où ? Le forum")."""
    return f"{reading.question} {t('forum', lang)}" if reading.in_context else reading.question


def open_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, reading: Reading
) -> list[dict[str, Any]]:
    """A question the NLU could not name (an unsure intent, or the words after a greeting): a service when
    it looks like one, else the best passage; a greeting whose words find nothing is answered as a
    greeting, not with "nothing found"."""
    if (reading.intent or "").startswith("service_"):
        return answer_service(dispatcher, tracker, lang, reading.intent or "service_info")
    if reading.greeting and reading.intent == "greet":
        choice = pick(knowledge_base(), reading.question, lang)
        if choice is None:
            dispatcher.messages.clear()
            dispatcher.utter_message(response="utter_greet")
            return []
        return say_hit(dispatcher, lang, choice)
    return knowledge.search(dispatcher, tracker, lang, reading.question, None)


def own_subject_search(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, reading: Reading
) -> list[dict[str, Any]]:
    """A long aspect question in a forum conversation, which may name a subject no lexicon has ("combien coûte
    la licence de pêche à Saïdia ?"): the words alone are searched, and when they land on the forum anyway
    ("pour un étudiant ou un chercheur, l'entrée est payante ?") the forum's document for the aspect answers."""
    choice = pick(knowledge_base(), reading.question, lang)
    if choice is None or not (choice.hit.topic or "").startswith("forum_"):
        return knowledge.search(dispatcher, tracker, lang, reading.question, None)
    events = knowledge.search(dispatcher, tracker, lang, resolved_question(reading, lang), reading.topic)
    return [*events, SlotSet("aspect", reading.aspect)]


def clarify(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, reading: Reading) -> list[dict[str, Any]]:
    """Ask which subject an aspect-only question is about (or which of two close intents is meant), with a
    button per likely choice; a single possible subject is answered at once."""
    if reading.choices:
        buttons = intent_buttons(reading.choices, lang)
    else:
        subjects = aspect_subjects(reading.aspect or "", lang)
        if len(subjects) == 1:
            return answer_subject(dispatcher, tracker, lang, reading, subjects[0])
        buttons = [aspect_button(subject, reading.aspect or "", lang) for subject in subjects]
    say(dispatcher, t("which_one", lang), buttons)
    return [SlotSet("aspect", reading.aspect), SlotSet("topic", None)]


def aspect_subjects(aspect: str, lang: str) -> list[str]:
    """ "forum" (when its documents answer the aspect) and the services whose documents have its sections."""
    kb = knowledge_base()
    subjects = ["forum"] if aspect in FORUM_ASPECTS else []
    for service in SERVICES:
        doc = service_document(kb, service, lang)
        if doc is not None and any(key in doc.sections for key in ASPECT_SECTIONS.get(aspect, ())):
            subjects.append(service)
    return subjects[:MAX_CHOICES]


def aspect_button(subject: str, aspect: str, lang: str) -> dict[str, Any]:
    """The button answering `aspect` of `subject` (the payload carries both, for actions.dialogue)."""
    if subject == "forum":
        return {"title": t("forum", lang), "payload": payload(FORUM_ASPECTS[aspect], aspect=aspect)}
    return {
        "title": t(subject, lang),
        "payload": payload(ASPECT_INTENT.get(aspect, "service_info"), service=subject, aspect=aspect),
    }


def answer_subject(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, reading: Reading, subject: str
) -> list[dict[str, Any]]:
    """The answer to the reading's aspect of the one subject that has one."""
    if subject != "forum":
        return answer_service(
            dispatcher, tracker, lang, ASPECT_INTENT.get(reading.aspect or "", "service_info"), subject, reading.aspect
        )
    events = knowledge.search(
        dispatcher, tracker, lang, resolved_question(reading, lang), FORUM_ASPECTS[reading.aspect or ""]
    )
    return [*events, SlotSet("aspect", reading.aspect)]


def intent_buttons(intents: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    """One button per forum intent, titled with its document's title in the answer language."""
    kb = knowledge_base()
    buttons = []
    for intent in intents:
        docs = kb.documents(topic=intent, lang=document_language(lang)) or kb.documents(topic=intent)
        if docs:
            buttons.append({"title": docs[0].title, "payload": payload(intent)})
    return buttons
