"""Arabic for displays that cannot shape it: letters joined (arabic-reshaper) and put in visual order
(python-bidi). Used by the programme card (Pillow draws glyphs one by one) and by the terminal chat."""
from __future__ import annotations

import re

import arabic_reshaper
from bidi.algorithm import get_display  # the pure-Python one mirrors brackets; bidi.get_display (0.6) does not

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def has_rtl(text: str) -> bool:
    """True when `text` holds Arabic (or Hebrew) letters, i.e. needs shaping on a naive display."""
    return bool(_RTL.search(text))


def shape(text: str, rtl: bool | None = None) -> str:
    """Visual-order, joined-letter form of `text`, line by line (bidi must not reorder across lines).

    `rtl` forces the paragraph direction (an Arabic card line that starts with "ENIAD" is still RTL);
    None lets each line's first strong letter decide, as a terminal would."""
    base = None if rtl is None else ("R" if rtl else "L")
    return "\n".join(get_display(arabic_reshaper.reshape(line), base_dir=base) if has_rtl(line) else line
                     for line in text.split("\n"))
