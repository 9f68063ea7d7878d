"""A reply with its formatting in one structured form: text spans, each plain, bold, italic, code or a link.

The actions used to write `*bold*` and `_italic_` markers into the text, and every channel showed them raw.
Instead an action builds a `Rich` value and sends it twice in ONE message (`actions.replies.say`): its plain
text as the message `text` (what REST clients read, next to the buttons) and its spans as
`custom: {"rich": [...]}` (channels/whole_replies.py keeps both in the same REST entry). Each channel renders
the spans its own way: Telegram as HTML (`bot.telegram_html`), the terminal as plain text or ANSI bold.
A plain module (no Rasa, no Telegram): the action server and the bot both import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

STYLES = frozenset({"bold", "italic", "code"})
CUSTOM_KEY = "rich"  # the key of the spans in a message's `custom` JSON
_URL = re.compile(r"https?://[^\s<>\"'()]+[^\s<>\"'().,;:!?»]")


@dataclass(frozen=True)
class Span:
    """A run of text with one style (None: plain) and, for a link, its target."""

    text: str
    style: str | None = None
    link: str | None = None

    def with_text(self, text: str) -> Span:
        return Span(text, self.style, self.link)


Part = Union["Rich", Span, str, None]


class Rich:
    """An immutable sequence of spans; `+` concatenates (with `str` too), `plain` is what a text client shows."""

    __slots__ = ("spans",)

    def __init__(self, *parts: Part) -> None:
        spans: list[Span] = []
        for part in parts:
            for span in _spans_of(part):
                if not span.text:
                    continue
                if spans and (spans[-1].style, spans[-1].link) == (span.style, span.link):
                    spans[-1] = spans[-1].with_text(spans[-1].text + span.text)
                else:
                    spans.append(span)
        self.spans: tuple[Span, ...] = tuple(spans)

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)

    def __add__(self, other: Part) -> Rich:
        return Rich(self, other)

    def __radd__(self, other: Part) -> Rich:
        return Rich(other, self)

    def __len__(self) -> int:
        return len(self.plain)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rich) and self.spans == other.spans

    def __hash__(self) -> int:
        return hash(self.spans)

    def __repr__(self) -> str:
        return f"Rich{self.spans!r}"

    def slice(self, start: int, end: int | None = None) -> Rich:
        """The spans covering plain-text characters [start, end), styles and links kept."""
        end = len(self) if end is None else end
        kept: list[Span] = []
        offset = 0
        for span in self.spans:
            left, right = max(start, offset), min(end, offset + len(span.text))
            if left < right:
                kept.append(span.with_text(span.text[left - offset : right - offset]))
            offset += len(span.text)
        return Rich(*kept)

    def strip(self) -> Rich:
        """Without leading and trailing white space (a message part must not start with a blank line)."""
        text = self.plain
        start = len(text) - len(text.lstrip())
        return self.slice(start, len(text.rstrip()))

    def link_ranges(self) -> list[tuple[int, int]]:
        """Plain-text [start, end) of every link, which a message split must not cut."""
        ranges, offset = [], 0
        for span in self.spans:
            if span.link:
                ranges.append((offset, offset + len(span.text)))
            offset += len(span.text)
        return ranges

    @staticmethod
    def join(separator: Part, parts: Iterable[Part]) -> Rich:
        joined: list[Part] = []
        for index, part in enumerate(parts):
            joined.extend((separator, part) if index else (part,))
        return Rich(*joined)

    def to_json(self) -> list[dict[str, str]]:
        """`[{"text": ..., "style": "bold"}, {"text": ..., "link": "https://..."}, {"text": ...}]`."""
        return [
            {key: value for key, value in (("text", s.text), ("style", s.style), ("link", s.link)) if value}
            for s in self.spans
        ]

    @classmethod
    def from_json(cls, data: Any) -> Rich | None:
        """The value `to_json` wrote; None when `data` is not such a list (a client must not crash on it)."""
        if not isinstance(data, list):
            return None
        spans = []
        for item in data:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                return None
            style, link = item.get("style"), item.get("link")
            spans.append(
                Span(
                    item["text"],
                    style if style in STYLES else None,
                    link if isinstance(link, str) and _URL.fullmatch(link) else None,
                )
            )
        return cls(*spans)


def _spans_of(part: Part) -> tuple[Span, ...]:
    if part is None:
        return ()
    if isinstance(part, Rich):
        return part.spans
    if isinstance(part, Span):
        return (part,)
    return (Span(str(part)),)


def bold(text: str) -> Rich:
    return Rich(Span(text, "bold"))


def italic(text: str) -> Rich:
    return Rich(Span(text, "italic"))


def link(url: str, text: str | None = None) -> Rich:
    """A link to `url` shown as `text` (the URL itself by default: citizens copy it to a browser too)."""
    return Rich(Span(text or url, link=url))


def linked(text: str) -> Rich:
    """Plain `text` (a document passage, an office) with every web address in it made a link."""
    parts: list[Part] = []
    position = 0
    for match in _URL.finditer(text or ""):
        parts.extend((text[position : match.start()], link(match.group(0))))
        position = match.end()
    parts.append((text or "")[position:])
    return Rich(*parts)


def custom(rich: Rich) -> dict[str, Any]:
    """The `custom` JSON of a message carrying `rich` (`json_message` for rasa_sdk's `utter_message`)."""
    return {CUSTOM_KEY: rich.to_json()}


def from_custom(data: Any) -> Rich | None:
    """The spans of a message's `custom` JSON, if it carries any."""
    return Rich.from_json(data.get(CUSTOM_KEY)) if isinstance(data, dict) else None
