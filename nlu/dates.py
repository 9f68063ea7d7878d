"""Month and day names of the five varieties, and dates written out the way a citizen reads them.

Moroccan usage, not the Levantine or Egyptian one: the months are the French-derived names of the Moroccan
administration (يناير، ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر). The action replies and the bot's programme
cards both write dates, so the names live here once. (Not called `calendar`: that would shadow the standard
library's module for any script run from inside nlu/.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from nlu.languages import DEFAULT_LANGUAGE

__all__ = ["MONTHS", "WEEKDAYS", "date_list", "long_date", "month_name", "month_number"]

_ARABIC_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
_ARABIC_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
]

WEEKDAYS: dict[str, list[str]] = {
    "ar": _ARABIC_WEEKDAYS,
    "ary": _ARABIC_WEEKDAYS,
    "ary_Latn": ["letnin", "tlat", "larb3", "lkhmis", "jjem3a", "ssebt", "l7ed"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS: dict[str, list[str]] = {
    "ar": _ARABIC_MONTHS,
    "ary": _ARABIC_MONTHS,
    "ary_Latn": [
        "yanayir",
        "febrayir",
        "mars",
        "april",
        "mai",
        "yonyo",
        "yolyoz",
        "ghocht",
        "chtanbir",
        "oktobir",
        "nonbir",
        "dijanbir",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_AND = {"ar": "و", "ary": "و", "ary_Latn": "w", "fr": "et", "en": "and"}


def _code(lang: str | None) -> str:
    return lang if lang in MONTHS else DEFAULT_LANGUAGE


def month_name(month: int, lang: str | None) -> str:
    """The name of `month` (1-12) in `lang` (French when the variety is unknown)."""
    return MONTHS[_code(lang)][month - 1]


def month_number(name: str, lang: str | None) -> int | None:
    """The month (1-12) that `name` names in `lang`, case-insensitively; None when it names none."""
    names = [month.casefold() for month in MONTHS[_code(lang)]]
    wanted = name.strip().casefold()
    return names.index(wanted) + 1 if wanted in names else None


def long_date(day: dt.date, lang: str | None) -> str:
    """`day` written out for the user: "jeudi 10 avril 2025", "الخميس 10 أبريل 2025"."""
    code = _code(lang)
    return f"{WEEKDAYS[code][day.weekday()]} {day.day} {month_name(day.month, code)} {day.year}"


def date_list(days: Iterable[dt.date], lang: str | None) -> str:
    """Several dates joined the way the language joins them ("... et ...", "... و...")."""
    written = [long_date(day, lang) for day in days]
    if len(written) < 2:
        return "".join(written)
    joiner = _AND.get(lang or DEFAULT_LANGUAGE, "et")
    glue = " و" if joiner == "و" else f" {joiner} "
    return ", ".join(written[:-1]) + glue + written[-1]
