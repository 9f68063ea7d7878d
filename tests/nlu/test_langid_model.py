"""The language model every process uses is the one `make train` saved (JSON and arrays, no pickle), as long
as it was trained on the checkout's examples and code; a stale copy is never used."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlu import langid
from nlu.langid import LanguageModel, read_examples, saved_model, scores

HELDOUT = langid.DATA.parents[1] / "tests" / "data" / "heldout"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[LanguageModel, Path]:
    model, directory = LanguageModel.from_data(), tmp_path_factory.mktemp("langid")
    model.save(directory)
    return model, directory


def test_a_saved_model_judges_every_text_as_the_trained_one(saved: tuple[LanguageModel, Path]) -> None:
    model, directory = saved
    loaded = saved_model(directory)
    assert loaded is not None
    texts = [text for variety in langid.VARIETIES for _, text in read_examples(HELDOUT / variety)]
    assert texts and all(scores(text, loaded) == scores(text, model) for text in texts)


def test_a_copy_trained_on_other_examples_or_code_is_not_used(
    saved: tuple[LanguageModel, Path], tmp_path: Path
) -> None:
    _, directory = saved
    for name in (langid.MODEL_FILE, langid.ARRAYS_FILE):
        (tmp_path / name).write_bytes((directory / name).read_bytes())
    meta = json.loads((tmp_path / langid.MODEL_FILE).read_text(encoding="utf-8"))
    meta["trained_from"] = "an older checkout"
    (tmp_path / langid.MODEL_FILE).write_text(json.dumps(meta), encoding="utf-8")
    assert saved_model(tmp_path) is None
    assert saved_model(tmp_path / "missing") is None


def test_darija_log_odds_are_scikit_learns(saved: tuple[LanguageModel, Path]) -> None:
    """`log_odds` skips scikit-learn's per-call path (nlu.tfidf) and gives its numbers, under this
    environment's scikit-learn too (tests/rasa_env/test_fast_paths.py checks the Rasa one)."""
    discriminator = saved[0].discriminator
    texts = [text for variety in langid.VARIETIES for _, text in read_examples(langid.DATA / variety)]
    reference = discriminator.classifier.decision_function(discriminator._matrix(texts))
    assert np.allclose([discriminator.log_odds(text) for text in texts], reference, rtol=1e-12, atol=1e-14)
