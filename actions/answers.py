"""Turning knowledge-base hits into replies, and the "nothing found" reply; shared by the answering actions.

The citizen's original words go to `KnowledgeBase.search` with the conversation language; the knowledge
package already prefers the document in the answer language (docs/architecture.md), so here we only pick
the passage, label it, cite it, and offer the other documents when the ranking is too close to call.
Every search also gets the NLU's e5 vector of the message (`nlu_vector`), which spares the action server
its own e5 forward when the search embeds the same text (issue 13).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.i18n import t
from actions.replies import choice_buttons, feedback_buttons, provisional_mark, say, shorten, source_line
from actions.rich import Rich, linked
from knowledge import Document, Hit, KnowledgeBase
from knowledge.feedback import FeedbackStore
from nlu.languages import document_language
from nlu.query import QueryVector

log = logging.getLogger(__name__)

TOPIC_MARGIN = 0.15  # the intent's own document wins unless another one scores this much higher
CLOSE_CALL = 0.03  # another document this close to the best one is offered as a button
MAX_ALTERNATIVES = 2
HANDOFF_TOPIC = "handoff"
# The NLU's vector of the message being answered. Set once per action (`nlu_vector`), not passed along:
# the router (actions.conversation) and the service answers reach `pick` through many paths without the
# tracker. A ContextVar, so concurrent action calls on the server's event loop never see each other's.
_NLU_VECTOR: ContextVar[QueryVector | None] = ContextVar("nlu_vector", default=None)


@contextmanager
def nlu_vector(tracker: Tracker) -> Iterator[None]:
    """While answering `tracker`'s latest message, its searches get the NLU's vector as a hint."""
    token = _NLU_VECTOR.set(QueryVector.from_parse_data(tracker.latest_message))
    try:
        yield
    finally:
        _NLU_VECTOR.reset(token)


@dataclass
class Choice:
    """The passage to answer with and the other documents worth offering."""

    hit: Hit
    alternatives: list[Hit]


def pick(kb: KnowledgeBase, text: str, lang: str, topic: str | None = None) -> Choice | None:
    """The best passage for `text`, preferring documents of `topic` (the NLU intent) when they score near the top.

    The intent is a strong hint but not a filter: when NLU is wrong the open search still finds the answer.
    """
    hint = _NLU_VECTOR.get()
    hits = kb.search(text, lang=lang, k=5, hint=hint)
    if topic:
        topical = kb.search(text, lang=lang, k=2, topic=topic, hint=hint)
        if topical and (not hits or topical[0].score >= hits[0].score - TOPIC_MARGIN):
            hits = topical + [hit for hit in hits if hit.doc_id != topical[0].doc_id]
    if not hits:
        return None
    best = hits[0]
    seen = {best.doc_id}
    close: list[Hit] = []
    for hit in hits[1:]:
        if hit.doc_id not in seen and best.score - hit.score <= CLOSE_CALL:
            seen.add(hit.doc_id)
            close.append(hit)
    return Choice(best, close[:MAX_ALTERNATIVES])


def say_passage(
    dispatcher: CollectingDispatcher,
    lang: str,
    doc_id: str,
    title: str,
    text: str,
    url: str | None,
    source: list[str],
    provisional: bool,
    doc_language: str,
    alternatives: list[Hit] | None = None,
) -> None:
    """One reply: passage (+ provisional mark), source line, 👍/👎 buttons, then "see also" buttons."""
    note = t("en_note", lang) + "\n" if lang == "en" and doc_language != "en" else ""
    mark = f" {provisional_mark(lang)}" if provisional else ""
    say(
        dispatcher,
        Rich(note, linked(text), mark, "\n\n", source_line(title, url, source, lang)),
        feedback_buttons(doc_id),
    )
    if alternatives:
        say(dispatcher, t("see_also", lang), choice_buttons((hit.doc_id, hit.title) for hit in alternatives))


def say_hit(dispatcher: CollectingDispatcher, lang: str, choice: Choice) -> list[dict[str, Any]]:
    hit = choice.hit
    say_passage(
        dispatcher,
        lang,
        hit.doc_id,
        hit.title,
        shorten(hit.text),
        hit.url,
        hit.source,
        hit.provisional,
        hit.lang,
        choice.alternatives,
    )
    return [SlotSet("last_doc_id", hit.doc_id), SlotSet("topic", hit.topic)]


def contact_lines(kb: KnowledgeBase, lang: str, office: str | None = None, url: str | None = None) -> Rich:
    """Where to ask a person: the given office/portal, else the knowledge base's handoff document."""
    lines = []
    if office:
        lines.append(linked(f"🏢 {t('ask_office', lang)}: {office}"))
    if url:
        lines.append(linked(f"🌐 {t('portal', lang)}: {url}"))
    if not lines:
        for doc in handoff_documents(kb, lang)[:1]:
            lines.append(linked(shorten(doc.sections.get("intro") or doc.body, 400)))
            if doc.office:
                lines.append(linked(f"🏢 {doc.office}"))
            if doc.url:
                lines.append(linked(f"🌐 {doc.url}"))
    return Rich.join("\n", lines)


def handoff_documents(kb: KnowledgeBase, lang: str) -> list[Document]:
    """The document(s) saying where citizens reach a person, in the answer language (French otherwise)."""
    return kb.documents(topic=HANDOFF_TOPIC, lang=document_language(lang)) or kb.documents(topic=HANDOFF_TOPIC)


def say_not_found(
    dispatcher: CollectingDispatcher,
    kb: KnowledgeBase,
    store: FeedbackStore,
    text: str,
    lang: str,
    sender: str,
    office: str | None = None,
    url: str | None = None,
) -> None:
    """Say plainly that nothing was found, point to an office or portal, and keep the question for the team."""
    store.record_unanswered(sender, text, lang=lang)  # the store redacts ID and phone numbers
    log.info("unanswered question recorded", extra={"sender": sender, "lang": lang})
    contact = contact_lines(kb, lang, office, url)
    say(dispatcher, Rich(t("not_found", lang), "\n" if contact else None, contact))
