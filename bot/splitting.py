"""Cut long replies into Telegram-sized messages (4096 characters) at sentence boundaries.

Sentence ends are `nlu.sentences`' (the ones the knowledge passages and the action replies are cut at); a
line break is a place to cut too, since a list item or a heading needs no full stop.
"""
from __future__ import annotations

import re

from nlu.sentences import sentence_spans

TELEGRAM_LIMIT = 4096
# after a run of line breaks, before the next line's first character
_LINE_END = re.compile(r"(?<=\n)(?=[^\n])")


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences (and lines) of `text` with the spaces/new lines that follow them, so that packing keeps
    paragraphs as they were; one longer than `limit` is cut at a space, a word longer than it at `limit`."""
    pieces: list[str] = []
    for sentence in (line for span in sentence_spans(text) for line in _LINE_END.split(span)):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut + 1 if cut > 0 else limit
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        if sentence:
            pieces.append(sentence)
    return pieces


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Greedy packing of whole sentences into chunks of at most `limit` characters (none empty)."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text.strip(), limit):
        if current and len(current + piece.rstrip()) > limit:
            chunks.append(current.strip())
            current = ""
        current += piece
    if current.strip():
        chunks.append(current.strip())
    return [chunk for chunk in chunks if chunk]
