"""The var directory full or read-only: admins get one line and an unchanged index, citizens still get
an answer (and are told when a handoff request could not be recorded), the log says so once, and the rows
kept meanwhile are written once the disk takes them again.

A real small filesystem (tmpfs) is filled or remounted read-only: root ignores file permissions, not these.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from test_cli_safety import run_cli
from test_versions_faults import one_error_line, state

from actions import resources
from actions.handoff import ActionHandoff
from knowledge import store
from knowledge.feedback import FeedbackStore
from tests.conftest import fill, small_disk


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk", "4M") as mount:
        yield mount


def read_only(disk: Path, on: bool) -> None:
    subprocess.run(["mount", "-o", f"remount,{'ro' if on else 'rw'}", str(disk)], check=True)


@pytest.fixture
def kb_on_disk(kb_env: Path, disk: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture index copied onto the small disk, BERKANE_VAR pointing there; returns its kb folder."""
    shutil.copytree(kb_env, disk / "var" / "kb")
    monkeypatch.setenv("BERKANE_VAR", str(disk / "var"))
    return disk / "var" / "kb"


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_knowledge_add_on_a_broken_disk_is_one_line_and_changes_nothing(
    kb_on_disk: Path, disk: Path, tmp_path: Path, fault: str
) -> None:
    note = tmp_path / "navette.txt"
    note.write_text("Une navette gratuite relie la province et l'ENIAD pendant le forum.", encoding="utf-8")
    before = state(kb_on_disk)
    filler = fill(disk) if fault == "full" else None
    if fault == "read-only":
        read_only(disk, True)
    line = one_error_line(run_cli("add", str(note)))
    reasons = ("No space left", "disk is full") if fault == "full" else ("Read-only", "readonly database")
    assert any(reason in line for reason in reasons) and str(kb_on_disk) in line
    if fault == "read-only":
        read_only(disk, False)
    else:
        filler.unlink()
    assert state(kb_on_disk) == before and not list(kb_on_disk.glob(".staging-*"))
    # once the disk works again, so does the command
    assert run_cli("add", str(note)).returncode == 0 and store.current_version(kb_on_disk) != before[0]


def test_feedback_rows_wait_in_memory_while_the_disk_is_full_and_are_written_after(
    disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feedback = FeedbackStore(disk / "feedback.sqlite")
    assert feedback.record_vote("tg:1", "fx-passport-fr", True)
    filler = fill(disk)
    with caplog.at_level(logging.INFO, logger="knowledge.feedback"):
        outcomes = [feedback.record_handoff(f"tg:{n}", f"agent s'il vous plaît {n}", "fr") for n in range(2, 7)]
        assert outcomes == [False] * 5 and feedback.pending == 5
        assert feedback.handoffs() == []  # reads still work
        filler.unlink()
        assert feedback.record_unanswered("tg:7", "horaires de la piscine ?", "fr")
    assert feedback.pending == 0
    assert [row["conversation"] for row in reversed(feedback.handoffs())] == [f"tg:{n}" for n in range(2, 7)]
    assert len(feedback.votes()) == 1 and len(feedback.unanswered()) == 1
    messages = [record.message for record in caplog.records]
    assert messages.count("feedback store cannot write: rows kept in memory until it can") == 1
    assert messages.count("feedback store writable again") == 1


def test_a_feedback_store_opened_on_a_read_only_disk_answers_and_catches_up(disk: Path) -> None:
    read_only(disk, True)
    feedback = FeedbackStore(disk / "feedback.sqlite")  # no exception: the action server must answer
    assert not feedback.record_vote("tg:1", "fx-passport-fr", False, "ma CIN est AB123456")
    read_only(disk, False)
    assert feedback.record_vote("tg:2", "fx-passport-fr", True)
    assert [(row["conversation"], row["text"]) for row in reversed(feedback.votes())] == [
        ("tg:1", "ma CIN est [id]"),
        ("tg:2", ""),
    ]
    assert (disk / "feedback.sqlite").stat().st_mode & 0o777 == 0o600


def handoff_reply(sender: str) -> str:
    state = Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {"language": "fr", "last_doc_id": "fx-passport-fr"},
            "latest_message": {
                "text": "Je veux parler à un agent",
                "intent": {"name": "human_handoff"},
                "entities": [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        }
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionHandoff().run(dispatcher, state, {}))
    return "\n".join(message.get("text") or "" for message in dispatcher.messages)


def test_a_citizen_is_told_when_a_handoff_request_could_not_be_recorded(kb_on_disk: Path, disk: Path) -> None:
    resources.knowledge_base.cache_clear()
    resources.feedback_store.cache_clear()
    try:
        read_only(disk, True)
        refused = handoff_reply("tg:41")
        read_only(disk, False)
        accepted = handoff_reply("tg:42")
        rows = resources.feedback_store().handoffs()
    finally:
        resources.knowledge_base.cache_clear()
        resources.feedback_store.cache_clear()
    assert "contactez" in refused and "n'a pas pu être enregistrée" in refused and "est enregistrée" not in refused
    assert "Votre demande est enregistrée" in accepted
    assert [row["conversation"] for row in reversed(rows)] == ["tg:41", "tg:42"]  # nothing lost
