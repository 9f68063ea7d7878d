"""What citizens told us: votes on answers, questions we could not answer, requests for a human.

One SQLite file (`var/feedback.sqlite`), opened per call so the action server and the admin CLI can share it.
Every text is redacted (`privacy.redact`) before it is stored: no ID card, phone or e-mail in clear; the
file is readable by its owner only (0600).
"""
from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from privacy.files import private_file
from privacy.redact import redact
from settings import var_dir

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (id INTEGER PRIMARY KEY, at REAL NOT NULL, conversation TEXT, doc_id TEXT,
    value INTEGER NOT NULL, text TEXT);
CREATE TABLE IF NOT EXISTS unanswered (id INTEGER PRIMARY KEY, at REAL NOT NULL, conversation TEXT, text TEXT,
    lang TEXT);
CREATE TABLE IF NOT EXISTS handoffs (id INTEGER PRIMARY KEY, at REAL NOT NULL, conversation TEXT, text TEXT,
    lang TEXT, office TEXT);
"""


class FeedbackStore:
    """Votes, unanswered questions and handoff requests, each a row with a time stamp."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else var_dir() / "feedback.sqlite"
        private_file(self.path)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        row = {"at": time.time(), **row}
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        with closing(self._connect()) as db, db:
            db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        log.info("feedback recorded", extra={"table": table, **{k: v for k, v in row.items() if k != "at"}})

    def record_vote(self, conversation: str, doc_id: str | None, value: int | bool, text: str | None = None) -> None:
        """A thumbs up (value > 0 / True) or down on the answer taken from `doc_id`."""
        vote = 1 if (value is True or (not isinstance(value, bool) and value > 0)) else -1
        self._insert("votes", {"conversation": conversation, "doc_id": doc_id, "value": vote, "text": redact(text)})

    def record_unanswered(self, conversation: str, text: str, lang: str | None = None) -> None:
        self._insert("unanswered", {"conversation": conversation, "text": redact(text), "lang": lang})

    def record_handoff(self, conversation: str, text: str, lang: str | None = None, office: str | None = None) -> None:
        self._insert("handoffs", {"conversation": conversation, "text": redact(text), "lang": lang, "office": office})

    def _list(self, table: str, limit: int) -> list[dict[str, Any]]:
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT * FROM {table} ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) for row in rows]

    def votes(self, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first."""
        return self._list("votes", limit)

    def unanswered(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._list("unanswered", limit)

    def handoffs(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._list("handoffs", limit)

    def vote_summary(self) -> list[dict[str, Any]]:
        """Per document: up votes, down votes (worst first), to find answers to fix."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT doc_id, SUM(value > 0) AS up, SUM(value < 0) AS down FROM votes "
                              "GROUP BY doc_id ORDER BY down DESC, up ASC").fetchall()
        return [dict(row) for row in rows]
