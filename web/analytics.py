"""Figures for the analytics page, over a date range: from the tracker store and the structured logs.

Messages per day and per variety, and reply latency (user message to the bot's first reply), come from the
tracker; refusals, handoffs and votes from the feedback file; answers by kind from the action server's JSON
log lines (`var/logs/actions.log`, observability/jsonlog.py).
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from knowledge.feedback import FeedbackStore
from privacy.redact import redact
from settings import var_dir
from web import tracker

TOP = 10
DEFAULT_DAYS = 30
LOG_FILE = "actions.log"
# what the action server logs once per answer it gives (actions/*.py), by kind
ANSWER_LOGS = ("answer", "unanswered question recorded", "vote", "handoff requested")


def date_range(start: str | None, end: str | None, today: date | None = None) -> tuple[date, date]:
    """The [start, end] days asked for (ISO dates), by default the last 30 days; ValueError on a bad date."""
    today = today or date.today()
    last = date.fromisoformat(end) if end else today
    first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValueError("la date de début est après la date de fin")
    return first, last


def _stamp(day: date) -> float:
    return datetime.combine(day, datetime.min.time()).timestamp()


def compute(first: date, last: date, store: FeedbackStore | None = None) -> dict[str, Any]:
    store = store or FeedbackStore()
    since, until = _stamp(first), _stamp(last + timedelta(days=1))
    events = tracker.events(since, until)
    users = [e for e in events if e.type == "user" and not e.text.startswith("/")]
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    per_day = Counter(datetime.fromtimestamp(e.at).date().isoformat() for e in users)
    per_variety = Counter(e.variety or "?" for e in users)
    refused = store.rows_between("unanswered", since, until)
    handoffs = store.rows_between("handoffs", since, until)
    votes = store.rows_between("votes", since, until)
    up = sum(1 for v in votes if v["value"] > 0)
    down = len(votes) - up
    latencies = _latencies(events)
    return {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "messages": len(users),
        "days": days,
        "per_day": [per_day.get(day, 0) for day in days],
        "per_variety": dict(per_variety.most_common()),
        "outcomes": {
            "answered": max(0, len(users) - len(refused) - len(handoffs)),
            "refused": len(refused),
            "handed_off": len(handoffs),
        },
        "votes": {"up": up, "down": down, "up_rate": round(100 * up / len(votes), 1) if votes else None},
        "top_questions": Counter(e.text.casefold() for e in users).most_common(TOP),
        "top_unanswered": Counter(redact(row["text"]).casefold() for row in refused).most_common(TOP),
        "median_latency_ms": round(1000 * statistics.median(latencies)) if latencies else None,
        "log_events": log_counts(since, until),
    }


def _latencies(events: list[tracker.Event]) -> list[float]:
    """Seconds from each user message to the first bot message after it in the same conversation."""
    waiting: dict[str, float] = {}
    found: list[float] = []
    for event in events:
        if event.type == "user":
            waiting[event.sender] = event.at
        elif event.sender in waiting:
            found.append(event.at - waiting.pop(event.sender))
    return found


def log_counts(since: float, until: float, path: Path | None = None) -> dict[str, int]:
    """How many answers of each kind the action server logged in [since, until) ("knowledge answer" …)."""
    path = path or var_dir() / "logs" / LOG_FILE
    counts: Counter[str] = Counter()
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
                at = datetime.fromisoformat(entry["time"]).timestamp()
            except (ValueError, KeyError, TypeError):
                continue
            message = str(entry.get("message", ""))
            if (
                since <= at < until
                and str(entry.get("logger", "")).startswith("actions")
                and message.endswith(ANSWER_LOGS)
            ):
                counts[message] += 1
    return dict(counts.most_common())
