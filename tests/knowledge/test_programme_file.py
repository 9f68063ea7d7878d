"""The forum programme is read with its days and times, and unpublished details stay marked provisional."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge import programme
from knowledge.schedule import load_programme, programme_path

SAMPLE = """
- {id: opening, day: 2025-04-10, start: 09:00, end: 10:00, kind: opening, provisional: true,
   title: {ar: الافتتاح, fr: Ouverture, en: Opening}, place: {fr: Siège de la province}}
- {id: panel-1, day: 2025-04-10, start: "10:30", end: "12:30", kind: panel, topic: axis-1, provisional: true,
   title: {fr: Transformation numérique}}
- {id: awards, day: 2025-04-11, kind: ceremony, provisional: false, title: {fr: Remise des prix},
   source: press release}
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "programme.yml"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_items_by_day_and_part_of_day(sample: Path) -> None:
    first_day = programme(day="2025-04-10", path=sample)
    assert [item.id for item in first_day] == ["opening", "panel-1"]
    assert first_day[0].start == "09:00" and first_day[0].title["ar"] == "الافتتاح"  # unquoted 09:00 too
    assert [item.id for item in programme(day=dt.date(2025, 4, 10), time="11:00", path=sample)] == ["panel-1"]
    assert [item.id for item in programme(day="2025-04-10", time="afternoon", path=sample)] == []
    # an item without a published time is listed whatever time is asked
    assert [item.id for item in programme(day="2025-04-11", time="morning", path=sample)] == ["awards"]


def test_real_programme_is_within_the_forum_days_and_honest() -> None:
    assert programme_path().exists(), f"{programme_path()} is missing: the programme answers would be empty"
    items = load_programme()
    assert items and {item.day for item in items} <= {dt.date(2025, 4, 10), dt.date(2025, 4, 11)}
    assert all(item.provisional for item in items if item.start and not item.source)
