"""Which programme items a question asks for: a day ("tomorrow", "le 11", "نهار الجمعة"), a time, a topic.

The forum's days are read from the programme itself, never hard-coded. Relative days ("today", "tomorrow")
only mean a forum day while the forum is on; otherwise the whole programme is shown with its dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from nlu.text import normalise

WEEKDAY = {
    name: index
    for index, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
RELATIVE = {"yesterday": -1, "today": 0, "tomorrow": 1}
ORDINAL = {"first_day": 0, "second_day": 1, "last_day": -1}  # the forum's own days, in order
MIN_WORD = 4


class Item(Protocol):
    day: dt.date
    title: dict[str, str]
    start: str | None

    def overlaps(self, time: str) -> bool: ...


@dataclass
class Selection:
    """The items to show and what the user asked for (to word the reply)."""

    items: list
    days: list[dt.date]  # all the forum's days
    day: dt.date | None  # the day asked for, when it is a forum day
    unknown_day: bool  # a day was asked for but it is not a forum day


def forum_days(items: Iterable[Item]) -> list[dt.date]:
    return sorted({item.day for item in items})


def resolve_day(value: str | None, days: list[dt.date], today: dt.date) -> dt.date | None:
    """The forum day meant by the `day` entity (`tomorrow`, `friday`, `first_day`, `11`), or None."""
    if not value or not days:
        return None
    value = value.strip().lower()
    if value in ORDINAL:
        index = ORDINAL[value]
        return days[index] if -len(days) <= index < len(days) else None
    if value in RELATIVE:
        target = today + dt.timedelta(days=RELATIVE[value])
        return target if target in days else None
    if value in WEEKDAY:
        return next((day for day in days if day.weekday() == WEEKDAY[value]), None)
    if value.isdigit():
        return next((day for day in days if day.day == int(value)), None)
    return None


def by_topic(items: list, text: str) -> list:
    """Items whose title shares a distinctive word with the question (in any of the title's languages).

    Words found in many titles ("forum", "panel") say nothing about which item is meant and are ignored.
    """
    vocab = [{word for title in item.title.values() for word in normalise(title).split()} for item in items]
    common = {word for words in vocab for word in words if sum(word in other for other in vocab) * 3 > len(items)}
    asked = {word for word in normalise(text).split() if len(word) >= MIN_WORD} - common
    return [item for item, words in zip(items, vocab) if asked & words] if asked else []


def select(items: list, day: str | None, time: str | None, text: str, today: dt.date) -> Selection:
    """Filter by day and time when given; by topic words only when neither was given and some item matches."""
    days = forum_days(items)
    wanted = resolve_day(day, days, today)
    chosen = items
    if wanted is not None:
        chosen = [item for item in chosen if item.day == wanted]
    if time:
        chosen = [item for item in chosen if item.overlaps(time)]
    if wanted is None and not time:
        topical = by_topic(items, text)
        if topical and len(topical) < len(items):
            chosen = topical
    return Selection(chosen, days, wanted, unknown_day=bool(day) and wanted is None)
