"""`action_handoff`: the citizen wants a person. Give the office to contact and record the request."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import contact_lines
from actions.base import SafeAction
from actions.i18n import t
from actions.replies import say
from actions.resources import feedback_store, knowledge_base
from actions.rich import Rich
from privacy.redact import phone_numbers

log = logging.getLogger(__name__)


class ActionHandoff(SafeAction):
    """Office of the document being discussed (a passport question -> the annexe administrative), else the
    knowledge base's general handoff contact; the request is stored with the conversation id for the team."""

    def name(self) -> str:
        return "action_handoff"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        kb = knowledge_base()
        last = tracker.get_slot("last_doc_id")
        doc = kb.document(last) if last else None
        general = contact_lines(kb, lang)
        specific = contact_lines(kb, lang, doc.office, doc.url) if doc and doc.office else ""
        contact = Rich.join("\n", (part for part in (specific, general) if part))
        text = tracker.latest_message.get("text") or ""
        # a number the citizen gave to be called back: kept (encrypted) in this record only, until it is closed
        callback = next(iter(phone_numbers(text)), None)
        recorded = feedback_store().record_handoff(
            tracker.sender_id, text, lang=lang, office=doc.office if doc and doc.office else None, callback=callback
        )
        log.info(
            "handoff requested",
            extra={"sender": tracker.sender_id, "doc_id": last, "recorded": recorded, "callback": callback is not None},
        )
        # not recorded (var/ full or read-only): the request waits in memory, the citizen uses the contact now
        outcome = t("handoff_recorded" if recorded else "handoff_not_recorded", lang)
        say(dispatcher, Rich(t("handoff", lang), "\n", contact, "\n\n", outcome))
        return []
