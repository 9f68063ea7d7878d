"""The Telegram bot end to end: the real `python -m bot` against a fake Bot API server, answering with the
real Rasa and action servers. Each test is one thing a Telegram user (or admin) does and sees."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from conftest import ADMIN_ID
from fake_telegram import Call, FakeTelegram
from PIL import Image

ARABIC = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
STICKER = {
    "sticker": {
        "file_id": "st1",
        "file_unique_id": "st1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}


def script(text: str) -> str:
    text = re.sub(r"https?://\S+|\b[\w.-]+\.(ma|com|org)\b", " ", text)
    return "arab" if len(ARABIC.findall(text)) >= len(LATIN.findall(text)) else "latn"


def reply_to(
    telegram: FakeTelegram,
    user: int,
    since: int,
    contains: tuple[str, ...] = (),
    method: str = "sendMessage",
    timeout: float = 90,
) -> Call:
    """The first message the bot sends `user` after `since` that contains all of `contains`."""
    return telegram.wait_for(
        lambda c: c.method == method and c.chat_id == user and all(word in c.text.lower() for word in contains),
        since,
        timeout,
    )


def test_start_offers_four_languages_and_the_choice_steers_answers(bot, telegram, user):
    since = telegram.message(user, "/start", language_code="fr")
    welcome = reply_to(telegram, user, since)
    assert "Bienvenue" in welcome.text
    assert [b["text"] for b in welcome.buttons] == ["العربية", "الدارجة", "Français", "English"]
    since = telegram.press(user, "lang:ary")
    confirmation = reply_to(telegram, user, since)
    assert script(confirmation.text) == "arab"
    assert telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)
    since = telegram.message(user, "ch7al kaykhlles l wa7ed 3la l passport?")
    answer = reply_to(telegram, user, since, ("500",))
    assert script(answer.text) == "arab", answer.text  # Darija chosen: Arabic letters, not French


@pytest.mark.parametrize(
    "text,expected,letters",
    [
        ("في أي تاريخ سينظم الملتقى الدولي للمدن الذكية ببركان؟", ("10", "11"), "arab"),  # ar
        ("شحال خاصني نخلص باش نصاوب الباسبور؟", ("500",), "arab"),  # ary
        ("ch7al khassni nkhelles 3la l passport?", ("500",), None),  # ary_Latn
        ("Quand se tient le forum des villes intelligentes de Berkane ?", ("10", "avril"), "latn"),  # fr
    ],
)
def test_a_question_in_each_variety_is_answered(bot, telegram, user, text, expected, letters):
    since = telegram.message(user, text)
    answer = reply_to(telegram, user, since, expected)
    if letters:
        assert script(answer.text) == letters, answer.text
    typing = telegram.sent(since, "sendChatAction", user)
    assert typing and typing[0].params["action"] == "typing"


def test_services_menu_button_asks_rasa_about_that_service(bot, telegram, user):
    since = telegram.message(user, "/lang fr")
    reply_to(telegram, user, since, ("français",))
    since = telegram.message(user, "/services")
    menu = reply_to(telegram, user, since)
    passport = next(b for b in menu.buttons if "Passeport" in b["text"])
    assert len(menu.buttons) >= 10 and all(len(b["callback_data"].encode()) <= 64 for b in menu.buttons)
    since = telegram.press(user, passport["callback_data"])
    answer = reply_to(telegram, user, since, ("passeport",))
    assert script(answer.text) == "latn"
    assert telegram.wait_for(lambda c: c.method == "answerCallbackQuery", since)


def test_programme_comes_as_text_and_a_picture(bot, telegram, user):
    since = telegram.message(user, "/programme 10", language_code="fr")
    photo = reply_to(telegram, user, since, method="sendPhoto")
    image = Image.open(io.BytesIO(photo.files["photo"]))
    assert image.format == "PNG" and image.height > 200
    assert telegram.sent(since, "sendMessage", user), "no text with the programme"


@pytest.mark.parametrize(
    "content,language_code,expected",
    [
        (STICKER, "fr", "je ne lis que"),
        ({"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3}}, "en", "only read text"),
        ({"location": {"latitude": 34.92, "longitude": -2.32}}, "ar", "النصية"),
        ({"photo": [{"file_id": "ph", "file_unique_id": "ph", "width": 90, "height": 90}]}, None, "النصية"),
    ],
)
def test_what_the_bot_cannot_read_gets_a_polite_reply(bot, telegram, user, content, language_code, expected):
    since = telegram.message(user, language_code=language_code, **content)
    reply_to(telegram, user, since, (expected,))


def test_unknown_command_points_to_help(bot, telegram, user):
    since = telegram.message(user, "/meteo", language_code="fr")
    reply_to(telegram, user, since, ("/help",))


def test_flooding_user_is_asked_to_slow_down(bot, telegram, user):
    since = len(telegram.calls)
    for _ in range(10):
        telegram.message(user, language_code="fr", **STICKER)
    reply_to(telegram, user, since, ("ralentir",))


ADDED_DOC = """---
id: {doc_id}
lang: fr
title: Guichet de test Zéphyrine
topic: general
source: [tests/bot]
checked: 2026-11-26
provisional: true
---
Document de test ajouté par les tests du bot. Le guichet Zéphyrine remet le formulaire bleu numéro 8841 aux
habitants qui le demandent.
"""


def search_ids(stack, monkeypatch, question: str) -> set[str]:
    """What the knowledge base of the test stack finds for `question` (ids of the documents)."""
    monkeypatch.setenv("BERKANE_VAR", str(stack.var_dir))
    from knowledge import KnowledgeBase

    return {hit.doc_id for hit in KnowledgeBase.open().search(question, lang="fr", k=5)}


def test_admin_upload_becomes_searchable_and_rollback_removes_it(stack, bot, telegram, monkeypatch):
    doc_id = f"test-upload-{uuid.uuid4().hex[:6]}"
    since = telegram.command_caption_document(
        ADMIN_ID, "/add", "guichet zephyrine.md", ADDED_DOC.format(doc_id=doc_id).encode()
    )
    added = reply_to(telegram, ADMIN_ID, since, ("zéphyrine",), timeout=300)
    assert doc_id in added.text and "fr" in added.text and "passages" in added.text
    assert doc_id in search_ids(stack, monkeypatch, "formulaire bleu 8841 guichet Zéphyrine")
    since = telegram.message(ADMIN_ID, "/stats")
    assert "documents" in reply_to(telegram, ADMIN_ID, since).text
    since = telegram.message(ADMIN_ID, "/rollback")
    reply_to(telegram, ADMIN_ID, since, ("index",), timeout=120)
    assert doc_id not in search_ids(stack, monkeypatch, "formulaire bleu 8841 guichet Zéphyrine")


def down_votes(telegram: FakeTelegram, doc_id: str) -> int:
    """The 👎 count the admin's /feedback shows for `doc_id` (0 when it is not listed)."""
    since = telegram.message(ADMIN_ID, "/feedback")
    listing = reply_to(telegram, ADMIN_ID, since).text
    found = re.search(rf"doc_id: {re.escape(doc_id)}\nup: \d+\ndown: (\d+)", listing)
    return int(found.group(1)) if found else 0


