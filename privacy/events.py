"""Rasa events (as the dicts the tracker store saves) with personal identifiers masked.

Plain module (no Rasa import): the tracker store uses it in the Rasa environment, tests use it in both.
"""

from __future__ import annotations

from typing import Any

from privacy.redact import redact

# The parts of each event type that hold what a person wrote or was told; `metadata` of every event too.
REDACTED_PARTS: dict[str, tuple[str, ...]] = {
    "user": ("text", "parse_data", "metadata"),
    "bot": ("text", "metadata"),
    "slot": ("value", "metadata"),
    "entities": ("entities", "metadata"),
}
# Keys whose values are names or ids the assistant made, never text a person wrote: left untouched, so a
# message id or an intent name is never changed by a pattern that happens to match it.
IDENTIFIERS = frozenset(
    {
        "event",
        "name",
        "message_id",
        "input_channel",
        "entity",
        "extractor",
        "role",
        "group",
        "intent_response_key",
        "utter_action",
        "template_name",
    }
)


def redact_event(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of `event` with the text parts of its type masked (`privacy.redact`); `event` is not changed."""
    parts = REDACTED_PARTS.get(event.get("event"), ("metadata",))
    return {key: redact_values(value) if key in parts else value for key, value in event.items()}


def redact_values(value: Any) -> Any:
    """`value` with every string inside it masked, except under the keys in IDENTIFIERS (a new structure)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: item if key in IDENTIFIERS else redact_values(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_values(item) for item in value]
    return value
