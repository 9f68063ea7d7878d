"""`nlu.sentences`: one rule for where a sentence ends, used by the knowledge passages, the shortened action
replies and the bot's Telegram messages, so none of them cuts "M. Dupont" or a web address in two."""

from __future__ import annotations

import pytest

from actions.replies import shorten
from bot.splitting import split_message
from knowledge.chunking import split_text
from nlu.sentences import sentence_spans, split_sentences

TEXT = (
    "ما هي الوثائق المطلوبة؟ البطاقة الوطنية. Où déposer la demande ? Au guichet ! "
    "Voir https://www.watiqa.ma/fr/demande?type=acte. Ask M. Alaoui… He knows."
)


def test_arabic_french_and_english_sentence_ends() -> None:
    assert split_sentences(TEXT) == [
        "ما هي الوثائق المطلوبة؟",
        "البطاقة الوطنية.",
        "Où déposer la demande ?",
        "Au guichet !",
        "Voir https://www.watiqa.ma/fr/demande?type=acte.",
        "Ask M. Alaoui…",
        "He knows.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Rendez-vous avec M. Dupont et Mme. Benali au siège.",
        "Le Dr. Alaoui reçoit, cf. p. 3 du guide.",
        "Écrit par J. K. Rowling pour le forum.",
        "Portail www.watiqa.ma ou https://chikaya.ma/?q=1 pour cela.",
        "Deux phrases pour une langue qui écrit 。 ainsi",
    ],
)
def test_no_boundary_after_titles_initials_or_inside_addresses(text: str) -> None:
    assert split_sentences(text) == [text]


def test_spans_keep_the_layout_and_join_back() -> None:
    text = "Première phrase.  Deuxième ?\n\nالفقرة الثانية؟ نعم."
    assert sentence_spans(text) == ["Première phrase.  ", "Deuxième ?\n\n", "الفقرة الثانية؟ ", "نعم."]
    assert "".join(sentence_spans(TEXT)) == TEXT and sentence_spans("") == [] and split_sentences("  ") == []


def test_english_i_ends_a_sentence() -> None:
    assert split_sentences("So did I. Then we left.") == ["So did I.", "Then we left."]


@pytest.mark.parametrize("limit", [50, 70, 100, 200])
def test_passages_replies_and_messages_are_cut_only_between_the_same_sentences(limit: int) -> None:
    """Whatever the length limit, the knowledge passages, a shortened reply and the Telegram messages are made
    of whole sentences of `split_sentences` (every sentence here fits in the limit, so none needs cutting)."""
    long = " ".join([TEXT, "Payez 500 DH à M. le caïd."] * 4)
    sentences = split_sentences(long)
    assert max(len(sentence) for sentence in sentences) <= limit

    def whole(piece: str) -> bool:
        return all(part in sentences for part in split_sentences(piece))

    passages, messages, reply = split_text(long, limit), split_message(long, limit), shorten(long, limit)
    assert len(passages) > 1 and all(len(passage) <= limit and whole(passage) for passage in passages)
    assert len(messages) > 1 and all(len(message) <= limit and whole(message) for message in messages)
    assert len(reply) <= limit and split_sentences(reply) == sentences[: len(split_sentences(reply))]
