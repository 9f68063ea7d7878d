"""Cut long replies into Telegram-sized messages (4096 characters) at sentence boundaries, formatting kept.

A reply is cut as spans (`actions.rich.Rich`), before it is rendered: each part is then rendered on its own,
so a cut never falls inside a tag or an entity (`<b>…</b>`, `&amp;`), and a part is measured as it will be
sent (`measure`: the rendered length). Sentence ends are `nlu.sentences`' (the ones the knowledge passages
and the action replies are cut at); a line break is a place to cut too, since a list item or a heading needs
no full stop. A link is never cut, unless it alone is longer than a message.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from actions.rich import Rich
from nlu.sentences import sentence_spans

TELEGRAM_LIMIT = 4096
# after a run of line breaks, before the next line's first character
_LINE_END = re.compile(r"(?<=\n)(?=[^\n])")
Measure = Callable[[Rich], int]


def _ends(text: str) -> list[int]:
    """Offsets just after each sentence or line of `text` (with the spaces that follow it); the last is len(text)."""
    ends, offset = [], 0
    for piece in (line for span in sentence_spans(text) for line in _LINE_END.split(span)):
        offset += len(piece)
        ends.append(offset)
    return ends


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < offset < end for start, end in ranges)


def _fit(part: Rich, limit: int, measure: Measure) -> list[Rich]:
    """`part` (one sentence or line) cut between words, outside links, until every piece measures <= `limit`."""
    if measure(part) <= limit or len(part) < 2:
        return [part]
    text, links = part.plain, part.link_ranges()
    spaces = [index + 1 for index, char in enumerate(text[:-1]) if char.isspace() and not _inside(index + 1, links)]
    cut = min(spaces, key=lambda index: abs(index - len(text) // 2)) if spaces else len(text) // 2
    return _fit(part.slice(0, cut), limit, measure) + _fit(part.slice(cut), limit, measure)


def split_rich(reply: Rich, limit: int = TELEGRAM_LIMIT, measure: Measure = len) -> list[Rich]:
    """Greedy packing of whole sentences into parts that each measure at most `limit` (none empty, each
    stripped); the parts' text, joined with the white space they were cut at, is the reply's."""
    reply = reply.strip()
    links = reply.link_ranges()
    pieces: list[Rich] = []
    start = 0
    for end in _ends(reply.plain):
        if end < len(reply) and _inside(end, links):
            continue
        pieces.extend(_fit(reply.slice(start, end), limit, measure))
        start = end
    parts: list[Rich] = []
    current = Rich()
    for piece in pieces:
        candidate = current + piece
        if current.strip() and measure(candidate.strip()) > limit:
            parts.append(current.strip())
            candidate = piece
        current = candidate
    parts.append(current.strip())
    return [part for part in parts if part]


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """`split_rich` for plain text (the cut points every part of the project agrees on, tests/nlu)."""
    return [part.plain for part in split_rich(Rich(text), limit)]