def test_admin_sees_a_citizens_unanswered_question_and_down_vote(bot, telegram, user):
    """What the team reads to improve the documents: the question nothing answered, the answer voted down."""
    before = down_votes(telegram, "forum-venue-fr")
    since = telegram.message(user, "Où se tient le forum ?", language_code="fr")
    answer = telegram.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.chat_id == user
            and any(b["callback_data"].startswith("/feedback_negative") for b in c.buttons)
        ),
        since,
        timeout=90,
    )
    down = next(b for b in answer.buttons if b["callback_data"].startswith("/feedback_negative"))
    assert "forum-venue-fr" in down["callback_data"], answer.buttons
    since = telegram.press(user, down["callback_data"])
    reply_to(telegram, user, since)
    since = telegram.message(user, "Combien coûte la licence de pêche en mer à Saïdia ?", language_code="fr")
    reply_to(telegram, user, since, ("pas trouvé",))
    since = telegram.message(ADMIN_ID, "/unanswered")
    reply_to(telegram, ADMIN_ID, since, ("licence de pêche en mer à saïdia",))
    assert down_votes(telegram, "forum-venue-fr") == before + 1


def test_non_admin_is_refused_and_nothing_is_added(stack, bot, telegram, user, monkeypatch):
    doc_id = f"test-refused-{uuid.uuid4().hex[:6]}"
    start = since = telegram.command_caption_document(
        user, "/add", "intrus.md", ADDED_DOC.format(doc_id=doc_id).encode()
    )
    reply_to(telegram, user, since, ("مخصص للمشرفين",))
    since = telegram.message(user, "/reindex", language_code="fr")
    reply_to(telegram, user, since, ("réservée",))
    assert doc_id not in search_ids(stack, monkeypatch, "formulaire bleu 8841 guichet Zéphyrine")
    assert not telegram.sent(start, "getFile"), "a non-admin's file was downloaded"


def test_no_message_is_longer_than_telegram_allows(bot, telegram, user):
    """Telegram refuses a message over 4096 characters: the whole programme (the longest reply a citizen can
    ask for) arrives, and no message of the session, this one's or earlier tests', is over the limit."""
    since = telegram.message(user, "/programme", language_code="fr")
    telegram.wait_for(lambda c: c.method == "sendPhoto" and c.chat_id == user, since, timeout=90)
    programme = "\n".join(call.text for call in telegram.sent(since, "sendMessage", user))
    assert "10 avril" in programme and "11 avril" in programme, programme[:500]
    assert all(len(call.text) <= 4096 for call in telegram.calls if call.method == "sendMessage")


def test_action_server_down_gets_try_again_later(stack, bot, telegram, user):
    stack.stop_actions()
    try:
        since = telegram.message(user, "Combien coûte la CNIE ?", language_code="fr")
        reply_to(telegram, user, since, ("indisponible",), timeout=60)
    finally:
        stack.start_actions()


def test_rasa_down_gets_try_again_later_and_the_bot_recovers(stack, bot, telegram, user):
    """Last on purpose: it stops the session's Rasa server (and always restarts it)."""
    stack.stop_rasa()
    try:
        since = telegram.message(user, "Combien coûte la CNIE ?", language_code="fr")
        reply_to(telegram, user, since, ("indisponible",), timeout=20)
        since = telegram.message(user, language_code="fr", **STICKER)
        reply_to(telegram, user, since, ("je ne lis que",), timeout=20)
    finally:
        stack.start_rasa()
    assert bot.poll() is None, "the bot process died"
    since = telegram.message(user, "Combien coûte la CNIE ?")
    reply_to(telegram, user, since, ("75",))
