"""Which messages the bot answers in a group: the ones meant for it, never the whole conversation.

Added to a group, a bot that answered every message (and every "X joined" notice, and every command meant
for another bot) would drown the group. In a group or supergroup the bot answers a message that mentions
it (@thisbot), replies to one of its messages, or is one of its commands (`/ask@thisbot …`, `/ask …`);
it ignores service messages and commands addressed to another bot (`/start@otherbot`). Private chats: all.
The bot's own username comes from `getMe` (python-telegram-bot keeps it in `message.get_bot()`).
"""

from __future__ import annotations

import re

from telegram import Message, MessageEntity
from telegram.ext import filters


def bot_command(message: Message) -> str | None:
    """The message's leading command as typed ("/ask@thisbot"), if it starts with one."""
    entity = next((e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0), None)
    return message.parse_entity(entity) if entity else None


def _my_username(message: Message) -> str:
    return (message.get_bot().username or "").lower()


class _RepliesToMe(filters.MessageFilter):
    """A reply to one of this bot's messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)


class _MentionsMe(filters.MessageFilter):
    """A message naming @thisbot (filters.Mention, with the username known only once the bot has started)."""

    def filter(self, message: Message) -> bool:
        username = _my_username(message)
        return bool(username) and bool(filters.Mention(username).filter(message))


class _CommandForMe(filters.MessageFilter):
    """A command addressed to this bot by name (`/x@thisbot`); with `bare`, also one naming no bot (`/x`)."""

    def __init__(self, bare: bool) -> None:
        super().__init__(name=f"CommandForMe(bare={bare})")
        self.bare = bare

    def filter(self, message: Message) -> bool:
        command = bot_command(message)
        if command is None:
            return False
        target = command.partition("@")[2].lower()
        return target == _my_username(message) if target else self.bare


PRIVATE = filters.ChatType.PRIVATE
ADDRESSED = _MentionsMe() | _RepliesToMe()
# What the bot answers at all: a private chat, or in a group a message meant for it (any of its commands
# included: python-telegram-bot's CommandHandler already skips `/x@otherbot`).
FOR_ME = PRIVATE | ADDRESSED | _CommandForMe(bare=True)
# An unknown command is answered in a group only when addressed by name: `/meteo` may be another bot's.
UNKNOWN_COMMAND_FOR_ME = PRIVATE | _CommandForMe(bare=False)


def question(message: Message) -> str:
    """The message text without the mention of this bot ("@thisbot when is the forum?" -> "when is the forum?")."""
    username = _my_username(message)
    text = message.text or ""
    if not username:
        return text
    return re.sub(rf"(?i)@{re.escape(username)}\b[,:]?\s*", "", text).strip() or text
