"""The programme card a citizen receives: Arabic joined and right to left, compared with a reference picture
(tests/bot/reference_card_ar.png) so that a broken shaping or direction shows up as changed pixels."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import bot.card
from bot.card import CardRow, render_card
from bot.programme import programme_cards

REFERENCE = Path(__file__).with_name("reference_card_ar.png")
ROWS = [
    CardRow(
        "09:00–10:00",
        "الجلسة الافتتاحية للملتقى الدولي الثالث حول المدن الذكية",
        "مقر عمالة إقليم بركان",
        provisional=True,
    ),
    CardRow(
        "10:30–12:00",
        "ندوة: دمج الذكاء الاصطناعي وإنترنت الأشياء (IoT) في التخطيط الحضري",
        "المدرسة الوطنية للذكاء الاصطناعي والرقمنة (ENIAD)",
        provisional=True,
    ),
]
TITLE = "برنامج يوم 10 أبريل 2025"


def difference(png: bytes, reference: Path) -> float:
    """Share of pixels that differ visibly (any channel by more than 64) from the reference."""
    image = Image.open(io.BytesIO(png)).convert("L")
    expected = Image.open(reference).convert("L")
    if image.size != expected.size:
        return 1.0
    diff = ImageChops.difference(image, expected).point(lambda value: 255 if value > 64 else 0)
    return sum(diff.histogram()[255:]) / (image.width * image.height)


def test_arabic_card_matches_the_reference_picture():
    png = render_card(TITLE, ROWS, "ar")
    if os.environ.get("BERKANE_UPDATE_REFERENCE") == "1":  # after a deliberate design change, then look at it
        REFERENCE.write_bytes(png)
    assert difference(png, REFERENCE) < 0.002


def test_card_without_shaping_is_caught_by_the_reference(monkeypatch):
    """Guard on the guard: letters left unjoined and in logical order must fail the comparison above."""
    monkeypatch.setattr(bot.card, "shape", lambda text, rtl=None: text)
    assert difference(render_card(TITLE, ROWS, "ar"), REFERENCE) > 0.01


def test_card_in_reversed_direction_is_caught_by_the_reference(monkeypatch):
    """Joined letters but left-to-right order (bidi forgotten) must fail too."""
    import arabic_reshaper

    monkeypatch.setattr(bot.card, "shape", lambda text, rtl=None: arabic_reshaper.reshape(text))
    assert difference(render_card(TITLE, ROWS, "ar"), REFERENCE) > 0.01


@pytest.mark.parametrize("language", ["ar", "ary", "fr", "en"])
def test_each_forum_day_has_a_card_marking_provisional_times(language):
    """/programme 10 and /programme 11 each give one picture; /programme alone gives both days."""
    for day in ("10", "11"):
        cards = programme_cards(day, language)
        assert len(cards) == 1
        image = Image.open(io.BytesIO(cards[0]))
        assert image.format == "PNG" and image.width == bot.card.WIDTH and image.height > 200
    assert len(programme_cards(None, language)) == 2
    assert programme_cards("25", language) == []
