"""The conversation store of the fast message path (issue 13, step `store`): the masking SQL tracker store with
the conversations it last wrote kept in memory, and SQLite on one pooled connection.

Why: Rasa's SQL tracker store reads every event of the conversation back on every message (one SELECT, a
JSON parse and an Event object per event, then the whole conversation replayed), counts the stored events
again before each save, and opens a new SQLite connection each time. py-spy on
one 300-turn conversation: `retrieve` 55 % of the Rasa server's main thread by the end, so the 300th turn
cost five times the first.

Here, after a tracker is saved, its events are the masked copies that were written (the same objects a reload
would build) and the tracker is kept (LRU, CACHE_MAX conversations). The next `retrieve` of that sender checks
in one indexed query that the database still holds exactly what was written (`count` and `max(id)` of the
sender's rows: another Rasa server of a cluster writing, an erasure or a retention purge all change them) and
hands the kept tracker over; Rasa adds the turn's events to that object (Rasa's per-sender lock keeps anyone
else from it meanwhile; a turn that fails before its save leaves events the next `retrieve` notices), and the
save that follows writes only the events after the known count. Anything else (a first message, another process
having written, a save of a tracker that was not handed out, a new session) takes Rasa's path, so what a
citizen sees is what a reload gives: tests/rasa_env/test_tracker_cache.py compares both turn by turn.

SQLite (the embedded default): SQLAlchemy 1.4 opens a file database per session (NullPool); here one pooled
connection. WAL mode was tried and left out: with it, the retention purge at server start left a conversation's
old events in place when run after the other security tests (tests/security, not alone); the cause is not
established.
Rasa environment only (imports Rasa).
"""

from __future__ import annotations

import functools
import itertools
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

from privacy.tracker_store import RedactingSQLTrackerStore
from stack import rasa_patches

CACHE_MAX = 1_000  # conversations kept in memory (the least recently used go first)


@dataclass
class Stored:
    """What the database holds for one sender: how many rows and the last row's id."""

    count: int
    last_id: int | None


@dataclass
class Kept:
    """A tracker as the database holds it (`stored`), with `events` events of which the last is `last`."""

    tracker: DialogueStateTracker
    stored: Stored
    events: int
    last: Event | None

    @classmethod
    def of(cls, tracker: DialogueStateTracker, stored: Stored) -> Kept:
        return cls(tracker, stored, len(tracker.events), tracker.events[-1] if tracker.events else None)

    def untouched(self) -> bool:
        """No event was added since it was kept (a turn that failed before its save leaves events behind)."""
        events = self.tracker.events
        return len(events) == self.events and (events[-1] if events else None) is self.last


def _sqlite_engine(url: Any) -> sa.engine.Engine:
    """A SQLite engine on one pooled connection (SQLAlchemy 1.4 opens a file database per session otherwise)."""
    return sa.create_engine(
        url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4, connect_args={"check_same_thread": False}
    )


class CachedSQLTrackerStore(RedactingSQLTrackerStore):
    """RedactingSQLTrackerStore that keeps the trackers it wrote (see the module docstring)."""

    def __init__(
        self, domain: Domain | None = None, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any
    ) -> None:
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._saving: DialogueStateTracker | None = None
        self._written: list[Event] = []
        super().__init__(domain=domain, dialect=dialect, db=db, **kwargs)
        if dialect == "sqlite" and db and db != ":memory:":
            url = self.engine.url
            self.engine.dispose()
            self.engine = _sqlite_engine(url)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        """A new model's domain (other slots) makes every kept tracker stale."""
        self._domain = domain or Domain.empty()
        self._kept.clear()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The kept tracker when it and the database still hold what was last written; Rasa's read otherwise."""
        kept = self._kept.pop(sender_id, None)
        fresh = kept is not None and kept.untouched() and not self.is_held(sender_id)
        if fresh and self._stored(sender_id) == kept.stored:
            self._kept[sender_id] = kept
            return kept.tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None and not self.is_held(sender_id) and self.event_broker is None:
            self._keep(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the new events (counted from the kept tracker when it is this one), then keep the tracker."""
        self._saving, self._written = tracker, []
        try:
            await super().save(tracker)
        finally:
            self._saving = None
        sender_id, written = tracker.sender_id, self._written
        self._kept.pop(sender_id, None)
        if self.is_held(sender_id) or self.event_broker is not None:
            return  # refused (the held tracker is served until it is written); a broker reads the store back
        if any(isinstance(event, SessionStarted) for event in written):
            return  # a new session: Rasa's read keeps only that session's events
        start = len(tracker.events) - len(written)
        for offset, event in enumerate(written):  # the masked copies, as a reload would build them
            tracker.events[start + offset] = event
        for event in written:
            event.apply_to(tracker)
        rasa_patches.rebase_states(tracker)
        self._keep(tracker)

    def erase(self, sender_id: str) -> int:
        self._kept.pop(sender_id, None)
        return super().erase(sender_id)

    def purge(self, before: float) -> int:
        self._kept.clear()
        return super().purge(before)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The masked new events, after the kept count (no counting query) when the kept tracker is saved."""
        kept = self._kept.get(tracker.sender_id)
        if kept is not None and kept.tracker is tracker:
            events: Iterator[Event] = (
                self.masked(event) for event in itertools.islice(tracker.events, kept.events, None)
            )
        else:
            events = super()._additional_events(session, tracker)
        for event in events:
            if tracker is self._saving:
                self._written.append(event)
            yield event

    def _stored(self, sender_id: str) -> Stored | None:
        """The sender's rows now (None when the database cannot say: nothing is kept or handed out then).

        One statement on a pooled connection, not an ORM session and query: 0.14 instead of 0.50 ms alone, and
        it runs twice per message on the event loop (py-spy at 32 users: 17 % of that thread's samples)."""
        try:
            with self.engine.connect() as connection:
                count, last_id = connection.execute(self._count_statement, {"sender": sender_id}).one()
        except (SQLAlchemyError, OSError):
            return None
        return Stored(int(count), last_id)

    @functools.cached_property
    def _count_statement(self) -> sa.sql.Select:
        """count and max(id) of one sender's rows (the sender bound at each execution)."""
        table = self.SQLEvent.__table__
        return sa.select(sa.func.count(table.c.id), sa.func.max(table.c.id)).where(
            table.c.sender_id == sa.bindparam("sender")
        )

    def _keep(self, tracker: DialogueStateTracker) -> None:
        """Keep `tracker` (all its events stored) with what the database holds for it now."""
        stored = self._stored(tracker.sender_id)
        if stored is None:
            return
        self._kept[tracker.sender_id] = Kept.of(tracker, stored)
        while len(self._kept) > CACHE_MAX:
            self._kept.popitem(last=False)
