"""Deleting a citizen's data: everything of one sender (their right to erasure), or everything older than the
retention period (law 09-08: keep personal data no longer than needed).

Plain module (sqlite3 only, no Rasa, no `settings`): the Rasa server uses it for the feedback file when a
citizen erases their conversation, the admin command line for `purge`. The tracker store deletes its own
events (`privacy.tracker_store`, any SQL dialect); `tracker_sqlite` does it on a SQLite tracker file for
tools that run without Rasa.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

FEEDBACK_FILE = "feedback.sqlite"
TRACKER_FILE = "tracker.db"
DEFAULT_RETENTION_DAYS = 90
DAY = 86400.0

# table -> (column naming the sender, column holding the time of the row); the tracker's is Rasa's `events`
FEEDBACK_TABLES = {
    "votes": ("conversation", "at"),
    "unanswered": ("conversation", "at"),
    "handoffs": ("conversation", "at"),
}
TRACKER_TABLE = {"events": ("sender_id", "timestamp")}


def erase_sender(db: Path, sender: str, tables: dict[str, tuple[str, str]] = FEEDBACK_TABLES) -> dict[str, int]:
    """Delete every row of `sender` in `tables` of the SQLite file `db`; rows deleted per table."""
    return _delete(db, tables, 0, sender)


def purge_before(db: Path, before: float, tables: dict[str, tuple[str, str]] = FEEDBACK_TABLES) -> dict[str, int]:
    """Delete every row of `tables` in `db` dated before `before` (Unix time); rows deleted per table."""
    return _delete(db, tables, 1, before)


def _delete(db: Path, tables: dict[str, tuple[str, str]], column: int, value: object) -> dict[str, int]:
    """One transaction over all tables (all deleted or none); a missing file or table deletes nothing."""
    if not Path(db).is_file():
        return {table: 0 for table in tables}
    operator = "=" if column == 0 else "<"
    counts: dict[str, int] = {}
    with closing(sqlite3.connect(db, timeout=10)) as connection, connection:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in tables.items():
            counts[table] = (
                connection.execute(f"DELETE FROM {table} WHERE {columns[column]} {operator} ?", (value,)).rowcount
                if table in present
                else 0
            )
    return counts


def cutoff(days: int, now: float) -> float:
    """The Unix time before which rows are older than `days` days."""
    return now - days * DAY
