"""The language of the replies the REST channel writes itself (an empty message, an assistant that said nothing).

Those replies used to pick their language two ways: the empty-message reply read the tracker's `language` slot,
the try-again reply ran the language identifier on the message, so one conversation could get a French answer
and then an English apology. Both now ask `reply_language`: the client's choice (`metadata.language`), else the
conversation's `language` slot, else the language the message is written in. `in_variety` then writes the reply
in the variety the actions write for that user (`nlu.languages.written_variety`: Arabizi users read Darija in
Arabic script), so a channel reply never differs in script from the assistant's other replies.

The channel's handlers see no agent (Rasa's REST handler gets only the message), so the request middleware
(`channels.rest`) hands it over for the request in a context variable (`remember_agent`): Sanic runs the
middleware and the handler in one task, so each request sees its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from nlu import langid
from nlu.languages import VARIETIES, reply_chain, written_variety

_AGENT: ContextVar[Any] = ContextVar("rest_agent", default=None)


def remember_agent(agent: Any) -> None:
    """Make the Rasa agent serving this request reachable by `reply_language` (called by the middleware)."""
    _AGENT.set(agent)


async def reply_language(sender: str, metadata: Mapping[str, Any] | None, text: str) -> str | None:
    """The client's choice, else the conversation's language slot, else the message's language (None when
    there is nothing to tell it by)."""
    chosen = (metadata or {}).get("language")
    if chosen in VARIETIES:
        return chosen
    agent = _AGENT.get()
    tracker = await agent.tracker_store.retrieve(sender) if agent is not None else None
    slot = tracker.get_slot("language") if tracker else None
    if slot in VARIETIES:
        return slot
    return langid.identify(text) if text.strip() else None


def in_variety(texts: Mapping[str, str], language: str | None) -> str | None:
    """The text for a user of `language`, in the variety the assistant writes to them (None when unknown)."""
    if language is None:
        return None
    return next((texts[code] for code in reply_chain(written_variety(language)) if code in texts), None)
