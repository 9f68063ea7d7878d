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

from actions.base import SafeAction
from actions.i18n import t
from actions.replies import feedback_buttons, provisional_mark, say, source_line
from actions.resources import knowledge_base
from actions.rich import Rich, bold, italic
from actions.schedule import Selection, select
from knowledge import ProgrammeItem
from nlu.dates import date_list, long_date
from nlu.languages import document_language, localised, written_variety

log = logging.getLogger(__name__)
PROGRAMME_TOPIC = "forum_programme"
Clock = Callable[[], dt.date]


def item_line(item: ProgrammeItem, lang: str) -> str:
    """ "• 09:00–10:30 Title — place (provisional)"."""
    hours = f"{item.start}–{item.end} " if item.start and item.end else (f"{item.start} " if item.start else "")
    place = localised(item.place, lang) if item.place else ""
    mark = f" {provisional_mark(lang)}" if item.provisional else ""
    return f"• {hours}{localised(item.title, lang)}" + (f" — {place}" if place else "") + mark


def programme_text(selection: Selection, lang: str, today: dt.date, notice: str | None = None) -> Rich:
    """The reply: the forum dates (in the past tense once it is over), why the selection is wider than asked
    (`notice`: an i18n key), the items, the provisional note."""
    written = written_variety(lang)
    lines: list[Rich | str] = []
    if selection.days and today > selection.days[-1]:
        lines.append(t("forum_past", lang, dates=date_list(selection.days, written)))
    heading = t("programme_intro", lang) + (f" — {long_date(selection.day, written)}" if selection.day else "")
    lines.append(bold(heading))
    if notice:
        lines.append(t(notice, lang))
    current = None
    for item in selection.items:
        if selection.day is None and item.day != current:
            current = item.day
            lines.append(italic(long_date(item.day, written)))
        lines.append(item_line(item, lang))
    if not selection.items:
        lines.append(t("programme_empty", lang))
    if any(item.provisional for item in selection.items):
        lines.append(t("programme_provisional_note", lang))
    return Rich.join("\n", lines)


def programme_selection(
    items: list, day: str | None, time: str | None, text: str, today: dt.date
) -> tuple[Selection, str | None]:
    """The items asked for, and, when none match, the wider selection shown instead with the notice saying so:
    a day that is not a forum day shows the whole programme, a time with nothing on shows that day."""
    selection = select(items, day, time, text, today)
    if selection.unknown_day:
        return select(items, None, None, "", today), "programme_no_such_day"
    if time and not any(item.start for item in selection.items):  # untimed items run "all day"
        return select(items, day, None, "", today), "programme_nothing_then"
    if not selection.items:
        return select(items, None, None, "", today), None
    return selection, None


def answer_programme(
    dispatcher: CollectingDispatcher, lang: str, day: str | None, time: str | None, text: str, today: dt.date
) -> list[dict[str, Any]]:
    """Send the programme for `day` and `time` (entity values) or for the topic the words name."""
    kb = knowledge_base()
    selection, notice = programme_selection(kb.programme(), day, time, text, today)
    log.info("programme answer", extra={"day": day, "time": time, "items": len(selection.items), "notice": notice})
    reply = programme_text(selection, lang, today, notice)
    docs = kb.documents(topic=PROGRAMME_TOPIC, lang=document_language(lang)) or kb.documents(topic=PROGRAMME_TOPIC)
    events = [SlotSet("topic", PROGRAMME_TOPIC), SlotSet("day", day), SlotSet("time", time)]
    if not docs:
        say(dispatcher, reply)
        return events
    doc = docs[0]
    say(dispatcher, Rich(reply, "\n\n", source_line(doc.title, doc.url, doc.source, lang)), feedback_buttons(doc.id))
    return [*events, SlotSet("last_doc_id", doc.id)]


class ActionAnswerProgramme(SafeAction):
    """Answer "what is on tomorrow / on the 11th / on Friday afternoon / about the awards?"; a message the
    conversation reads as another question (actions.dialogue) gets that answer instead."""

    def __init__(self, today: Clock = dt.date.today) -> None:
        self.today = today

    def name(self) -> str:
        return "action_answer_programme"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        from actions.conversation import respond  # the router answers with this module's functions

        return respond(dispatcher, tracker, lang, self.today)
