"""What a citizen feels of the NLU: on held-out sentences (never in training), the pipeline of config.yml
finds the right intent (macro-F1 >= 0.92 in ar, ary, ary_Latn and fr; >= 0.85 in en, the minority language
with the fewest examples) and the right language (>= 0.97 everywhere), and a parsed message keeps the
user's text for the tracker. One NLU training run for the module, into a temporary folder."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from nlu.evaluate import CONFIGS, TARGET_F1, TARGET_LANGID, TRAINING, load, per_variety, predict, train

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"  # the suite's own held-out sentences

# One NLU training (a few minutes on 2 busy cores) happens in the first test's setup.
pytestmark = [pytest.mark.timeout(1800), pytest.mark.servers]
TARGETS_F1 = {"ar": TARGET_F1, "ary": TARGET_F1, "ary_Latn": TARGET_F1, "fr": TARGET_F1, "en": 0.85}


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> str:
    return train(CONFIGS["ours"], TRAINING, tmp_path_factory.mktemp("model"), "heldout")


@pytest.fixture(scope="module")
def scores(model: str) -> dict[str, dict[str, float]]:
    examples = load(HELDOUT)
    return per_variety(examples, predict(model, [e.text for e in examples]))


@pytest.mark.parametrize("variety", sorted(TARGETS_F1))
def test_intent_macro_f1(scores: dict, variety: str) -> None:
    assert scores[variety]["intent_macro_f1"] >= TARGETS_F1[variety], scores[variety]


@pytest.mark.parametrize("variety", sorted(TARGETS_F1))
def test_language_identification(scores: dict, variety: str) -> None:
    assert scores[variety]["langid_accuracy"] >= TARGET_LANGID, scores[variety]


def test_parse_keeps_the_users_text_and_adds_entities(model: str) -> None:
    from rasa.core.agent import Agent

    text = "Kifaaach nakhod 3a9d l izdiyad  f berkane?"
    parsed = asyncio.run(Agent.load(model).parse_message(text))
    assert parsed["text"] == text
    found = {(e["entity"], e["value"]) for e in parsed["entities"]}
    assert ("language", "ary_Latn") in found and ("service", "civil_status") in found
    assert parsed["intent"]["name"] == "service_info"
