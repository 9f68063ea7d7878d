"""Arabic for displays that cannot shape it: letters joined (arabic-reshaper) and put in visual order
(python-bidi). Used by the programme card (Pillow draws glyphs one by one) and by the terminal chat, which
also renders a reply's formatting (`actions.rich`) as plain text or ANSI bold.

A line is wrapped to the display's width BEFORE it is shaped: shaping reverses an Arabic line, so a terminal
that wrapped the shaped line itself would show the end of the sentence on the first row.
"""

from __future__ import annotations

import re

import arabic_reshaper
from bidi.algorithm import get_display  # the pure-Python one mirrors brackets; bidi.get_display (0.6) does not

from actions.rich import Rich

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_WORD = re.compile(r"\S+\s*")
BOLD, NORMAL = "\x1b[1m", "\x1b[22m"


def has_rtl(text: str) -> bool:
    """True when `text` holds Arabic (or Hebrew) letters, i.e. needs shaping on a naive display."""
    return bool(_RTL.search(text))


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """[start, end) of the rows of one line of `text`, each at most `width` wide (trailing spaces aside), cut
    between words in reading order; a word wider than a row is cut."""
    rows: list[tuple[int, int]] = []
    start = end = 0  # the current row, and the end of its last whole word
    for word in _WORD.finditer(text):
        visible_end = word.start() + len(word.group().rstrip())
        if visible_end - start > width and end > start:
            rows.append((start, end))
            start = end
        while visible_end - start > width:
            rows.append((start, start + width))
            start += width
        end = word.end()
    rows.append((start, len(text)))
    return rows


def shape(text: str, rtl: bool | None = None) -> str:
    """Visual-order, joined-letter form of `text`, line by line (bidi must not reorder across lines).

    `rtl` forces the paragraph direction (an Arabic card line that starts with "ENIAD" is still RTL);
    None lets each line's first strong letter decide, as a terminal would."""
    base = None if rtl is None else ("R" if rtl else "L")
    return "\n".join(
        get_display(arabic_reshaper.reshape(line), base_dir=base) if has_rtl(line) else line
        for line in text.split("\n")
    )


def _row(row: Rich, shaping: bool, ansi: bool) -> str:
    """One screen row: shaped when asked and Arabic; bold spans in ANSI bold where the order allows it (a
    shaped row is reordered as a whole, so only a row that is all bold is bold)."""
    row = row.slice(0, len(row.plain.rstrip()))
    if shaping and has_rtl(row.plain):
        shaped = shape(row.plain)
        all_bold = ansi and all(span.style == "bold" or not span.text.strip() for span in row.spans)
        return f"{BOLD}{shaped}{NORMAL}" if all_bold else shaped
    if not ansi:
        return row.plain
    return "".join(f"{BOLD}{span.text}{NORMAL}" if span.style == "bold" else span.text for span in row.spans)


def terminal_text(reply: Rich, width: int, shaping: bool, ansi: bool = False) -> str:
    """`reply` as terminal rows at most `width` wide: no Markdown marker, wrapped, then shaped row by row."""
    rows: list[str] = []
    offset = 0
    for line in reply.plain.split("\n"):
        for start, end in wrap_offsets(line, max(width, 1)):
            rows.append(_row(reply.slice(offset + start, offset + end), shaping, ansi))
        offset += len(line) + 1
    return "\n".join(rows)
