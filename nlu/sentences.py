"""Where a sentence ends in Arabic, French and English text: one rule for every part that cuts text.

The knowledge base cuts long paragraphs into passages, the actions shorten a passage to what fits a reply,
the bot cuts replies into Telegram messages. All three must agree, or a passage that was indexed whole is
shown cut in the middle of a sentence. A sentence ends at ".", "!", "?", "؟" or "…" (or a run of them)
followed by white space; never after a title or an abbreviation ("M. Dupont", "Dr. Alaoui", "p. 3", a single
initial) and never inside an address (a URL has no space after its dots or its "?").
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans", "split_sentences"]

_END = re.compile(r"(?<![.!?؟…])[.!?؟…]+\s+")  # from a run's first mark only: linear on "......"
# Words written with a full stop that does not end the sentence (compared case-sensitively: "me." in English
# ends a sentence, "Me." is the French title of a lawyer).
_ABBREVIATIONS = frozenset(
    {
        "MM",
        "Mme",
        "Mmes",
        "Mlle",
        "Mlles",
        "Me",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Pr",
        "St",
        "Ste",
        "av",
        "Av",
        "bd",
        "Bd",
        "cf",
        "Cf",
        "p",
        "pp",
        "Art",
        "e.g",
        "i.e",
        "vs",
    }
)


def _ends_sentence(text: str, end: re.Match[str]) -> bool:
    """False when the full stop of `end` follows an abbreviation or an initial ("J. Dupont"; not English "I.")."""
    if not end.group().startswith(".") or end.group().startswith(".."):
        return True
    start = end.start()
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start : end.start()].lstrip("(«\"'")
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isupper() and word != "I"))


def sentence_spans(text: str) -> list[str]:
    """`text` cut after each sentence end, every piece keeping the spaces or line breaks that follow it.

    The pieces join back to `text` exactly, so a caller can pack them into longer units without losing the
    layout (paragraph breaks stay where the author put them).
    """
    spans: list[str] = []
    start = 0
    for end in _END.finditer(text):
        if _ends_sentence(text, end):
            spans.append(text[start : end.end()])
            start = end.end()
    if start < len(text):
        spans.append(text[start:])
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, without the white space between them (none empty)."""
    return [span.strip() for span in sentence_spans(text) if span.strip()]
