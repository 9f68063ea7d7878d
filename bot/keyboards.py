"""Rasa buttons <-> Telegram inline keyboards. Telegram limits callback_data to 64 bytes, so a longer payload
is stored under a short key (kept in the persisted bot_data, so buttons still work after a restart)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, MutableMapping

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.rasa_client import Button

CALLBACK_LIMIT = 64
KEY_PREFIX = "k:"
LANGUAGE_PREFIX = "lang:"
MAX_STORED = 5000


def callback_data(payload: str, store: MutableMapping[str, str]) -> str:
    """`payload` itself when it fits and cannot be mistaken for a key, else a short key stored in `store`."""
    if len(payload.encode("utf-8")) <= CALLBACK_LIMIT and not payload.startswith((KEY_PREFIX, LANGUAGE_PREFIX)):
        return payload
    key = KEY_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
    store.pop(key, None)
    store[key] = payload
    while len(store) > MAX_STORED:
        store.pop(next(iter(store)))
    return key


def payload_of(data: str, store: MutableMapping[str, str]) -> str | None:
    """The payload behind a pressed button (None when a stored key was forgotten)."""
    return store.get(data) if data.startswith(KEY_PREFIX) else data


def keyboard(buttons: Iterable[Button], store: MutableMapping[str, str]) -> InlineKeyboardMarkup | None:
    """One button per row (titles in Arabic and French are long); None when there are no buttons."""
    rows = [[InlineKeyboardButton(b.title[:64], callback_data=callback_data(b.payload, store))] for b in buttons]
    return InlineKeyboardMarkup(rows) if rows else None


def language_keyboard(languages: dict[str, str]) -> InlineKeyboardMarkup:
    """The language choice shown by /start and /lang, two per row."""
    buttons = [InlineKeyboardButton(name, callback_data=LANGUAGE_PREFIX + code) for code, name in languages.items()]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
