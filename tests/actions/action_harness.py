"""Helpers for the action tests: saved trackers (as in RasaHQ/financial-demo) and running an action."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

TRACKERS = Path(__file__).parent / "trackers"


def tracker(name: str, text: str | None = None, language: str | None = None, **slots: Any) -> Tracker:
    """The saved tracker `trackers/<name>.json`, with the message text, language or slots replaced."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    if text is not None:
        state["latest_message"]["text"] = text
    if language is not None:
        state["slots"]["language"] = language
    state["slots"].update(slots)
    return Tracker.from_dict(state)


def run(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run `action` as the action server would: (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, {}))
    return dispatcher.messages, events


def styled(messages: list[dict[str, Any]], style: str) -> list[str]:
    """The texts the messages' formatting (`custom.rich`, actions.rich) shows in `style` ("bold", "italic")."""
    return [
        span["text"]
        for message in messages
        for span in (message.get("custom") or {}).get("rich") or []
        if span.get("style") == style
    ]


def said(messages: list[dict[str, Any]]) -> str:
    """Everything the user sees: texts and button titles."""
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts.extend(button["title"] for button in message.get("buttons") or [])
    return "\n".join(parts)
