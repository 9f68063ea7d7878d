"""The programme by day, time or topic (`action_answer_programme` and `actions.schedule`)."""
from __future__ import annotations

import datetime as dt

import pytest
from action_harness import run, said, tracker

from actions.programme import ActionAnswerProgramme
from actions.schedule import resolve_day

ACTION = ActionAnswerProgramme()
FORUM = [dt.date(2025, 4, 10), dt.date(2025, 4, 11)]


@pytest.mark.parametrize("value, today, expected", [
    ("11", dt.date(2026, 1, 1), dt.date(2025, 4, 11)),
    ("friday", dt.date(2026, 1, 1), dt.date(2025, 4, 11)),
    ("thursday", dt.date(2026, 1, 1), dt.date(2025, 4, 10)),
    ("tomorrow", dt.date(2025, 4, 10), dt.date(2025, 4, 11)),    # asked during the forum
    ("today", dt.date(2025, 4, 11), dt.date(2025, 4, 11)),
    ("tomorrow", dt.date(2026, 11, 26), None),                   # asked after the forum: no forum day
    ("sunday", dt.date(2026, 1, 1), None),
    ("12", dt.date(2026, 1, 1), None),
])
def test_day_words_resolve_to_forum_days(value, today, expected):
    assert resolve_day(value, FORUM, today) == expected


def test_a_day_shows_only_that_day_with_provisional_items_labelled(kb_var):
    text = said(run(ACTION, tracker("programme_day"))[0])
    assert "vendredi 11 avril 2025" in text
    assert "jeudi 10 avril" not in text.split("Programme du forum")[1]
    assert "(provisoire)" in text
    assert "📄" in text


def test_relative_day_after_the_forum_says_when_it_took_place(kb_var):
    state = tracker("programme_day", text="chno kayn ghda?", language="ary_Latn")
    state.latest_message["entities"] = [{"entity": "day", "value": "tomorrow"}]
    text = said(run(ACTION, state)[0])
    assert "L forum tdar nhar" in text and "10" in text and "11" in text
    assert "(mazal ma t2akkedch)" in text


def test_friday_in_arabic_gets_the_arabic_programme(kb_var):
    state = tracker("programme_day", text="شنو كاين نهار الجمعة؟", language="ary")
    state.latest_message["entities"] = [{"entity": "day", "value": "friday"}]
    text = said(run(ACTION, state)[0])
    assert "الجمعة 11 أبريل 2025" in text and "(مؤقت)" in text
