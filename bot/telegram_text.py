"""Text as the bot sends it on Telegram: a reply's spans (`actions.rich`) as Telegram HTML, in messages that fit.

The Application sends with `parse_mode=HTML` by default (bot/app.py), so every text the bot sends goes
through `send_text`: its own sentences, Rasa's replies and admin listings alike, each character escaped
(a citizen's "<" or "&" quoted back must not break the message), with only tags Telegram accepts.
"""

from __future__ import annotations

import html

from telegram import Chat, InlineKeyboardMarkup, Message

from actions.rich import Rich
from bot.splitting import TELEGRAM_LIMIT, split_rich

TAGS = {"bold": "b", "italic": "i", "code": "code"}  # Rich styles -> Telegram HTML tags


def render(reply: Rich) -> str:
    """Telegram HTML for `reply`: escaped text, <b>/<i>/<code> for styles, <a href> for links."""
    out = []
    for span in reply.spans:
        text = html.escape(span.text, quote=False)
        if span.style in TAGS:
            text = f"<{TAGS[span.style]}>{text}</{TAGS[span.style]}>"
        if span.link:
            text = f'<a href="{html.escape(span.link)}">{text}</a>'
        out.append(text)
    return "".join(out)


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def html_parts(reply: Rich | str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The HTML messages for `reply`, each at most `limit` long once rendered (stricter than Telegram, which
    counts the text after parsing), cut between sentences, never inside a tag, an entity or a link."""
    return [render(part) for part in split_rich(Rich(reply), limit, lambda part: utf16_length(render(part)))]


async def send_text(chat: Chat, reply: Rich | str, reply_markup: InlineKeyboardMarkup | None = None) -> list[Message]:
    """Send `reply` in as many messages as it needs, the keyboard under the last one ("…" when it is empty)."""
    parts = html_parts(reply) or ["…"]
    return [
        await chat.send_message(part, reply_markup=reply_markup if index == len(parts) - 1 else None)
        for index, part in enumerate(parts)
    ]
