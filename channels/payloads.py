"""Which slash-syntax messages (`/intent{"entity": "value"}`) a client may send as button presses.

Rasa reads any message starting with "/" as an intent with entities, so a citizen who types
`/feedback_negative{"doc_id": "x"}` would vote on a document never shown to them, and any intent could be
forced the same way. A payload is kept only when it is a button the assistant offered to this sender (in
their conversation), or one of the payloads the clients build themselves (bot/services.py, the bot's
/programme), with only the entity those carry and a short, plain value. Anything else is read as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from typing import Any

# Payloads the Telegram bot builds without Rasa offering them: intent -> the entities it may carry.
CLIENT_PAYLOADS: dict[str, frozenset[str]] = {
    "service_info": frozenset({"service"}),  # /services menu
    "forum_programme": frozenset({"day"}),  # /programme [day]
}
_PAYLOAD = re.compile(r"/(?P<intent>[a-z_]{1,64})(?P<entities>\{.{0,200}\})?", re.DOTALL)
_VALUE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def is_payload(text: str) -> bool:
    """True when Rasa would read `text` as an intent (it strips the text first)."""
    return text.strip().startswith("/")


def offered_payloads(events: Iterable[Any]) -> set[str]:
    """The payloads of every button in the bot messages of `events` (Rasa `BotUttered` events)."""
    offered = set()
    for event in events:
        buttons = (getattr(event, "data", None) or {}).get("buttons") or []
        offered.update(str(b["payload"]) for b in buttons if isinstance(b, dict) and b.get("payload"))
    return offered


def accepted(text: str, offered: Collection[str]) -> bool:
    """True when the payload `text` may reach Rasa as a button press (see the module docstring)."""
    payload = text.strip()
    if payload in offered:
        return True
    match = _PAYLOAD.fullmatch(payload)
    if match is None or match["intent"] not in CLIENT_PAYLOADS:
        return False
    try:
        entities = json.loads(match["entities"]) if match["entities"] else {}
    except ValueError:
        return False
    return (
        isinstance(entities, dict)
        and set(entities) <= CLIENT_PAYLOADS[match["intent"]]
        and all(isinstance(value, str) and _VALUE.fullmatch(value) for value in entities.values())
    )


def as_text(text: str) -> str:
    """A refused payload as the words the citizen typed: without the leading "/" Rasa would act on."""
    return text.strip().lstrip("/")
