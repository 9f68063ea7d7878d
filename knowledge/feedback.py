"""What citizens told us: votes on answers, questions we could not answer, requests for a human.

One SQLite file (`var/feedback.sqlite`), opened per call so the action server and the admin CLI can share it.
Every text is redacted (`privacy.redact`) before it is stored: no ID card, phone or e-mail in clear; the
file is readable by its owner only (0600).

A citizen must get an answer even when `var/` is full or read-only: a row that cannot be written waits in
a small in-memory queue (in order, at most PENDING_MAX) and is written with the next one once the disk
takes it again. The log says so once when writing starts failing and once when it works again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from contextlib import closing
from pathlib import Path
from typing import Any

from privacy import vault
from privacy.erase import FEEDBACK_FILE, erase_sender, purge_before
from privacy.files import private_file
from privacy.redact import redact
from settings import var_dir

log = logging.getLogger(__name__)
PENDING_MAX = 1000  # rows kept in memory while the disk refuses them (then the oldest go)

SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (id INTEGER PRIMARY KEY, at REAL NOT NULL, conversation TEXT, doc_id TEXT,
    value INTEGER NOT NULL, text TEXT);
CREATE TABLE IF NOT EXISTS unanswered (id INTEGER PRIMARY KEY, at REAL NOT NULL, conversation TEXT, text TEXT,
    lang TEXT);
CREATE TABLE IF NOT EXISTS handoffs (id INTEGER PRIMARY KEY, at REAL NOT NULL, conversation TEXT, text TEXT,
    lang TEXT, office TEXT);
CREATE TABLE IF NOT EXISTS reviews (kind TEXT NOT NULL, ref TEXT NOT NULL, at REAL NOT NULL, actor TEXT,
    outcome TEXT NOT NULL, detail TEXT, PRIMARY KEY (kind, ref));
"""
# added after the first release: a file made before gets them at open
LATER_COLUMNS = {"handoffs": {"callback": "TEXT", "closed": "REAL", "answered": "REAL"}}
# what the team did with a queue item (the back office): the right intent given, an answer written or linked, dismissed
REVIEW_OUTCOMES = ("intent", "answer", "dismissed")


