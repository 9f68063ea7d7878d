"""Read-only access to the conversations Rasa's SQL tracker store keeps (its `events` table).

SQLite (`var/tracker.db`) by default, PostgreSQL when BERKANE_TRACKER_DB_URL is set, read with sqlite3 and
psycopg directly: the back office needs a few SELECTs, not Rasa. Texts are masked again on the way out
(`privacy.redact`), although the store already masks them, so nothing shown depends on how a row was written.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import settings
from privacy.erase import TRACKER_FILE
from privacy.redact import redact

TYPES = ("user", "bot")


@dataclass
class Event:
    id: int
    sender: str
    type: str
    at: float
    data: dict[str, Any]

    @property
    def text(self) -> str:
        return redact(self.data.get("text") or "")

    @property
    def intent(self) -> str | None:
        return (self.data.get("parse_data") or {}).get("intent", {}).get("name")

    @property
    def confidence(self) -> float | None:
        return (self.data.get("parse_data") or {}).get("intent", {}).get("confidence")

    @property
    def variety(self) -> str | None:
        """The language the NLU's LanguageIdentifier set on a user message."""
        for entity in (self.data.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == "language":
                return entity.get("value")
        return None


def _query(sql: str, params: list[Any]) -> list[tuple]:
    url = settings.get().tracker_db_url
    if url:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg2://", "postgresql://"), connect_timeout=10) as db:
            return db.execute(sql.replace("?", "%s"), params).fetchall()
    path = settings.var_dir() / TRACKER_FILE
    if not path.is_file():
        return []
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as db:
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # Rasa has not created its table yet
            return []


def events(
    since: float | None = None, until: float | None = None, sender: str | None = None, types: tuple = TYPES
) -> list[Event]:
    """User and bot events (or `types`), oldest first, optionally of one sender or a time range."""
    where = [f"type_name IN ({', '.join('?' * len(types))})"]
    params: list[Any] = list(types)
    if since is not None:
        where.append("timestamp >= ?")
        params.append(since)
    if until is not None:
        where.append("timestamp < ?")
        params.append(until)
    if sender is not None:
        where.append("sender_id = ?")
        params.append(sender)
    rows = _query(
        "SELECT id, sender_id, type_name, timestamp, data FROM events"
        f" WHERE {' AND '.join(where)} ORDER BY timestamp, id",
        params,
    )
    return [Event(row[0], row[1], row[2], row[3] or 0.0, json.loads(row[4] or "{}")) for row in rows]


def reply_after(conversation: list[Event], at: float, text: str | None = None) -> str:
    """The bot's reply to the user message at about `at` (the one with `text` when given): the bot messages
    that follow it, until the next user message."""
    users = [e for e in conversation if e.type == "user" and (text is None or e.text == text)]
    if not users:
        return ""
    asked = min(users, key=lambda e: abs(e.at - at))
    replies: list[str] = []
    for event in conversation[conversation.index(asked) + 1 :]:
        if event.type == "user":
            break
        replies.append(event.text)
    return "\n".join(replies)
