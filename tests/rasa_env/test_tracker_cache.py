"""The fast path's conversation store (stack/tracker_cache.py, runs in .venv-rasa) on a real SQLite file: turn
by turn, the tracker it hands Rasa is the one a fresh read of the database builds (masked identifiers
included), and whatever else changes the database (another Rasa server of a cluster writing, an erasure, a
turn that failed before its save, a new model's domain) is seen on the next turn."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from privacy.tracker_store import RedactingSQLTrackerStore
from stack.tracker_cache import CachedSQLTrackerStore

DOMAIN = Domain.load("domain.yml")
ID_CARD, PHONE = "AB123456", "0612345678"


def run(coroutine):
    return asyncio.run(coroutine)


def state(tracker: DialogueStateTracker | None) -> dict | None:
    if tracker is None:
        return None
    current = tracker.current_state(EventVerbosity.ALL)
    for event in current["events"]:
        event.get("metadata", {}).pop("model_id", None)
    return current


def fresh_read(db: Path, sender: str) -> dict | None:
    """What Rasa's own read of the database gives (a store that keeps nothing)."""
    return state(run(RedactingSQLTrackerStore(DOMAIN, db=str(db)).retrieve(sender)))


def turn(store: CachedSQLTrackerStore, sender: str, text: str, slot_value: str) -> DialogueStateTracker:
    """One message as Rasa's processor handles it: read (or create), add the turn's events, save."""

    async def go() -> DialogueStateTracker:
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(UserUttered(text, {"name": "ask_service", "confidence": 0.9}))
        tracker.update(SlotSet("service", slot_value))
        tracker.update(ActionExecuted("action_answer_service"))
        tracker.update(BotUttered(f"Vous avez écrit : {text}"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        return tracker

    return run(go())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def sender() -> str:
    return f"cache-{uuid.uuid4().hex[:8]}"


def test_every_turn_hands_over_what_a_fresh_read_gives_with_identifiers_masked(db: Path, sender: str) -> None:
    store = CachedSQLTrackerStore(DOMAIN, db=str(db))
    texts = ["Bonjour", f"Ma CNIE {ID_CARD} est perdue", f"rappelez-moi au {PHONE}", "merci"]
    for number, text in enumerate(texts):
        kept = turn(store, sender, text, f"cnie {PHONE}" if number == 2 else "cnie")
        assert state(kept) == fresh_read(db, sender)
        handed = run(store.retrieve(sender))
        assert handed is kept, "the kept tracker is handed over, not read again"
        assert state(handed) == fresh_read(db, sender)
    dumped = str(state(run(store.retrieve(sender))))
    assert ID_CARD not in dumped and PHONE not in dumped
    assert run(store.retrieve(sender)).get_slot("service") == "cnie"


def test_a_turn_written_by_another_server_is_read_back(db: Path, sender: str) -> None:
    ours, other = CachedSQLTrackerStore(DOMAIN, db=str(db)), CachedSQLTrackerStore(DOMAIN, db=str(db))
    turn(ours, sender, "Bonjour", "cnie")
    turn(other, sender, "et pour le passeport ?", "passeport")
    handed = run(ours.retrieve(sender))
    assert state(handed) == fresh_read(db, sender)
    assert handed.get_slot("service") == "passeport"
    turn(ours, sender, "merci", "passeport")
    assert state(run(ours.retrieve(sender))) == fresh_read(db, sender)


def test_an_erasure_elsewhere_starts_a_new_conversation(db: Path, sender: str) -> None:
    store = CachedSQLTrackerStore(DOMAIN, db=str(db))
    turn(store, sender, f"Ma CNIE {ID_CARD}", "cnie")
    with sqlite3.connect(db) as connection:  # the back office's erasure runs in another process
        connection.execute("DELETE FROM events WHERE sender_id = ?", (sender,))
    assert run(store.retrieve(sender)) is None


def test_a_turn_that_failed_before_its_save_leaves_nothing_behind(db: Path, sender: str) -> None:
    store = CachedSQLTrackerStore(DOMAIN, db=str(db))
    turn(store, sender, "Bonjour", "cnie")
    tracker = run(store.retrieve(sender))
    tracker.update(UserUttered("une question jamais répondue"))  # then the turn fails: no save
    again = run(store.retrieve(sender))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["Bonjour"]
    assert state(again) == fresh_read(db, sender)


def test_a_new_model_domain_and_a_new_session_read_the_database_again(db: Path, sender: str) -> None:
    store = CachedSQLTrackerStore(DOMAIN, db=str(db))
    kept = turn(store, sender, "Bonjour", "cnie")
    store.domain = Domain.load("domain.yml")
    assert run(store.retrieve(sender)) is not kept
    tracker = run(store.retrieve(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    after = run(store.retrieve(sender))
    assert after is not tracker
    assert state(after) == fresh_read(db, sender)
    assert not [e for e in after.events if isinstance(e, UserUttered)], "only the new session's events"


def test_the_database_stays_private(db: Path, sender: str) -> None:
    turn(CachedSQLTrackerStore(DOMAIN, db=str(db)), sender, "Bonjour", "cnie")
    assert db.stat().st_mode & 0o077 == 0
