"""Cut long replies into Telegram-sized messages (4096 characters) at sentence boundaries."""
from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
# a sentence with the spaces/new lines that follow it, so that packing keeps paragraphs as they were
_SENTENCE = re.compile(r".*?(?:[.!?؟…]+(?:\s+|$)|\n+|$)", re.S)


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences of `text`; one longer than `limit` is cut at a space, a word longer than it at `limit`."""
    pieces: list[str] = []
    for sentence in _SENTENCE.findall(text):
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
