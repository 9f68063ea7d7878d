"""How an answer taken from a document is shown: a short passage, its source, and the vote buttons.

Shared by the knowledge, service and programme actions so that every sourced answer looks the same in
Telegram and in the terminal. Replies are `actions.rich.Rich` values sent by `say`: plain text for REST
clients, the same spans (bold titles, links) for the channels that format them; never Markdown markers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.i18n import t
from actions.rich import Rich, custom, link
from nlu.sentences import split_sentences

MAX_PASSAGE = 600
HEADING = re.compile(r"^\s*#+\s.*$", re.MULTILINE)
KEY_MARK = re.compile(r"\s*\{#[\w-]+\}")


def shorten(text: str, limit: int = MAX_PASSAGE) -> str:
    """`text` without Markdown headings, cut after the last whole sentence that fits in `limit` characters."""
    text = KEY_MARK.sub("", HEADING.sub("", text or "")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in split_sentences(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0] + " …"


def first_link(url: str | None, sources: Iterable[str] | str | None) -> str | None:
    """The official portal when the document has one, else its first web source."""
    if url:
        return url
    if isinstance(sources, str):
        sources = [sources]
    for source in sources or []:
        match = re.search(r"https?://\S+", str(source))
        if match:
            return match.group(0)
    return None


def source_line(title: str, url: str | None, sources: Iterable[str] | str | None, lang: str | None) -> Rich:
    """ "📄 Source: <title> — <link>", or the first source's description when there is no link."""
    target = first_link(url, sources)
    if target:
        return Rich(f"📄 {t('source', lang)}: {title} — ", link(target))
    described = next(iter([sources] if isinstance(sources, str) else (sources or [])), None)
    return Rich(f"📄 {t('source', lang)}: {title}" + (f" ({described})" if described else ""))


def say(dispatcher: CollectingDispatcher, reply: Rich | str, buttons: list[dict[str, Any]] | None = None) -> None:
    """Send `reply` as one message: its plain text (REST clients) and its spans in `custom` (formatting)."""
    reply = Rich(reply)
    dispatcher.utter_message(text=reply.plain, buttons=buttons, json_message=custom(reply))


def payload(intent: str, **entities: str) -> str:
    """A button payload that Rasa parses as `intent` with `entities` (`/intent{"doc_id":"..."}`)."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def feedback_buttons(doc_id: str) -> list[dict[str, Any]]:
    return [
        {"title": "👍", "payload": payload("feedback_positive", doc_id=doc_id)},
        {"title": "👎", "payload": payload("feedback_negative", doc_id=doc_id)},
    ]


def choice_buttons(options: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """One `choose_document` button per (doc_id, title)."""
    return [{"title": f"📄 {title}", "payload": payload("choose_document", doc_id=doc_id)} for doc_id, title in options]


def provisional_mark(lang: str | None) -> str:
    return f"({t('provisional', lang)})"
