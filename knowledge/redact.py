"""Mask personal identifiers before a citizen's text is stored or logged (law 09-08: keep only what is needed).

Masked: Moroccan CNIE numbers (one or two letters + 5-6 digits, e.g. AB123456), Moroccan phone numbers
(+212 / 00212 / 0 followed by 5, 6, 7 or 8 and eight digits, with or without separators), e-mail addresses.
"""
from __future__ import annotations

import re

from nlu.text import normalise

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?(?:212[\s.-]?|0)(?:\(0\))?[\s.-]?[5-8](?:[\s.-]?\d){8}(?!\d)")
_CNIE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[\s-]?\d{5,6}(?![0-9])")

MASKS = ((_EMAIL, "[email]"), (_PHONE, "[phone]"), (_CNIE, "[id]"))


def redact(text: str | None) -> str:
    """`text` with e-mails, phone numbers and ID card numbers replaced by [email], [phone], [id].

    Arabic-Indic digits are folded first (through the shared normaliser's digit mapping) only to find
    numbers; the rest of the text is kept as the citizen wrote it.
    """
    if not text:
        return ""
    folded = _ascii_digits(text)
    for pattern, mask in MASKS:
        folded = pattern.sub(mask, folded)
    return folded


def _ascii_digits(text: str) -> str:
    """Arabic-Indic digits as ASCII, character for character (so positions and the rest stay unchanged)."""
    return "".join(normalise(ch) if "\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9" else ch for ch in text)
