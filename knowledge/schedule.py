"""The forum programme (`knowledge/programme.yml`) as typed items, with filters by day and time of day.

Items not in the press release carry `provisional: True`; callers must say so to the citizen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import settings
from knowledge.errors import KnowledgeError

# Parts of the day as the NLU `time` entity names them: [start, end) in minutes after midnight.
DAY_PARTS = {
    "morning": (0, 12 * 60),
    "noon": (12 * 60, 14 * 60),
    "afternoon": (14 * 60, 18 * 60),
    "evening": (18 * 60, 24 * 60),
}


@dataclass
class ProgrammeItem:
    """One session of the forum; `start`/`end` are "HH:MM" or None when no time was published."""

    id: str
    day: dt.date
    title: dict[str, str]
    kind: str
    topic: str | None = None
    start: str | None = None
    end: str | None = None
    place: dict[str, str] = field(default_factory=dict)
    provisional: bool = True
    source: str | None = None

    def overlaps(self, time: str) -> bool:
        """Whether the item runs during `time` ("morning" ... or "HH:MM"); untimed items match any time."""
        if self.start is None:
            return True
        begin = _minutes(self.start)
        finish = _minutes(self.end) if self.end else begin + 1
        if time in DAY_PARTS:
            low, high = DAY_PARTS[time]
            return begin < high and finish > low
        moment = _minutes(time)
        return begin <= moment < finish or moment == begin


def _minutes(hhmm: str) -> int:
    try:
        hours, minutes = str(hhmm).split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        raise KnowledgeError(f"time {hhmm!r} is not HH:MM") from None


def programme_path() -> Path:
    return settings.get().programme


def _by_lang(value: Any) -> dict[str, str]:
    """A {lang: text} mapping; a bare string is taken as French."""
    if isinstance(value, dict):
        return {str(lang): str(text) for lang, text in value.items()}
    return {"fr": str(value)} if value else {}


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _clock(value: Any) -> str | None:
    """ "HH:MM"; YAML 1.1 reads an unquoted 10:30 as the sexagesimal number 630, so turn that back."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value // 60:02d}:{value % 60:02d}"
    return _optional(value)


def _item(raw: dict[str, Any]) -> ProgrammeItem:
    day = raw["day"] if isinstance(raw["day"], dt.date) else dt.date.fromisoformat(str(raw["day"]))
    return ProgrammeItem(
        id=str(raw["id"]),
        day=day,
        title=_by_lang(raw.get("title")),
        kind=str(raw.get("kind", "")),
        topic=_optional(raw.get("topic")),
        start=_clock(raw.get("start")),
        end=_clock(raw.get("end")),
        place=_by_lang(raw.get("place")),
        provisional=bool(raw.get("provisional", True)),
        source=_optional(raw.get("source")),
    )


def load_programme(path: Path | None = None) -> list[ProgrammeItem]:
    """All items, sorted by day then start time (untimed items first in their day)."""
    path = path or programme_path()
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    raw_items = data.get("items", []) if isinstance(data, dict) else data
    try:
        items = [_item(raw) for raw in raw_items]
    except (KeyError, TypeError, ValueError) as error:
        raise KnowledgeError(f"{path.name}: bad programme item ({error})") from None
    return sorted(items, key=lambda item: (item.day, item.start or ""))


def programme(
    day: dt.date | str | None = None, time: str | None = None, path: Path | None = None
) -> list[ProgrammeItem]:
    """Programme items, optionally of one `day` (date or ISO string) and during one `time`."""
    items = load_programme(path)
    if day is not None:
        wanted = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        items = [item for item in items if item.day == wanted]
    if time is not None:
        items = [item for item in items if item.overlaps(time)]
    return items
