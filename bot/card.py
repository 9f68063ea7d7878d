"""The programme of a forum day as a PNG card (Telegram shows pictures well on phones).

Pillow's basic layout draws glyphs one after the other, left to right: Arabic is therefore joined and put in
visual order first by `bot.text_render.shape`. The font is matplotlib's bundled DejaVu Sans (it has the Arabic
presentation forms and comes with `requirements.txt`, so every machine renders the same pixels).
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import settings
from bot.text_render import shape

WIDTH, MARGIN, TIME_COLUMN, LINE_GAP = 900, 36, 190, 8
INK, MUTED, ACCENT, PAPER, BAND = (20, 33, 61), (90, 98, 112), (0, 122, 94), (255, 255, 255), (232, 244, 240)
PROVISIONAL_NOTE = {
    "ar": "* توقيت مؤقت، غير وارد في البلاغ الرسمي",
    "fr": "* horaire provisoire, absent du communiqué officiel",
    "en": "* provisional, not in the official press release",
}


@dataclass(frozen=True)
class CardRow:
    """One line of the programme as the card shows it."""

    time: str
    title: str
    place: str = ""
    provisional: bool = False


def font_path() -> Path:
    """BERKANE_CARD_FONT, else DejaVu Sans from the installed matplotlib (no import of matplotlib itself)."""
    if settings.get().card_font:
        return settings.get().card_font
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("no font for the programme card: install requirements.txt or set BERKANE_CARD_FONT")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = font_path()
    if bold and path.with_name("DejaVuSans-Bold.ttf").exists():
        path = path.with_name("DejaVuSans-Bold.ttf")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, rtl: bool) -> list[str]:
    """Logical-order lines that fit `width` once shaped (wrap first, shape each line after)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(shape(candidate, rtl)) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


class _Painter:
    """Writes lines from the top, aligned right for Arabic (RTL) and left otherwise."""

    def __init__(self, image: Image.Image, rtl: bool) -> None:
        self.draw, self.rtl, self.y = ImageDraw.Draw(image), rtl, MARGIN

    def line(self, text: str, font: ImageFont.FreeTypeFont, fill: tuple[int, int, int], left: int, right: int) -> None:
        visual = shape(text, self.rtl)
        x = right - font.getlength(visual) if self.rtl else left
        self.draw.text((x, self.y), visual, font=font, fill=fill)
        self.y += font.size + LINE_GAP


def _height(title: str, rows: list[CardRow], language: str) -> int:
    """Draw once on a scratch image to learn the height the rows need."""
    scratch = Image.new("RGB", (WIDTH, 10000), PAPER)
    return _paint(scratch, title, rows, language) + MARGIN


def _paint(image: Image.Image, title: str, rows: list[CardRow], language: str) -> int:
    rtl = language in ("ar", "ary", "ary_Latn")
    painter = _Painter(image, rtl)
    heading, body, small = _font(34, bold=True), _font(24), _font(20)
    for line in _wrap(title, heading, WIDTH - 2 * MARGIN, rtl):
        painter.line(line, heading, ACCENT, MARGIN, WIDTH - MARGIN)
    painter.y += LINE_GAP * 2
    text_left, text_right = (MARGIN, WIDTH - MARGIN - TIME_COLUMN) if rtl else (MARGIN + TIME_COLUMN, WIDTH - MARGIN)
    time_left, time_right = (
        (WIDTH - MARGIN - TIME_COLUMN + 10, WIDTH - MARGIN) if rtl else (MARGIN, MARGIN + TIME_COLUMN - 10)
    )
    for index, row in enumerate(rows):
        top = painter.y - LINE_GAP // 2
        lines = _wrap(row.title, body, text_right - text_left, rtl)
        places = _wrap(row.place, small, text_right - text_left, rtl)
        bottom = top + len(lines) * (body.size + LINE_GAP) + len(places) * (small.size + LINE_GAP) + LINE_GAP
        if index % 2 == 0:
            painter.draw.rectangle((MARGIN // 2, top, WIDTH - MARGIN // 2, bottom), fill=BAND)
        start = painter.y
        painter.line(row.time + (" *" if row.provisional else ""), small, ACCENT, time_left, time_right)
        painter.y = start
        for line in lines:
            painter.line(line, body, INK, text_left, text_right)
        for line in places:
            painter.line(line, small, MUTED, text_left, text_right)
        painter.y = bottom + LINE_GAP
    if any(row.provisional for row in rows):
        painter.y += LINE_GAP
        note = PROVISIONAL_NOTE.get("ar" if rtl else language, PROVISIONAL_NOTE["fr"])
        painter.line(note, small, MUTED, MARGIN, WIDTH - MARGIN)
    return painter.y


def render_card(title: str, rows: list[CardRow], language: str) -> bytes:
    """PNG bytes of the card: `title` on top, one band per row (time column right for Arabic, left otherwise)."""
    image = Image.new("RGB", (WIDTH, _height(title, rows, language)), PAPER)
    _paint(image, title, rows, language)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
