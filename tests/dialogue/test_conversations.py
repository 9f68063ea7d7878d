"""Conversations through the real Rasa and action servers (session fixture `stack`), as a citizen has them."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN = re.compile(r"[A-Za-z]")
LINKS = re.compile(r"https?://\S+|\b[\w.-]+\.(?:ma|com|org)\b")


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def mostly_arabic(text: str) -> bool:
    bare = LINKS.sub(" ", text)
    return len(ARABIC.findall(bare)) > len(LATIN.findall(bare))


def sender() -> str:
    return f"dialogue-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize(
    "text, fact",
    [
        ("متى ينعقد الملتقى الدولي حول المدن الذكية؟", "11"),
        ("امتى غادي ينعقد الملتقى ديال بركان؟", "11"),
        ("imta kayn l forum dyal berkane?", "11"),
        ("Quelles sont les dates du forum des villes intelligentes ?", "avril"),
    ],
)
def test_forum_question_answered_with_the_fact_and_a_source(stack, text, fact):
    replies = stack.say(text)
    said = text_of(replies)
    assert fact in said and "10" in said
    assert "📄" in said
    assert any(b["payload"].startswith("/feedback_positive") for r in replies for b in r.get("buttons") or [])


@pytest.mark.parametrize(
    "text, fact",
    [
        ("كم يكلف جواز السفر البيومتري؟", "500"),
        ("شحال كيسوا الباسبور؟", "500"),
        ("ch7al khassni nkhelles 3la l passport?", "500"),
        ("Quel est le prix d'un passeport ?", "500"),
    ],
)
def test_service_question_answered_with_the_fact_and_a_source(stack, text, fact):
    said = text_of(stack.say(text))
    assert fact in said and "📄" in said


@pytest.mark.parametrize(
    "first, follow_up",
    [
        ("Comment faire un passeport ?", "et le prix ?"),
        ("kifach ndir l passport?", "w ch7al?"),
    ],
)
def test_follow_up_keeps_the_service(stack, first, follow_up):
    who = sender()
    stack.say(first, sender=who)
    said = text_of(stack.say(follow_up, sender=who))
    assert "500" in said


def test_programme_by_day_shows_that_day(stack):
    said = text_of(stack.say("Quel est le programme du vendredi 11 avril ?"))
    assert "vendredi 11 avril 2025" in said
    assert "provisoire" in said


def test_handoff_gives_an_office_and_is_recorded(stack):
    who = sender()
    said = text_of(stack.say("أرغب في التواصل مع موظف من الإدارة", sender=who))
    assert "موظف" in said and "🏢" in said
    with sqlite3.connect(stack.var_dir / "feedback.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM handoffs WHERE conversation = ?", (who,)).fetchone()[0] == 1


@pytest.mark.parametrize(
    "text, arabic",
    [
        ("شنو أحسن فيلم خرج هاد العام؟", True),
        ("Tu connais une bonne recette de tajine ?", False),
        ("chkoun rbe7 l match lbare7?", True),  # Arabizi: Darija in Arabic script, as every answer to it
    ],
)
def test_out_of_scope_is_declined_in_the_users_script(stack, text, arabic):
    said = text_of(stack.say(text))
    assert said
    assert mostly_arabic(said) == arabic
    assert "watiqa" not in said and "500" not in said


def test_vote_button_is_stored(stack):
    who = sender()
    replies = stack.say("C'est quand le forum ?", sender=who)
    vote = next(b["payload"] for r in replies for b in r.get("buttons") or [] if "feedback_positive" in b["payload"])
    stack.say(vote, sender=who)  # the offered button itself (a typed payload is read as text)
    with sqlite3.connect(stack.var_dir / "feedback.sqlite") as db:
        row = db.execute("SELECT doc_id, value FROM votes WHERE conversation = ?", (who,)).fetchone()
    assert row == ("forum-dates-fr", 1)


def test_without_the_action_server_rasa_still_talks_and_recovers(stack):
    who, arabizi = sender(), sender()
    assert mostly_arabic(text_of(stack.say("imta ghadi ykoun l forum?", sender=arabizi)))
    empty = text_of(stack.say("   ", sender=arabizi))
    stack.stop_actions()
    try:  # a greeting needs the actions now (it may carry a question): a goodbye is Rasa's own reply
        assert "Au revoir" in text_of(stack.say("Au revoir", sender=who))
        down = text_of(stack.say("w fin kayn?", sender=arabizi))
    finally:
        stack.start_actions()
    # the channel's own replies (empty message, try again) are in the conversation's variety and script: Darija
    # in Arabic script for an Arabizi conversation, as the assistant's answers to it
    assert empty and mostly_arabic(empty) and down and mostly_arabic(down)
    assert empty != down
    said = text_of(stack.say("Quand a lieu le forum ?", sender=who))
    assert "avril" in said and "📄" in said


def test_chosen_language_wins_over_the_language_written(stack):
    who = sender()
    stack.say("réponds en arabe", sender=who)
    said = text_of(stack.say("Quand a lieu le forum ?", sender=who))
    assert mostly_arabic(said) and "11" in said
