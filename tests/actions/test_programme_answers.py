"""The programme by day, time or topic (`action_answer_programme` and `actions.schedule`).

"Today" is the action's clock, fixed here: the forum ran on Thursday 10 and Friday 11 April 2025, and the
same question gets a different answer before, during and after it, whatever day the tests run.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from action_harness import run, said, styled, tracker

from actions.programme import ActionAnswerProgramme
from actions.schedule import resolve_day

FORUM = [dt.date(2025, 4, 10), dt.date(2025, 4, 11)]
BEFORE, DAY_ONE, DAY_TWO, AFTER = dt.date(2025, 3, 20), dt.date(2025, 4, 10), dt.date(2025, 4, 11), dt.date(2026, 1, 1)


def reply(today: dt.date, day: str | None, text: str = "Qu'est-ce qu'il y a ?", language: str = "fr") -> list[dict]:
    """The messages the action sends when asked about `day` (the NLU's `day` entity) on the date `today`."""
    state = tracker("programme_day", text=text, language=language)
    state.latest_message["entities"] = [{"entity": "day", "value": day}] if day else []
    return run(ActionAnswerProgramme(today=lambda: today), state)[0]


def ask(today: dt.date, day: str | None, text: str = "Qu'est-ce qu'il y a ?", language: str = "fr") -> str:
    """What the user sees (plain text and buttons)."""
    return said(reply(today, day, text, language))


@pytest.mark.parametrize(
    "value, today, expected",
    [
        ("11", AFTER, DAY_TWO),
        ("friday", AFTER, DAY_TWO),
        ("thursday", AFTER, DAY_ONE),
        ("tomorrow", DAY_ONE, DAY_TWO),  # asked during the forum
        ("today", DAY_TWO, DAY_TWO),
        ("tomorrow", DAY_TWO, None),  # the forum ends today
        ("tomorrow", AFTER, None),  # asked after the forum: no forum day
        ("sunday", AFTER, None),
        ("12", AFTER, None),
    ],
)
def test_day_words_resolve_to_forum_days(value, today, expected):
    assert resolve_day(value, FORUM, today) == expected


@pytest.mark.parametrize("today", [BEFORE, DAY_ONE, AFTER])
def test_a_day_of_the_month_shows_only_that_day_with_provisional_items_labelled(kb_var, today):
    messages = reply(today, "11")
    text = said(messages)
    assert styled(messages, "bold") == ["Programme du forum — vendredi 11 avril 2025"]
    before, programme = text.split("Programme du forum — vendredi 11 avril 2025\n")
    past = "Le forum a eu lieu les jeudi 10 avril 2025 et vendredi 11 avril 2025.\n"
    assert before == (past if today == AFTER else "")
    assert "jeudi 10 avril" not in programme and "(provisoire)" in programme and "📄" in programme


@pytest.mark.parametrize(
    "today, day, shown",
    [
        (DAY_ONE, "today", "jeudi 10 avril 2025"),
        (DAY_ONE, "tomorrow", "vendredi 11 avril 2025"),
        (DAY_TWO, "today", "vendredi 11 avril 2025"),
        (DAY_TWO, "yesterday", "jeudi 10 avril 2025"),
    ],
)
def test_today_and_tomorrow_during_the_forum_are_forum_days(kb_var, today, day, shown):
    text = ask(today, day)
    assert text.startswith(f"Programme du forum — {shown}\n")
    assert "a eu lieu" not in text


def test_tomorrow_on_the_last_day_shows_the_whole_programme_without_a_past_tense(kb_var):
    messages = reply(DAY_TWO, "tomorrow")
    text = said(messages)
    assert text.startswith("Programme du forum\n") and "a eu lieu" not in text
    assert styled(messages, "italic") == ["jeudi 10 avril 2025", "vendredi 11 avril 2025"]  # the day headings
    assert not set("*_") & set(re.sub(r"https?://\S+", "", text)), text  # no Markdown marker left


def test_tomorrow_before_the_forum_shows_the_coming_dates(kb_var):
    text = ask(BEFORE, "tomorrow")
    assert text.startswith("Programme du forum\n") and "a eu lieu" not in text
    assert "\njeudi 10 avril 2025\n" in text and "\nvendredi 11 avril 2025\n" in text


def test_tomorrow_after_the_forum_says_when_it_took_place(kb_var):
    text = ask(AFTER, "tomorrow", text="chno kayn ghda?", language="ary_Latn")
    assert text.startswith("الملتقى تدار نهار الخميس 10 أبريل 2025 والجمعة 11 أبريل 2025.")  # Arabizi: Darija script
    assert "(مؤقت)" in text


def test_friday_in_arabic_gets_the_arabic_programme(kb_var):
    text = ask(AFTER, "friday", text="شنو كاين نهار الجمعة؟", language="ary")
    assert "الجمعة 11 أبريل 2025" in text and "(مؤقت)" in text
    assert "الخميس 10 أبريل" not in text.split("\n", 1)[1]
