"""/forget on Telegram: the citizen confirms with a button, then their conversation is erased in Rasa's stores
(the real bot, the fake Bot API, the real servers)."""

from __future__ import annotations

import sqlite3

from fake_telegram import FakeTelegram

from stack import tokens


def tracked(stack, user: int) -> int:
    with sqlite3.connect(stack.var_dir / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"tg:{user}",)).fetchone()[0]


def test_forget_asks_then_erases_the_conversation_in_the_users_language(stack, bot, telegram: FakeTelegram, user):
    # the bot finds Rasa's API token where `stack` publishes it for local clients
    tokens.publish(stack.var_dir, tokens.Tokens(stack.rasa.token, stack.actions.token))
    since = telegram.press(user, "lang:fr")
    telegram.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user, since, timeout=30)
    since = telegram.message(user, "Où se tient le forum ?", language_code="fr")
    telegram.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == user and "forum" in c.text.lower(), since, timeout=90
    )
    assert tracked(stack, user) > 0

    since = telegram.message(user, "/forget", language_code="fr")
    ask = telegram.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user and c.buttons, since, 30)
    assert "Effacer votre conversation" in ask.text and ask.buttons[0]["text"] == "Oui, effacer", ask
    assert tracked(stack, user) > 0  # nothing erased before the confirmation

    since = telegram.press(user, ask.buttons[0]["callback_data"])
    done = telegram.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user, since, timeout=30)
    assert "Votre conversation est effacée" in done.text, done.text
    assert tracked(stack, user) == 0
