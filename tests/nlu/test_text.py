"""`nlu.text.normalise`: the same word typed ten ways must reach the classifier, the lexicons and the
knowledge search as one word."""

from __future__ import annotations

import pytest

from nlu.text import ascii_digits, has_arabic, has_latin, normalise, strip_accents


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("أحمد", "احمد"),
        ("إلى", "الي"),
        ("آخر", "اخر"),
        ("ٱلله", "الله"),
        ("مدرسة", "مدرسه"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("على", "علي"),
        ("مَرْحَبًا", "مرحبا"),
        ("مـــرحبا", "مرحبا"),
        ("٢٠٢٥", "2025"),
        ("۱۱ أبريل", "11 ابريل"),
        ("bzzzaaaf", "bzaf"),
        ("بزززاف", "بزاف"),
        ("شكرااااا", "شكرا"),
        ("  Bonjour   TOUT  le\tmonde ", "bonjour tout le monde"),
        ("ﻻ", "لا"),
        ("ﬁche", "fiche"),
    ],
)
def test_spellings_fold_to_one_form(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


def test_double_letters_and_addresses_survive() -> None:
    """ "allah", "passport" keep their double letters; a web address stays usable."""
    assert normalise("Allah passport") == "allah passport"
    assert normalise("www.watiqa.ma") == "www.watiqa.ma"
    assert normalise("3000 dh") == "3000 dh"


def test_french_accents_are_kept_and_can_be_stripped() -> None:
    assert normalise("Délai d'obtention") == "délai d'obtention"
    assert strip_accents("délai à Berkane, ça") == "delai a Berkane, ca"
    assert strip_accents("مدرسة") == "مدرسة"


def test_normalise_is_idempotent() -> None:
    text = "كيفاااش ناخد  عقد الإزدياد؟ 3afaaak"
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize("bad", ["", "   ", None, 42, "👍🙏", "\ud800broken", "x" * 5000, "مرحبا hello 123 ✨" * 300])
def test_never_raises(bad: object) -> None:
    assert isinstance(normalise(bad), str)


def test_script_helpers() -> None:
    assert has_arabic("salam شنو") and has_latin("salam شنو")
    assert not has_arabic("salam") and not has_latin("شنو 12")


def test_ascii_digits_folds_only_the_digits() -> None:
    """Numbers typed with Arabic-Indic digits are read like ASCII ones; every other character stays put."""
    typed = "اتصل بي على ٠٦١٢٣٤٥٦٧٨ أو ۰۶۱۲ (مدرسة)"
    assert ascii_digits(typed) == "اتصل بي على 0612345678 أو 0612 (مدرسة)"
    assert normalise(typed) == normalise(ascii_digits(typed))
