"""`nlu.dates`: dates are written with the Moroccan month names in every variety, the same in the action
replies and on the bot's programme cards."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.programme import heading
from nlu.dates import MONTHS, WEEKDAYS, date_list, long_date, month_name, month_number
from nlu.languages import DOCUMENT_LANGUAGES, VARIETIES

FRIDAY = dt.date(2025, 4, 11)


@pytest.mark.parametrize("lang", VARIETIES)
def test_month_names_round_trip(lang: str) -> None:
    assert len(MONTHS[lang]) == len(set(MONTHS[lang])) == 12 and len(set(WEEKDAYS[lang])) == 7
    for month in range(1, 13):
        assert month_number(month_name(month, lang), lang) == month
        assert month_number(month_name(month, lang).upper(), lang) == month


def test_unknown_names_and_varieties() -> None:
    assert month_number("Brumaire", "fr") is None
    assert month_name(8, "de") == "août" and long_date(FRIDAY, None) == "vendredi 11 avril 2025"


@pytest.mark.parametrize(
    "lang, written",
    [
        ("ar", "الجمعة 11 أبريل 2025"),
        ("ary", "الجمعة 11 أبريل 2025"),
        ("ary_Latn", "jjem3a 11 april 2025"),
        ("fr", "vendredi 11 avril 2025"),
        ("en", "Friday 11 April 2025"),
    ],
)
def test_a_day_is_written_out_in_each_variety(lang: str, written: str) -> None:
    assert long_date(FRIDAY, lang) == written


def test_moroccan_month_names_not_the_levantine_ones() -> None:
    assert [month_name(month, "ar") for month in (5, 7, 8, 9, 11, 12)] == [
        "ماي",
        "يوليوز",
        "غشت",
        "شتنبر",
        "نونبر",
        "دجنبر",
    ]


def test_dates_are_joined_the_way_each_language_joins_them() -> None:
    days = [dt.date(2025, 4, 10), FRIDAY]
    assert date_list(days, "fr") == "jeudi 10 avril 2025 et vendredi 11 avril 2025"
    assert date_list(days, "ar") == "الخميس 10 أبريل 2025 والجمعة 11 أبريل 2025"
    assert date_list(days[:1], "en") == "Thursday 10 April 2025" and date_list([], "en") == ""


@pytest.mark.parametrize("lang", DOCUMENT_LANGUAGES)
def test_programme_cards_use_the_same_month_names_as_the_replies(lang: str) -> None:
    assert month_name(4, lang) in heading(FRIDAY, lang) and month_name(4, lang) in long_date(FRIDAY, lang)