class FeedbackStore:
    """Votes, unanswered questions and handoff requests, each a row with a time stamp."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else var_dir() / FEEDBACK_FILE
        self._pending: deque[tuple[str, dict[str, Any]]] = deque()
        self._lock = threading.Lock()
        self._failing: str | None = None  # why writing fails, while it does
        self._dropped = 0
        self._ready = False
        try:
            self._prepare()
        except (OSError, sqlite3.Error) as error:
            self._fail(error)

    def _prepare(self) -> None:
        private_file(self.path)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)
            for table, columns in LATER_COLUMNS.items():
                present = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
                for name, kind in columns.items():
                    if name not in present:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self._ready = True

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    @property
    def pending(self) -> int:
        """Rows waiting in memory for the disk (0 when the store is healthy)."""
        return len(self._pending)

    def _insert(self, table: str, row: dict[str, Any]) -> bool:
        """Store `row` (after any row still waiting); False when it could only be queued in memory."""
        row = {"at": time.time(), **row}
        with self._lock:
            self._pending.append((table, row))
            written = self._flush()
        if written:
            logged = {key: value for key, value in row.items() if key not in ("at", "callback")}
            log.info("feedback recorded", extra={"table": table, **logged})
        return written

    def _flush(self) -> bool:
        """Write every waiting row in one transaction (all or none, so a retry never duplicates one)."""
        count = len(self._pending)
        try:
            if not self._ready:
                self._prepare()
            with closing(self._connect()) as db, db:
                for table, row in self._pending:
                    db.execute(
                        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()),
                    )
        except (OSError, sqlite3.Error) as error:
            self._fail(error)
            while len(self._pending) > PENDING_MAX:
                self._pending.popleft()
                self._dropped += 1
            return False
        self._pending.clear()
        if self._failing:
            log.warning(
                "feedback store writable again",
                extra={"path": str(self.path), "written": count, "dropped": self._dropped},
            )
            self._failing, self._dropped = None, 0
        return True

    def _fail(self, error: Exception) -> None:
        if self._failing is None:
            log.error(
                "feedback store cannot write: rows kept in memory until it can",
                extra={"path": str(self.path), "reason": str(error), "limit": PENDING_MAX},
            )
        self._failing = str(error)

    def record_vote(self, conversation: str, doc_id: str | None, value: int | bool, text: str | None = None) -> bool:
        """A thumbs up (value > 0 / True) or down on the answer taken from `doc_id`; False: only queued."""
        vote = 1 if (value is True or (not isinstance(value, bool) and value > 0)) else -1
        return self._insert(
            "votes", {"conversation": conversation, "doc_id": doc_id, "value": vote, "text": redact(text)}
        )

    def record_unanswered(self, conversation: str, text: str, lang: str | None = None) -> bool:
        return self._insert("unanswered", {"conversation": conversation, "text": redact(text), "lang": lang})

    def record_handoff(
        self,
        conversation: str,
        text: str,
        lang: str | None = None,
        office: str | None = None,
        callback: str | None = None,
    ) -> bool:
        """A request for a person; False when it could not be written yet (the citizen must be told).
        `callback`, a phone number to call back, is stored encrypted (`privacy.vault`) until the request is closed."""
        return self._insert(
            "handoffs",
            {
                "conversation": conversation,
                "text": redact(text),
                "lang": lang,
                "office": office,
                "callback": vault.seal(callback),
            },
        )

    def close_handoff(self, handoff_id: int) -> bool:
        """Mark a request done and delete its call-back number; False when there is no open request `handoff_id`."""
        return self._mark_handoff(handoff_id, "closed", "closed = ?, callback = NULL", "closed IS NULL")

    def answer_handoff(self, handoff_id: int) -> bool:
        """Mark an open request answered (the team reached the citizen; the number stays until it is closed)."""
        return self._mark_handoff(handoff_id, "answered", "answered = ?", "closed IS NULL AND answered IS NULL")

    def _mark_handoff(self, handoff_id: int, status: str, change: str, when: str) -> bool:
        with closing(self._connect()) as db, db:
            done = db.execute(
                f"UPDATE handoffs SET {change} WHERE id = ? AND {when}", (time.time(), handoff_id)
            ).rowcount
        log.info(f"handoff {status}", extra={"id": handoff_id, status: bool(done)})
        return bool(done)

    def review(self, kind: str, ref: str, outcome: str, actor: str, detail: str | None = None) -> None:
        """Record what the team did with queue item `kind`/`ref` (one review per item; a new one replaces it)."""
        if outcome not in REVIEW_OUTCOMES:
            raise ValueError(f"outcome must be one of {REVIEW_OUTCOMES}")
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO reviews (kind, ref, at, actor, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, ref, time.time(), actor, outcome, redact(detail) if detail else None),
            )

    def reviews(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every review, by (kind, ref)."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM reviews").fetchall()
        return {(row["kind"], row["ref"]): dict(row) for row in rows}

    def rows_between(self, table: str, since: float, until: float) -> list[dict[str, Any]]:
        """Rows of `table` (votes, unanswered, handoffs) dated in [since, until), oldest first."""
        if table not in ("votes", "unanswered", "handoffs"):
            raise ValueError(f"no table {table!r}")
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT * FROM {table} WHERE at >= ? AND at < ? ORDER BY at", (since, until)).fetchall()
        return [dict(row) for row in rows]

    def erase(self, conversation: str) -> dict[str, int]:
        """Delete every row of `conversation` (the citizen's erasure); rows deleted per table."""
        return erase_sender(self.path, conversation)

    def purge(self, before: float) -> dict[str, int]:
        """Delete every row dated before `before` (Unix time, the retention period); rows deleted per table."""
        return purge_before(self.path, before)

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
        """Newest first, each call-back number in clear for the team (it is encrypted in the file)."""
        return [
            {**row, "callback": vault.unseal(row.get("callback")), "status": handoff_status(row)}
            for row in self._list("handoffs", limit)
        ]

    def vote_summary(self) -> list[dict[str, Any]]:
        """Per document: up votes, down votes (worst first), to find answers to fix."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT doc_id, SUM(value > 0) AS up, SUM(value < 0) AS down FROM votes "
                "GROUP BY doc_id ORDER BY down DESC, up ASC"
            ).fetchall()
        return [dict(row) for row in rows]


def handoff_status(row: dict[str, Any]) -> str:
    """open (waiting for the team), answered (the citizen was reached) or closed (done, number deleted)."""
    if row.get("closed"):
        return "closed"
    return "answered" if row.get("answered") else "open"
