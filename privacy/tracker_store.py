"""Rasa's SQL tracker store that never writes a citizen's ID card, phone number or e-mail in clear.

Loaded by Rasa from the endpoints file by module path (`tracker_store: type:
privacy.tracker_store.RedactingSQLTrackerStore`, with the same keys as `type: SQL`: dialect, db, url, port,
username, password, ... for SQLite and PostgreSQL alike). Rasa keeps the current turn's tracker in memory
with the raw text, so the NLU and the actions see what was typed; only the copy of each new event written
to the database is masked (`privacy.events`). A SQLite database file is created 0600. `erase` and `purge`
delete a sender's events or the old ones (`privacy.web`: a citizen's erasure, the retention period).
Rasa environment only (imports Rasa).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.events import redact_event
from privacy.files import private_file


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose saved events have their text parts masked (see the module docstring)."""

    def __init__(
        self, domain: Domain | None = None, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any
    ) -> None:
        if dialect == "sqlite" and db and db != ":memory:":
            private_file(db)
        super().__init__(domain=domain, dialect=dialect, db=db, **kwargs)

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
            yield Event.from_parameters(redact_event(event.as_dict())) or event
