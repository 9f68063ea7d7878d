"""Rasa's SQL tracker store that never writes a citizen's ID card, phone number or e-mail in clear.

Loaded by Rasa from the endpoints file by module path (`tracker_store: type:
privacy.tracker_store.RedactingSQLTrackerStore`, with the same keys as `type: SQL`: dialect, db, url, port,
username, password, ... for SQLite and PostgreSQL alike). Rasa keeps the current turn's tracker in memory
with the raw text, so the NLU and the actions see what was typed; only the copy of each new event written
to the database is masked (`privacy.events`). A SQLite database file is created 0600. `erase` and `purge`
delete a sender's events or the old ones (`privacy.web`: a citizen's erasure, the retention period).

When the database refuses a write (disk full, read-only), Rasa's own fallback keeps the tracker in memory but
reads the next turn from the database, so the conversation forgets its last turn and that turn is never
written. Here a refused tracker is held (bounded) and served to the next turn, and every held tracker is
written as soon as a write succeeds again: nothing is dropped once space returns. The failure is logged
once (`observability.health`).
Rasa environment only (imports Rasa).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

from observability import health
from privacy.events import redact_event
from privacy.files import private_file

log = logging.getLogger(__name__)

STORE = "tracker"
HELD_MAX = 10_000  # conversations held in memory while the database refuses writes (then the oldest go)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose saved events have their text parts masked (see the module docstring)."""

    def __init__(
        self, domain: Domain | None = None, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any
    ) -> None:
        if dialect == "sqlite" and db and db != ":memory:":
            private_file(db)
        super().__init__(domain=domain, dialect=dialect, db=db, **kwargs)
        self._held: OrderedDict[str, DialogueStateTracker] = OrderedDict()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the tracker's new events; if the database refuses, hold the tracker until it accepts again."""
        try:
            await super().save(tracker)
        except (SQLAlchemyError, OSError) as error:
            self._hold(tracker, error)
            return
        self._held.pop(tracker.sender_id, None)
        await self._write_held()
        health.recovered(STORE)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """A held tracker (its last turns are not in the database yet) before the stored one."""
        return self._held.get(sender_id) or await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        return self._held.get(sender_id) or await super().retrieve_full_tracker(sender_id)

    def is_held(self, sender_id: str) -> bool:
        """Whether `sender_id`'s last turns wait in memory for the database to take writes again."""
        return sender_id in self._held

    @staticmethod
    def masked(event: Event) -> Event:
        """The copy of `event` that is written: its text parts masked (`privacy.events`)."""
        return Event.from_parameters(redact_event(event.as_dict())) or event

    def _hold(self, tracker: DialogueStateTracker, error: Exception) -> None:
        self._held[tracker.sender_id] = tracker
        self._held.move_to_end(tracker.sender_id)
        if len(self._held) > HELD_MAX:
            self._held.popitem(last=False)
            log.error("held conversation dropped", extra={"event": "tracker_dropped", "held": HELD_MAX})
        health.degraded(STORE, error, held=len(self._held))

    async def _write_held(self) -> None:
        """Write every held tracker now that the database takes writes again (each keeps its place if not)."""
        for sender_id, tracker in list(self._held.items()):
            try:
                await super().save(tracker)
            except (SQLAlchemyError, OSError) as error:
                health.degraded(STORE, error, held=len(self._held))
                return
            self._held.pop(sender_id, None)

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of `sender_id` (their next message starts a new conversation); how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return deleted

    def purge(self, before: float) -> int:
        """Delete every stored event dated before `before` (Unix time), whoever sent it; how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.timestamp < before).delete()
            session.commit()
        return deleted

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events `save` writes (those not stored yet), as masked copies: the tracker itself is unchanged."""
        for event in super()._additional_events(session, tracker):
            yield self.masked(event)
