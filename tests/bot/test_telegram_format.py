"""What Telegram users see of the answers' formatting, and who the bot answers in a group: the real `python -m
bot` against the fake Bot API, with the real Rasa and action servers. Every message is checked as Telegram
would parse it (`telegram_html.check`): HTML parse mode, only Telegram's tags, balanced, entities valid."""

from __future__ import annotations

import itertools
import time

from fake_telegram import BOT_USERNAME, Call, FakeTelegram
from telegram_html import check, markers

from actions.rich import Rich, from_custom, linked
from bot.splitting import TELEGRAM_LIMIT
from bot.telegram_text import html_parts, utf16_length

_groups = itertools.count(-1001000000001, -1)
QUIET = 5.0  # seconds a group message the bot must ignore is given to (wrongly) get an answer


def answer(telegram: FakeTelegram, chat: int, since: int, contains: tuple[str, ...] = (), timeout: float = 90) -> Call:
    """The first message the bot sends `chat` after `since` whose visible text contains all of `contains`."""
    return telegram.wait_for(
        lambda c: (
            c.method == "sendMessage" and c.chat_id == chat and all(word in check(c.text).lower() for word in contains)
        ),
        since,
        timeout,
    )


def assert_shown_well(call: Call) -> str:
    """`call` is HTML Telegram accepts, fits in a message and shows no raw marker; returns what the user sees."""
    assert call.params.get("parse_mode") == "HTML", call.params
    visible = check(call.text)
    assert utf16_length(call.text) <= TELEGRAM_LIMIT
    assert not markers(visible), (markers(visible), visible)
    return visible


def test_service_answer_is_formatted_html_without_markers(bot, telegram, user):
    since = telegram.message(user, "Combien coûte le passeport biométrique ?", language_code="fr")
    reply = answer(telegram, user, since, ("500",))
    assert_shown_well(reply)
    assert "<b>Passeport biométrique</b>" in reply.text  # the title, bold: formatting is rendered
    assert '<a href="https://' in reply.text  # the source as a link


def test_programme_answer_is_formatted_and_says_what_rest_clients_read(stack, bot, telegram, user):
    """The whole programme (the longest answer a citizen gets): valid HTML messages, day headings in italics,
    and, read together, exactly the plain text a REST client gets for the same request."""
    since = telegram.message(user, "/programme", language_code="fr")
    telegram.wait_for(lambda c: c.method == "sendPhoto" and c.chat_id == user, since, timeout=90)
    texts = telegram.sent(since, "sendMessage", user)
    visible = "\n".join(assert_shown_well(call) for call in texts)
    assert any("<i>" in call.text for call in texts) and any("<b>" in call.text for call in texts)
    rest = stack.say("/forum_programme", metadata={"channel": "telegram"})
    assert " ".join(visible.split()) == " ".join(" ".join(entry.get("text", "") for entry in rest).split())


def test_rest_gets_one_entry_per_reply_with_plain_text_buttons_and_the_formatting(stack):
    entries = stack.say("Combien coûte le passeport biométrique ?", metadata={"language": "fr"})
    entry = next(e for e in entries if "500" in e.get("text", ""))
    assert entry["buttons"] and "*" not in entry["text"]
    rich = from_custom(entry.get("custom"))
    assert rich is not None and rich.plain == entry["text"]


def test_a_long_formatted_reply_splits_into_valid_parts_losing_nothing(stack):
    """The real programme's spans several times over (bold, italics, links, "&" and "<" in a title): each part
    is valid HTML within the limit, no link is cut, and the parts' text is the reply's."""
    entry = next(e for e in stack.say("/forum_programme", metadata={"language": "fr"}) if e.get("custom"))
    programme = from_custom(entry["custom"])
    extra = Rich("Questions & réponses <session> — ", linked("inscription sur https://berkane.ma/forum_2025."))
    long = Rich.join("\n\n", [programme, extra] * 4)
    parts = html_parts(long)
    assert len(parts) > 1
    visible = [check(part) for part in parts]
    assert all(utf16_length(part) <= TELEGRAM_LIMIT and not markers(text) for part, text in zip(parts, visible))
    assert " ".join(" ".join(visible).split()) == " ".join(long.plain.split())
    links = [span.text for span in long.spans if span.link]
    assert links and all(any(f">{url}</a>" in part for part in parts) for url in links)


def test_every_message_of_the_session_is_html_telegram_accepts(bot, telegram, user):
    since = telegram.message(user, "/help", language_code="fr")
    answer(telegram, user, since, ("/programme",))
    for call in telegram.calls:
        if call.method == "sendMessage":
            assert_shown_well(call)


def test_in_a_group_only_messages_meant_for_the_bot_get_an_answer(bot, telegram, user):
    group = next(_groups)
    since = telegram.group_message(user, group, "Quand a lieu le forum de Berkane ?")  # chatting
    telegram.group_message(user, group, "/start@other_bot")  # another bot's
    telegram.group_message(user, group, new_chat_members=[telegram.user(user + 1)])  # a join notice
    telegram.group_message(user, group, "/meteo")  # maybe another's
    telegram.group_message(user, group, f"@{BOT_USERNAME} Quand a lieu le forum de Berkane ?")  # for the bot
    mentioned = answer(telegram, group, since, ("10",))
    assert_shown_well(mentioned)
    time.sleep(QUIET)
    sent = telegram.sent(since, "sendMessage", group)
    assert sent == [mentioned], [check(call.text)[:80] for call in sent]


def test_in_a_group_a_reply_to_the_bot_and_its_commands_are_answered(bot, telegram, user):
    group = next(_groups)
    since = telegram.group_message(user, group, "Combien coûte le passeport biométrique ?", reply_to_bot=True)
    assert_shown_well(answer(telegram, group, since, ("500",)))
    since = telegram.group_message(user, group, f"/ask@{BOT_USERNAME} Quand a lieu le forum de Berkane ?")
    assert_shown_well(answer(telegram, group, since, ("10",)))
    since = telegram.group_message(user, group, f"/help@{BOT_USERNAME}", language_code="fr")
    assert_shown_well(answer(telegram, group, since, ("/ask",)))
