"""The activation gate's rule on scores: a variety's intent macro-F1 may drop by at most one point, the e2e
score not at all (the loop test shows it on real models; these are its edges, in milliseconds)."""

from __future__ import annotations

from trainer.gate import compare

OLD = {"f1": {"ar": 0.95, "fr": 0.93, "en": 0.90}, "e2e": 0.80}


def scores(e2e: float = 0.80, **f1: float) -> dict:
    return {"f1": {**OLD["f1"], **f1}, "e2e": e2e}


def test_a_drop_within_one_point_is_allowed_and_shown_per_variety():
    result = compare(OLD, scores(fr=0.921, en=0.95))
    assert result["allowed"] and result["reasons"] == []
    assert result["varieties"]["fr"] == {"old_f1": 0.93, "new_f1": 0.921}
    assert result["e2e"] == {"old": 0.80, "new": 0.80}


def test_a_variety_losing_more_than_one_point_is_refused_by_name():
    result = compare(OLD, scores(fr=0.91, en=0.99))
    assert not result["allowed"]
    assert len(result["reasons"]) == 1 and result["reasons"][0].startswith("fr: intent macro-F1 drops")


def test_any_e2e_drop_is_refused_even_with_better_f1():
    result = compare(OLD, scores(e2e=0.79, ar=0.99, fr=0.99, en=0.99))
    assert not result["allowed"]
    assert result["reasons"] == ["e2e answers: 79.0% pass, against 80.0% now"]


def test_a_variety_the_new_model_was_not_scored_on_is_refused():
    result = compare(OLD, {"f1": {"ar": 0.95, "fr": 0.93}, "e2e": 0.9})
    assert result["reasons"] == ["en: no held-out score for the new model"]


def test_with_no_serving_model_anything_trained_is_allowed():
    result = compare(None, scores())
    assert result["allowed"] and result["varieties"]["ar"] == {"old_f1": 0.0, "new_f1": 0.95}
