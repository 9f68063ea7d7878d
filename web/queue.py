"""The unanswered queue: every message the assistant refused, answered with low confidence, or got a 👎 for.

Three sources, one list: the feedback file's `unanswered` rows (refused) and down `votes`, and the tracker's
user messages whose intent confidence is under LOW_CONFIDENCE. Each item carries the bot's reply, the
variety and the date; what the team did with it is a `reviews` row of the feedback file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge.feedback import FeedbackStore
from privacy.redact import redact
from web import tracker

LOW_CONFIDENCE = 0.5
SCAN = 500  # newest rows read per source
KINDS = {"unanswered": "refusé", "vote": "👎", "lowconf": "confiance faible"}


@dataclass
class Item:
    kind: str
    ref: str
    at: float
    conversation: str
    text: str
    lang: str | None
    answer: str
    review: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.ref}"


def items(store: FeedbackStore, include_reviewed: bool = False) -> list[Item]:
    """Newest first."""
    events = tracker.events()
    by_sender: dict[str, list[tracker.Event]] = {}
    for event in events:
        by_sender.setdefault(event.sender, []).append(event)
    found: list[Item] = []
    refused = set()
    for row in store.unanswered(SCAN):
        text = redact(row["text"])
        refused.add((row["conversation"], text))
        talk = by_sender.get(row["conversation"], [])
        found.append(
            Item(
                "unanswered",
                str(row["id"]),
                row["at"],
                row["conversation"],
                text,
                row["lang"],
                tracker.reply_after(talk, row["at"], text),
            )
        )
    for row in store.votes(SCAN):
        if row["value"] >= 0:
            continue
        talk = [e for e in by_sender.get(row["conversation"], []) if e.at <= row["at"] + 1]
        asked = next((e for e in reversed(talk) if e.type == "user" and not e.text.startswith("/")), None)
        answer = tracker.reply_after(talk, asked.at, asked.text) if asked else ""
        found.append(
            Item(
                "vote",
                str(row["id"]),
                row["at"],
                row["conversation"],
                asked.text if asked else redact(row["text"]),
                asked.variety if asked else None,
                answer,
            )
        )
    for event in events:
        confidence = event.confidence
        if (
            event.type != "user"
            or confidence is None
            or event.text.startswith("/")
            or (event.sender, event.text) in refused
        ):
            continue
        if confidence < LOW_CONFIDENCE or event.intent == "nlu_fallback":
            talk = by_sender[event.sender]
            found.append(
                Item(
                    "lowconf",
                    str(event.id),
                    event.at,
                    event.sender,
                    event.text,
                    event.variety,
                    tracker.reply_after(talk, event.at, event.text),
                )
            )
    reviews = store.reviews()
    for item in found:
        item.review = reviews.get((item.kind, item.ref))
    kept = [item for item in found if include_reviewed or item.review is None]
    return sorted(kept, key=lambda item: item.at, reverse=True)


def find(store: FeedbackStore, kind: str, ref: str) -> Item | None:
    return next((item for item in items(store, include_reviewed=True) if item.kind == kind and item.ref == ref), None)
