"""Rasa events (as the dicts the tracker store saves) with personal identifiers masked, and without the
NLU's e5 vector of the message (`nlu.query.QUERY_VECTOR`).

That vector rides in the user event's parse data so the actions of the same turn need not embed the question
again (issue 13); it is numbers derived from what the citizen wrote, which no pattern could mask and nobody
reads later, so it is left out of the stored copy.
Plain module (no Rasa import): the tracker store uses it in the Rasa environment, tests use it in both.
"""

from __future__ import annotations

from typing import Any

from nlu.query import QUERY_VECTOR
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


# Parse-data keys left out of the stored event (see the module doc).
DROPPED_PARSE_DATA = frozenset({QUERY_VECTOR})


def redact_event(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of `event` with the text parts of its type masked (`privacy.redact`) and the keys of
    DROPPED_PARSE_DATA left out of its parse data; `event` is not changed."""
    parts = REDACTED_PARTS.get(event.get("event"), ("metadata",))
    kept = dict(event)
    if isinstance(event.get("parse_data"), dict):
        kept["parse_data"] = {k: v for k, v in event["parse_data"].items() if k not in DROPPED_PARSE_DATA}
    return {key: redact_values(value) if key in parts else value for key, value in kept.items()}


def redact_values(value: Any) -> Any:
    """`value` with every string inside it masked, except under the keys in IDENTIFIERS (a new structure)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: item if key in IDENTIFIERS else redact_values(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_values(item) for item in value]
    return value
