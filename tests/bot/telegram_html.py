"""A strict checker of Telegram's HTML (parse_mode=HTML), for the bot's tests: what Telegram would refuse with
"can't parse entities" fails here too, and what it would show raw (Markdown markers, escaped tags) is found.

Rules from the Bot API's "HTML style": only its tags, closed in order; `<a>` with an http(s) `href` only;
every "<", ">" and "&" that is not part of a tag or entity escaped; named entities only &lt; &gt; &amp; &quot;.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote"}
ENTITIES = {"lt", "gt", "amp", "quot"}
_URL = re.compile(r"https?://\S+")
MARKERS = re.compile(r"\*|(?<![\w/])_|_(?![\w/])|</?(?:b|i|a|code|strong|em)\b")


class TelegramHTMLError(AssertionError):
    pass


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise TelegramHTMLError(f"tag <{tag}> is not one Telegram accepts")
        names = [name for name, _ in attrs]
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if names != ["href"] or not href.startswith(("http://", "https://")):
                raise TelegramHTMLError(f"<a> needs exactly one http(s) href, got {attrs}")
        elif attrs and not (tag == "code" and names == ["class"]):
            raise TelegramHTMLError(f"<{tag}> takes no attributes here, got {attrs}")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise TelegramHTMLError(f"self-closing <{tag}/> is not Telegram HTML")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise TelegramHTMLError(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for char in "<>&":
            if char in data:
                raise TelegramHTMLError(f"unescaped {char!r} in {data[:60]!r}")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            raise TelegramHTMLError(f"&{name}; is not an entity Telegram accepts")
        self.visible.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name])

    def handle_charref(self, name: str) -> None:
        self.visible.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))

    def handle_comment(self, data: str) -> None:
        raise TelegramHTMLError("comments are not Telegram HTML")

    def handle_decl(self, decl: str) -> None:
        raise TelegramHTMLError("declarations are not Telegram HTML")

    def unknown_decl(self, data: str) -> None:
        raise TelegramHTMLError("declarations are not Telegram HTML")


def check(text: str) -> str:
    """The text a Telegram user sees for `text` sent with parse_mode=HTML; TelegramHTMLError if Telegram would
    refuse it (or show a tag as text)."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:
        raise TelegramHTMLError(f"unparsed rest {checker.rawdata[:60]!r}")
    if checker.open:
        raise TelegramHTMLError(f"unclosed {checker.open}")
    return "".join(checker.visible)


def markers(visible: str) -> list[str]:
    """Markdown or HTML markers a user would see raw in `visible` (web addresses aside: they may hold "_")."""
    return MARKERS.findall(_URL.sub(" ", visible))
