"""What a client may send: a bounded message of valid text, and a sender id that is plain, short text.

A message is cleaned before the NLU sees it: control characters (a copy from a terminal or a PDF) and code
points that are not text (lone surrogates from broken emoji, non-characters) are dropped and the text is
put in NFC, so every later step (normaliser, SQL tracker store, JSON logs) gets text it can encode.
Plain module: the Telegram bot and the terminal can clean their input the same way.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline, DEL, lone surrogates (no encoding can write them) and the
# non-characters of the first plane. (The astral non-characters U+1FFFE ... encode like any character; a
# class holding them would also make this scan ten times slower.)
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SENDER_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without control characters (newline and tab kept) and invalid code points, in NFC."""
    return unicodedata.normalize("NFC", _NOT_TEXT.sub("", text))


def sender_problem(sender: str, max_chars: int) -> str | None:
    """Why `sender` cannot name a conversation (None when it can): empty, too long, or not plain text.

    A sender id is a key in the tracker store: it is refused, never silently changed, so two clients'
    ids can never be cleaned into the same conversation.
    """
    if not sender.strip():
        return '"sender" must not be empty'
    if len(sender) > max_chars:
        return f'"sender" has {len(sender)} characters; at most {max_chars} are accepted'
    if _SENDER_NOT_TEXT.search(sender):
        return '"sender" must be plain text (no control characters or invalid code points)'
    return None
