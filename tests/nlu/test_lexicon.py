"""Lexicon entities: actions get one canonical value whatever the variety, and spans that point into the
text the citizen typed."""

from __future__ import annotations

import pytest

from nlu.lexicon import find_entities


def found(text: str) -> set[tuple[str, str, str]]:
    """(entity, value, original text of the span) of every entity found."""
    return {(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in find_entities(text)}


def values(text: str, entity: str) -> list[str]:
    return [e["value"] for e in find_entities(text) if e["entity"] == entity]


@pytest.mark.parametrize(
    "text,value",
    [
        ("نهار 11", "11"),
        ("le 11 avril", "11"),
        ("the 10th", "10"),
        ("يوم 10 أبريل", "10"),
        ("غدا", "tomorrow"),
        ("demain", "tomorrow"),
        ("ghda", "tomorrow"),
        ("tomorrow", "tomorrow"),
        ("اليوم", "today"),
        ("aujourd'hui", "today"),
        ("lyoum", "today"),
        ("البارح", "yesterday"),
        ("hier", "yesterday"),
        ("نهار الجمعة", "friday"),
        ("vendredi", "friday"),
        ("lkhmis", "thursday"),
        ("Monday", "monday"),
        ("الاثنين", "monday"),
        ("samedi", "saturday"),
    ],
)
def test_day(text: str, value: str) -> None:
    assert values(text, "day") == [value]


@pytest.mark.parametrize(
    "text,value",
    [
        ("at 10", "10:00"),
        ("à 10h30", "10:30"),
        ("الساعة 9", "09:00"),
        ("m3a 14:15", "14:15"),
        ("f l3chiya", "evening"),
        ("فالصباح", "morning"),
        ("le matin", "morning"),
        ("l'après-midi", "afternoon"),
        ("in the evening", "evening"),
        ("بعد الظهر", "afternoon"),
        ("midi", "noon"),
        ("sba7", "morning"),
    ],
)
def test_time(text: str, value: str) -> None:
    assert values(text, "time") == [value]


@pytest.mark.parametrize("text", ["صباح الخير", "sba7 lkhir", "bonsoir", "good morning", "مساء الخير"])
def test_greetings_are_not_times(text: str) -> None:
    assert values(text, "time") == []


@pytest.mark.parametrize("text", ["il coûte 500 dh", "2 jours", "ch7al 3la 10 ayam"])
def test_numbers_that_are_not_times(text: str) -> None:
    assert values(text, "time") == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("جاوبني بالفرنسية", "fr"),
        ("en français svp", "fr"),
        ("b lfransawiya 3afak", "fr"),
        ("hder m3aya b darija", "ary"),
        ("بالدارجة عافاك", "ary"),
        ("réponds en arabe", "ar"),
        ("بالعربية الفصحى", "ar"),
        ("answer in English please", "en"),
        ("بالانجليزية", "en"),
        ("switch to french", "fr"),
        ("l3arbiya 3afak", "ar"),
    ],
)
def test_language_choice(text: str, value: str) -> None:
    assert values(text, "language_choice") == [value]


def test_spans_point_into_the_original_text() -> None:
    text = "Salam!! BGHIT  3a9d l izdiyad, le 11 à 10h30"
    assert ("day", "11", "le 11") in found(text)
    assert ("time", "10:30", "10h30") in found(text)
    assert all(text[e["start"] : e["end"]].strip() == text[e["start"] : e["end"]] for e in find_entities(text))


def test_spans_survive_diacritics_and_elongation() -> None:
    text = "بـــالفَرَنْسِيَّة من فضلك"
    [entity] = [e for e in find_entities(text) if e["entity"] == "language_choice"]
    assert text[entity["start"] : entity["end"]] == "بـــالفَرَنْسِيَّة"


def test_service_and_document_in_every_variety() -> None:
    """Uses the service/document lexicons written by the knowledge side: one question per variety."""
    for text in [
        "كيف أحصل على عقد الازدياد؟",
        "بغيت عقد الازدياد",
        "kifach nakhod 3a9d l izdiyad",
        "extrait d'acte de naissance",
        "birth certificate",
    ]:
        assert "civil_status" in values(text, "service"), text


def test_passport_in_arabic_darija_latin_french() -> None:
    for text in ["جواز السفر", "الباسبور", "passeport", "passport"]:
        assert values(text, "service") == ["passport"], text


def test_longest_match_wins() -> None:
    """ "à 10h30" is one time, not 10:00 and 10:30."""
    assert values("rendez-vous à 10h30", "time") == ["10:30"]


@pytest.mark.parametrize("bad", ["", "   ", None, "👍", "x" * 5000, "نهار 11 le 11 at 10 " * 250, "\ud800", "((["])
def test_never_raises(bad: object) -> None:
    assert isinstance(find_entities(bad), list)


def test_a_caller_editing_its_entities_changes_no_later_answer() -> None:
    """The entities of a text are computed once (the NLU asks twice per message); each caller gets copies."""
    text = "Quels papiers pour le passeport biométrique ?"
    first = find_entities(text)
    expected = [dict(entity) for entity in first]
    first[0]["value"] = "edited"
    first.append({"entity": "service", "value": "invented"})
    assert find_entities(text) == expected and expected
