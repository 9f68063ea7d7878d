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
    assert content_words(tokens("chno howa")) == ["chno", "howa"]  # nothing else left: keep them


def test_frequent_words_weigh_nothing_above_the_floor() -> None:
    rows = [["forum", f"topic{n}"] for n in range(30)] + [["cnie", "cost"]] * 10
    assert BM25(rows, max_share=0.5).scores(["forum"]) == {}
    assert len(BM25(rows).scores(["forum"])) == 30
    assert len(BM25(rows[:8], max_share=0.05).scores(["forum"])) == 8  # too few rows for a floor


def test_a_faq_line_of_function_words_does_not_win() -> None:
    index = LexicalIndex.build(["wach ghadi l forum", "berkane hosts the forum at the prefecture"])
    by_words, _, _ = index.rank(["wach l forum ghadi f berkane"], 10)
    assert by_words[0] == 1


def test_the_tuning_split_has_every_variety_in_both_halves_and_is_the_same_in_every_process() -> None:
    """Ranking weights are tuned on half A of the retrieval sets and checked on half B: a half without a
    variety's queries would check nothing for it, and a split that moved with the process (`hash()` and
    its per-process seed) would check the weights on the very questions they were tuned on."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from knowledge.evaluate import VARIETIES, load_queries

    queries = load_queries(sorted((Path(__file__).parents[1] / "data" / "retrieval").glob("*.yml")))
    halves = {query.text: half_of(query.text) for query in queries}
    for lang in VARIETIES:
        texts = [query.text for query in queries if query.lang == lang]
        share = sum(halves[text] == "A" for text in texts) / len(texts)
        assert 0.25 <= share <= 0.75, f"{lang}: {share:.2f} of its {len(texts)} queries in half A"
    code = (
        "import json, sys; from knowledge.evaluate import half_of; "
        "print(json.dumps({text: half_of(text) for text in json.load(sys.stdin)}))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(list(halves)),
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        env={**os.environ, "PYTHONHASHSEED": "1"},
        check=True,
    )
    assert json.loads(other.stdout) == halves
