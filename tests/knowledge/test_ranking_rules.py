"""The pure ranking and refusal rules: twin support across languages, and naming a service."""

from __future__ import annotations

import pytest

from knowledge.ranking import TWIN_SUPPORT, Candidate, support_twins
from knowledge.search import MARGIN_HIGH, MARGIN_LOW, Signals, _confident
from nlu.lexicon import named_services

DOC_OF = {0: "dates-ar", 1: "dates-fr", 2: "venue-ar", 3: "note-fr"}
TOPIC_OF = {
    "dates-ar": "forum_dates",
    "dates-fr": "forum_dates",
    "venue-ar": "forum_venue",
    "venue-fr": "forum_venue",
    "note-fr": "forum_practical",
}


def test_a_topic_matched_in_two_languages_beats_a_slightly_better_single_match() -> None:
    passages = {0: Candidate(0, 0.30, 0.8), 1: Candidate(1, 0.20, 0.8), 2: Candidate(2, 0.32, 0.8)}
    supported = support_twins(passages, DOC_OF, TOPIC_OF)
    assert supported[0].fused == pytest.approx(0.30 + TWIN_SUPPORT * 0.20)
    assert supported[2].fused == 0.32  # its French twin was not matched at all
    assert supported[0].fused > supported[2].fused


def test_a_document_without_translation_is_its_own_twin() -> None:
    supported = support_twins({3: Candidate(3, 0.25, 0.8)}, DOC_OF, TOPIC_OF)
    assert supported[3].fused == pytest.approx(0.25 * (1 + TWIN_SUPPORT))


def test_naming_a_service_lowers_the_margin_needed_to_answer() -> None:
    assert named_services("a quoi correspond le numero 3737") and named_services("ch7al taman l passport?")
    assert not named_services("donne moi une blague")
    short = Signals(dense=0.85, background=0.85 - MARGIN_LOW / 2)
    assert not _confident(short, "hybrid")
    short.named = True
    assert _confident(short, "hybrid")
    assert not _confident(Signals(dense=0.80, background=0.81, named=True), "hybrid")
    assert _confident(Signals(dense=0.85, background=0.85 - MARGIN_HIGH), "dense")
