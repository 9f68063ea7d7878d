"""`nlu.languages`: every variety a user writes is answered from documents that exist, and every part (search,
actions, bot, document converter) applies the same rule, so Darija users never get French from one part and
Arabic from another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from actions.i18n import STRINGS, t
from bot.messages import text as bot_text
from bot.programme import rows
from bot.services import service_buttons
from knowledge import ProgrammeItem
from knowledge.documents import DOC_LANGS, load_markdown_file, scan_markdown
from nlu.languages import (
    DEFAULT_LANGUAGE,
    DOCUMENT_LANGUAGES,
    VARIETIES,
    document_language,
    document_languages,
    localised,
    reply_chain,
)
from nlu.text import has_arabic

DOCUMENTS = Path(__file__).parents[2] / "knowledge" / "documents"
ITEM = ProgrammeItem(
    id="x",
    day=dt.date(2025, 4, 10),
    kind="panel",
    title={"ar": "افتتاح", "fr": "Ouverture", "en": "Opening"},
    place={"fr": "Siège de la province"},
)


def test_every_variety_is_answered_from_documents_that_exist() -> None:
    shipped = {load_markdown_file(path).lang for path in scan_markdown(DOCUMENTS)}
    assert set(DOCUMENT_LANGUAGES) == set(DOC_LANGS) == shipped
    for variety in VARIETIES:
        assert document_languages(variety)[0] == document_language(variety)
        assert set(document_languages(variety)) <= shipped


@pytest.mark.parametrize(
    "variety, documents",
    [
        ("ar", ["ar"]),
        ("ary", ["ar"]),
        ("ary_Latn", ["ar"]),
        ("fr", ["fr"]),
        ("en", ["en", "fr"]),
        (None, ["fr"]),
        ("de", ["fr"]),
    ],
)
def test_darija_reads_arabic_documents_and_english_falls_back_to_french(variety, documents) -> None:
    assert document_languages(variety) == documents


@pytest.mark.parametrize("variety", ["ar", "ary", "ary_Latn"])
def test_arabic_and_darija_users_get_arabic_from_every_part(variety: str) -> None:
    assert all(has_arabic(button.title) for button in service_buttons(variety))  # bot menu
    assert localised(ITEM.title, variety) == "افتتاح"  # action replies
    assert rows([ITEM], document_language(variety))[0].title == "افتتاح"  # programme cards


@pytest.mark.parametrize(
    "variety, title, label", [("fr", "Ouverture", "Passeport biométrique"), ("en", "Opening", "Biometric passport")]
)
def test_french_and_english_users_get_their_language_from_every_part(variety: str, title: str, label: str) -> None:
    assert label in [button.title for button in service_buttons(variety)]
    assert localised(ITEM.title, variety) == title
    assert localised(ITEM.place, variety) == "Siège de la province"  # missing: French


def test_reply_chains_reach_a_written_language_without_looping() -> None:
    assert reply_chain("ary_Latn") == ["ary_Latn", "ary", "ar", "fr"]
    assert reply_chain("en") == ["en", "fr", "ar"]
    assert reply_chain("xx") == reply_chain(None) == reply_chain(DEFAULT_LANGUAGE)
    for variety in VARIETIES:
        chain = reply_chain(variety)
        assert chain[0] == variety and len(chain) == len(set(chain)) and set(chain) & {"ar", "fr"}


def test_a_reply_missing_in_a_variety_comes_from_the_next_in_its_chain() -> None:
    STRINGS["_probe"] = {"ar": "عربية", "fr": "français"}
    try:
        assert t("_probe", "ary_Latn") == "عربية"
        assert t("_probe", "en") == t("_probe", "xx") == "français"
    finally:
        del STRINGS["_probe"]
    assert t("en_note", "fr").startswith("(No English document")  # the only variant there is
    assert bot_text("help", "ary_Latn") == bot_text("help", "ary")  # the bot: Arabizi users read Darija
    assert bot_text("help", None) == bot_text("help", "ar")
