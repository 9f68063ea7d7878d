"""`action_answer_programme`: the forum programme by day, time or topic, provisional items labelled.

"Today" comes from the action's clock (`dt.date.today` unless one is given): the same question means a
forum day during the forum and the past forum afterwards, and tests fix the day instead of depending on it.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction, entity
from actions.i18n import t
from actions.replies import feedback_buttons, provisional_mark, say, source_line
from actions.rich import Rich, bold, italic
from actions.resources import knowledge_base
from actions.schedule import Selection, select
from knowledge import ProgrammeItem
from nlu.dates import date_list, long_date
from nlu.languages import document_language, localised

log = logging.getLogger(__name__)
PROGRAMME_TOPIC = "forum_programme"
Clock = Callable[[], dt.date]


def item_line(item: ProgrammeItem, lang: str) -> str:
    """"• 09:00–10:30 Title — place (provisional)"."""
    hours = f"{item.start}–{item.end} " if item.start and item.end else (f"{item.start} " if item.start else "")
    place = localised(item.place, lang) if item.place else ""
    mark = f" {provisional_mark(lang)}" if item.provisional else ""
    return f"• {hours}{localised(item.title, lang)}" + (f" — {place}" if place else "") + mark


def programme_text(selection: Selection, lang: str, today: dt.date) -> Rich:
    """The reply: the forum dates (in the past tense once it is over), the items, the provisional note."""
    lines: list[Rich | str] = []
    if selection.days and today > selection.days[-1]:
        lines.append(t("forum_past", lang, dates=date_list(selection.days, lang)))
    heading = t("programme_intro", lang) + (f" — {long_date(selection.day, lang)}" if selection.day else "")
    lines.append(bold(heading))
    current = None
    for item in selection.items:
        if selection.day is None and item.day != current:
            current = item.day
            lines.append(italic(long_date(item.day, lang)))
        lines.append(item_line(item, lang))
    if not selection.items:
        lines.append(t("programme_empty", lang))
    if any(item.provisional for item in selection.items):
        lines.append(t("programme_provisional_note", lang))
    return Rich.join("\n", lines)


class ActionAnswerProgramme(SafeAction):
    """Answer "what is on tomorrow / on the 11th / on Friday afternoon / about the awards?"."""

    def __init__(self, today: Clock = dt.date.today) -> None:
        self.today = today

    def name(self) -> str:
        return "action_answer_programme"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        kb = knowledge_base()
        today = self.today()
        day, time = entity(tracker, "day"), entity(tracker, "time")
        selection = select(kb.programme(), day, time, tracker.latest_message.get("text") or "", today)
        if selection.unknown_day or not selection.items:
            selection = select(kb.programme(), None, time, "", today)
        log.info("programme answer", extra={"day": day, "time": time, "items": len(selection.items)})
        text = programme_text(selection, lang, today)
        docs = (kb.documents(topic=PROGRAMME_TOPIC, lang=document_language(lang))
                or kb.documents(topic=PROGRAMME_TOPIC))
        if not docs:
            say(dispatcher, text)
            return []
        doc = docs[0]
        say(dispatcher, Rich(text, "\n\n", source_line(doc.title, doc.url, doc.source, lang)), feedback_buttons(doc.id))
        return [SlotSet("topic", PROGRAMME_TOPIC), SlotSet("last_doc_id", doc.id)]
