"""Function words and very frequent words do not decide the lexical rankings (knowledge.textprep, knowledge.lexical)."""
from __future__ import annotations

from knowledge.evaluate import half_of
from knowledge.lexical import BM25, LexicalIndex
from knowledge.textprep import STOP_WORDS, content_words, index_form, tokens


def test_stop_words_are_in_index_form() -> None:
    assert all(index_form(word) == word for word in STOP_WORDS)


def test_function_words_are_dropped_but_question_words_kept() -> None:
    assert content_words(tokens("chkoun li ghadi y3ti l forum")) == ["chkoun", "y3ti", "forum"]
    assert content_words(tokens("fin ghadi ykoun")) == ["fin", "ykoun"]
    assert content_words(tokens("chno howa")) == ["chno", "howa"]      # nothing else left: keep them


def test_frequent_words_weigh_nothing_above_the_floor() -> None:
    rows = [["forum", f"topic{n}"] for n in range(30)] + [["cnie", "cost"]] * 10
    assert BM25(rows, max_share=0.5).scores(["forum"]) == {}
    assert len(BM25(rows).scores(["forum"])) == 30
    assert len(BM25(rows[:8], max_share=0.05).scores(["forum"])) == 8      # too few rows for a floor


def test_a_faq_line_of_function_words_does_not_win() -> None:
    index = LexicalIndex.build(["wach ghadi l forum", "berkane hosts the forum at the prefecture"])
    by_words, _, _ = index.rank(["wach l forum ghadi f berkane"], 10)
    assert by_words[0] == 1


def test_the_query_split_is_fixed() -> None:
    assert half_of("prix du passeport") == half_of("prix du passeport")
    assert {half_of(str(n)) for n in range(20)} == {"A", "B"}
