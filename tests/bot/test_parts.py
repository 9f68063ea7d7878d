"""The bot's own pieces, each checked for what a user would see: message splitting and HTML rendering, button
payloads, flood limit, Arabic shaping for terminals, upload file names, and Rasa failures turned into one error."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram_html import check, markers

from actions.rich import Rich, bold, italic, link, linked
from bot.admin import safe_name
from bot.flood import FloodGuard, Verdict
from bot.keyboards import CALLBACK_LIMIT, callback_data, keyboard, payload_of
from bot.rasa_client import Button, RasaClient, RasaUnavailable, parse_replies, request_body
from bot.splitting import TELEGRAM_LIMIT, split_message
from bot.telegram_text import html_parts, render, utf16_length
from bot.text_render import has_rtl, shape


def test_long_reply_is_split_at_sentence_ends_without_losing_text():
    sentences = [f"Phrase numéro {i} sur les démarches en ligne." for i in range(300)]
    text = " ".join(sentences)
    chunks = split_message(text)
    assert len(chunks) > 1 and all(len(chunk) <= TELEGRAM_LIMIT for chunk in chunks)
    assert all(chunk.endswith(".") for chunk in chunks)  # never cut in the middle of a sentence
    assert " ".join(chunks) == text


def test_arabic_question_marks_and_paragraphs_are_boundaries():
    text = "ما هي الوثائق؟ " * 400 + "\n\nالفقرة الأخيرة."
    chunks = split_message(text)
    assert all(len(chunk) <= TELEGRAM_LIMIT and chunk.endswith(("؟", ".")) for chunk in chunks)
    assert chunks[-1].endswith("الفقرة الأخيرة.")


def test_a_sentence_longer_than_a_message_is_cut_between_words():
    text = "kifach " * 1500
    chunks = split_message(text)
    assert all(len(chunk) <= TELEGRAM_LIMIT for chunk in chunks)
    assert all(word == "kifach" for chunk in chunks for word in chunk.split())


def test_short_reply_is_one_message():
    assert split_message("Bonjour !") == ["Bonjour !"]
    assert split_message("   ") == []


def test_formatting_becomes_telegram_html_with_every_text_escaped():
    reply = Rich(
        bold("Passeport & visa <2025>"),
        "\n",
        italic("jeudi 10 avril"),
        "\nPrix : 500 DH > 300 DH\n",
        linked("Voir https://www.passeport.ma/demande_en_ligne."),
    )
    html = render(reply)
    assert html.startswith("<b>Passeport &amp; visa &lt;2025&gt;</b>\n<i>jeudi 10 avril</i>")
    assert '<a href="https://www.passeport.ma/demande_en_ligne">https://www.passeport.ma/demande_en_ligne</a>.' in html
    assert check(html) == reply.plain and not markers(check(html))


def test_formatting_from_the_wire_keeps_only_safe_styles_and_web_links():
    sent = [
        {"text": "Titre", "style": "bold"},
        {"text": " clic", "link": "javascript:alert(1)"},
        {"text": " x", "style": "blink"},
    ]
    assert Rich.from_json(sent) == Rich(bold("Titre"), " clic x")
    assert Rich.from_json("<b>x</b>") is None and Rich.from_json([{"style": "bold"}]) is None
    replies = parse_replies([{"text": "Titre", "custom": {"rich": [{"text": "Titre", "style": "bold"}]}}])
    assert render(replies[0].content) == "<b>Titre</b>"


def test_long_formatted_reply_is_cut_between_sentences_never_inside_a_tag_entity_or_link():
    lines = [
        Rich(
            bold(f"Séance {i} & atelier"),
            " — ",
            italic("salle <A>"),
            " : ",
            link(f"https://berkane.ma/s_{i}"),
            ". Fin.",
        )
        for i in range(200)
    ]
    reply = Rich.join("\n", lines)
    parts = html_parts(reply)
    assert len(parts) > 1 and all(utf16_length(part) <= TELEGRAM_LIMIT for part in parts)
    visible = [check(part) for part in parts]  # each part is HTML Telegram accepts on its own
    assert "\n".join(visible) == reply.plain  # cut at line ends: nothing lost, nothing added
    assert all(2 * part.count("<a ") == 2 * part.count("</a>") == part.count("https://") for part in parts)


def test_a_formatted_sentence_longer_than_a_message_is_cut_between_words():
    reply = Rich(bold("gras " * 1000), "&lt; " * 1000)
    parts = html_parts(reply)
    assert len(parts) > 2 and all(utf16_length(part) <= TELEGRAM_LIMIT for part in parts)
    assert " ".join(check(part) for part in parts).split() == reply.plain.split()


def test_long_payload_goes_through_a_short_key_and_comes_back():
    store: dict[str, str] = {}
    long_payload = '/choose_document{"doc_id": "service-urban-permits-occupancy-fr-with-a-long-name"}'
    short = '/service_info{"service":"cnie"}'
    assert callback_data(short, store) == short
    key = callback_data(long_payload, store)
    assert len(key.encode()) <= CALLBACK_LIMIT and payload_of(key, store) == long_payload
    markup = keyboard([Button("Permis d'habiter", long_payload), Button("CNIE", short)], store)
    assert [row[0].callback_data for row in markup.inline_keyboard] == [key, short]
    assert keyboard([], store) is None


def test_arabic_payload_over_64_bytes_is_keyed():
    store: dict[str, str] = {}
    payload = "/service_info" + '{"q":"' + "ب" * 40 + '"}'
    assert len(payload) < 64 < len(payload.encode())
    assert payload_of(callback_data(payload, store), store) == payload


def test_flood_guard_warns_once_then_drops_until_the_window_passes():
    now = [0.0]
    guard = FloodGuard(limit=8, window=10.0, clock=lambda: now[0])
    verdicts = [guard.check(1) for _ in range(11)]
    assert verdicts[:8] == [Verdict.ALLOW] * 8 and verdicts[8] == Verdict.WARN and verdicts[9:] == [Verdict.DROP] * 2
    assert guard.check(2) == Verdict.ALLOW  # another user is not affected
    now[0] = 30.0
    assert guard.check(1) == Verdict.ALLOW


def test_shaping_joins_letters_and_orders_right_to_left():
    shaped = shape("مرحبا بكم")
    assert has_rtl("مرحبا") and not has_rtl("Bonjour")
    assert all("\ufe70" <= ch <= "\ufeff" or ch == " " for ch in shaped)  # presentation (joined) forms
    assert shaped.split(" ")[0] == shape("بكم")  # the last word is leftmost
    assert shape("Bonjour") == "Bonjour"
    assert shape("ب (ENIAD)", rtl=True).startswith("(ENIAD)")  # brackets mirrored, Latin kept readable


def test_uploaded_file_names_cannot_choose_a_path():
    assert safe_name("../../etc/passwd.md") == "passwd.md"
    assert safe_name("Guide CNIE (2025).PDF") == "Guide_CNIE_2025.pdf"
    assert safe_name("دليل.docx").startswith("upload-") and safe_name("دليل.docx") != safe_name("برنامج.docx")


def test_rasa_replies_become_text_buttons_and_images():
    replies = parse_replies(
        [
            {"recipient_id": "tg:1", "text": "Oui ?", "buttons": [{"title": "A", "payload": "/a"}]},
            {"recipient_id": "tg:1", "image": "https://example.org/a.png"},
            {"recipient_id": "tg:1", "custom": {}},
            "junk",
        ]
    )
    assert [r.text for r in replies] == ["Oui ?", ""] and replies[0].buttons == (Button("A", "/a"),)
    assert replies[1].image == "https://example.org/a.png"


def test_language_goes_to_rasa_only_when_chosen():
    assert request_body("tg:5", "salam", None, "telegram")["metadata"] == {"channel": "telegram"}
    assert request_body("tg:5", "salam", "ary", "telegram")["metadata"] == {"channel": "telegram", "language": "ary"}


def test_rasa_down_is_one_typed_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens there once the socket is closed

    async def ask() -> None:
        client = RasaClient(f"http://127.0.0.1:{port}", timeout=3)
        try:
            await client.send("tg:1", "salam")
        finally:
            await client.aclose()

    with pytest.raises(RasaUnavailable):
        asyncio.run(ask())
