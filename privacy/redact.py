"""Mask personal identifiers before a citizen's text is stored or logged (law 09-08: keep only what is needed).

Masked: Moroccan CNIE numbers (one or two letters + 5-6 digits, e.g. AB123456), Moroccan phone numbers
(+212 / 00212 / 0 followed by 5, 6, 7 or 8 and eight digits, with or without separators), e-mail addresses.
The one module every store uses (feedback, conversation tracker, logs). Every step is linear in the length
of the text: a long message must not stall the server that redacts it.
"""

from __future__ import annotations

import re

from nlu.text import ascii_digits

# An e-mail is found from its "@" (the domain part), then its local part is read backwards: the pattern
# `[\w.+-]+@...` searched from every position would retry the whole run of letters before each failure
# (quadratic on 100,000 letters without an "@"); this finds exactly the same addresses in linear time.
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_LOCAL_REVERSED = re.compile(r"[\w.+-]*")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?(?:212[\s.-]?|0)(?:\(0\))?[\s.-]?[5-8](?:[\s.-]?\d){8}(?!\d)")
_CNIE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[\s-]?\d{5,6}(?![0-9])")


def redact(text: str | None) -> str:
    """`text` with e-mails, phone numbers and ID card numbers replaced by [email], [phone], [id].

    Arabic-Indic digits are read as ASCII digits (`nlu.text.ascii_digits`, character for character) so
    that numbers written either way are found, and stay ASCII in the result; the rest is kept as written.
    """
    if not text:
        return ""
    masked = _mask_emails(ascii_digits(text))
    return _CNIE.sub("[id]", _PHONE.sub("[phone]", masked))


def phone_numbers(text: str | None) -> list[str]:
    """The Moroccan phone numbers in `text`, digits (and a leading +) only, in the order written: what a
    handoff keeps as a call-back number (`privacy.vault`) before the text itself is redacted."""
    found = _PHONE.finditer(ascii_digits(text or ""))
    return ["".join(char for char in match.group() if char.isdigit() or char == "+") for match in found]


def _mask_emails(text: str) -> str:
    """Replace each `local@domain.tld` by [email], the local part being the longest run of [\\w.+-] before
    the "@" that does not reach into the previous address (the leftmost-longest match of the classic pattern)."""
    reversed_text, size = text[::-1], len(text)
    pieces: list[str] = []
    last = 0
    for domain in _DOMAIN.finditer(text):
        at = domain.start()
        local = _LOCAL_REVERSED.match(reversed_text, size - at).end() - (size - at)
        start = max(at - local, last)
        if start < at:
            pieces += [text[last:start], "[email]"]
            last = domain.end()
    pieces.append(text[last:])
    return "".join(pieces)
