"""Citizens' feedback is kept for the team, without their ID card, phone number or e-mail in clear."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from knowledge.feedback import FeedbackStore
from privacy.redact import redact


@pytest.mark.parametrize(
    "text, secret, mask",
    [
        ("ma carte AB123456 est perdue", "AB123456", "[id]"),
        ("رقم بطاقتي هو K654321 من فضلك", "K654321", "[id]"),
        ("appelez moi au 06 12 34 56 78", "06 12 34 56 78", "[phone]"),
        ("mon numero +212 6 12 34 56 78 svp", "6 12 34 56 78", "[phone]"),
        ("3iyet liya f 0712345678", "0712345678", "[phone]"),
        ("رقمي ٠٦١٢٣٤٥٦٧٨", "٠٦١٢٣٤٥٦٧٨", "[phone]"),
        ("ecrivez a ahmed.benali@gmail.com", "ahmed.benali@gmail.com", "[email]"),
    ],
)
def test_identifiers_are_masked(text: str, secret: str, mask: str) -> None:
    masked = redact(text)
    assert secret not in masked and mask in masked


@pytest.mark.parametrize(
    "text",
    [
        "le passeport coute 500 DH depuis 2018",
        "appelez le 3737",
        "loi 09-08 et decret 2-17-265",
        "الملتقى يومي 10 و11 أبريل 2025",
    ],
)
def test_ordinary_facts_are_kept(text: str) -> None:
    assert redact(text) == text


def test_feedback_is_stored_redacted_and_listed_newest_first(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    with caplog.at_level(logging.INFO):
        store.record_vote("tg:1", "service-passport-fr", True, "merci, ma CIN est AB123456")
        store.record_vote("tg:2", "service-passport-fr", -1, None)
        store.record_unanswered("tg:1", "wach kayn chi 7aja l 0612345678?", "ary_Latn")
        store.record_handoff("tg:3", "bghit nhder m3a chi wa7ed", "ary_Latn", "Annexe administrative")
    votes = store.votes()
    assert [v["value"] for v in votes] == [-1, 1] and "AB123456" not in votes[1]["text"]
    assert store.vote_summary() == [{"doc_id": "service-passport-fr", "up": 1, "down": 1}]
    assert "0612345678" not in store.unanswered()[0]["text"] and store.unanswered()[0]["lang"] == "ary_Latn"
    assert store.handoffs()[0]["office"] == "Annexe administrative"
    assert "AB123456" not in caplog.text and "0612345678" not in caplog.text
    # a second store on the same file (another process) sees the same rows
    assert len(FeedbackStore(tmp_path / "feedback.sqlite").votes()) == 2
