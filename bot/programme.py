"""`/programme [day]` pictures: the forum programme (`knowledge.programme()`) turned into one card per day."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from bot.card import CardRow, render_card
from knowledge import ProgrammeItem, programme
from nlu.dates import month_name
from nlu.languages import document_language, localised

_HEADING = {
    "ar": "برنامج يوم {day} {month} {year}",
    "fr": "Programme du {day} {month} {year}",
    "en": "Programme, {day} {month} {year}",
}


def heading(day: dt.date, lang: str) -> str:
    return _HEADING[lang].format(day=day.day, month=month_name(day.month, lang), year=day.year)


def rows(items: list[ProgrammeItem], lang: str) -> list[CardRow]:
    return [
        CardRow(
            time="–".join(t for t in (item.start, item.end) if t) or "—",
            title=localised(item.title, lang),
            place=localised(item.place, lang),
            provisional=item.provisional,
        )
        for item in items
    ]


def wanted_day(argument: str | None, days: list[dt.date]) -> list[dt.date]:
    """`10` (day of month) or `2025-04-10` picks one forum day; nothing or anything else: every day."""
    if argument and argument.isdigit():
        return [day for day in days if day.day == int(argument)]
    try:
        return [dt.date.fromisoformat(argument)] if argument else days
    except ValueError:
        return days


def programme_cards(argument: str | None, language: str) -> list[bytes]:
    """PNG cards, one per forum day asked for ([] when the programme has nothing for it)."""
    lang = document_language(language)
    by_day = {day: list(items) for day, items in groupby(programme(), key=lambda item: item.day)}
    return [
        render_card(heading(day, lang), rows(by_day[day], lang), lang)
        for day in wanted_day(argument, sorted(by_day))
        if day in by_day
    ]
