"""The NLU's one-text-at-a-time arithmetic (`nlu.tfidf`, issue 13) gives the intents and languages that
scikit-learn's own path gives, with the trained model Rasa serves (its fitted vectorisers and classifiers,
under the Rasa environment's scikit-learn): over every training example of data/nlu and every e2e question,
the same intent ranking with the same probabilities, the same Darija/MSA log-odds, the same language.

The e2e questions carry their real e5 vectors; the training examples seeded random unit vectors (embedding
all 3,840 takes a minute): the dense part is one dot product either way, the text features are the real ones.
"""

from __future__ import annotations

import math
import tarfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu import langid
from nlu.components.arabizi_transliterator import ArabiziTransliterator
from nlu.components.intent_classifier import classifier_text
from nlu.components.language_identifier import LanguageIdentifier
from nlu.components.text_normaliser import TextNormaliser
from nlu.e5 import embed_queries
from nlu.intents import RANKING_SIZE, IntentModel
from nlu.langid import SMOOTHING, VARIETIES, LanguageModel, identify, read_examples

ROOT = Path(__file__).resolve().parents[2]
E2E = ROOT / "tests" / "data" / "e2e"
COMPONENTS = ("SentenceIntentClassifier", "LanguageIdentifier")
TOLERANCE = {"rtol": 1e-12, "atol": 1e-14}


def training_texts() -> list[str]:
    return [text for variety in VARIETIES for _, text in read_examples(langid.DATA / variety)]


def e2e_texts() -> list[str]:
    return [item["text"] for path in sorted(E2E.glob("*.yml")) for item in yaml.safe_load(path.read_text())["items"]]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The components folder of the newest trained Rasa model (what the server loads)."""
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.skip("no trained Rasa model: run make train")
    target = tmp_path_factory.mktemp("model")
    with tarfile.open(models[-1]) as archive:
        wanted = [m for m in archive.getmembers() if any(name in m.name for name in COMPONENTS)]
        archive.extractall(target, members=wanted)
    return next(target.rglob("components"))


def component_state(components: Path, name: str) -> Path:
    return next(path for path in components.iterdir() if name in path.name)


def classifier_inputs(texts: list[str]) -> list[str]:
    """The texts the intent classifier reads: normalised, language set, Arabizi in Arabic script appended."""
    messages = [Message(data={TEXT: text}) for text in texts]
    for cls in (TextNormaliser, LanguageIdentifier, ArabiziTransliterator):
        cls.create({}, None, None, None).process(messages)
    return [classifier_text(message) for message in messages]


def test_intent_rankings_are_scikit_learns(served: Path) -> None:
    model = IntentModel.load(component_state(served, "SentenceIntentClassifier"))
    training, e2e = training_texts(), e2e_texts()
    texts = classifier_inputs(training + e2e)
    random = np.random.default_rng(13).normal(size=(len(training), 384))
    vectors = np.vstack([random / np.linalg.norm(random, axis=1, keepdims=True), embed_queries(e2e)])

    rankings = model.rank(texts, vectors)
    reference = model.classifier.predict_proba(model.features(texts, vectors))
    classes = list(model.classifier.classes_)
    for text, ranking, expected in zip(texts, rankings, reference):
        best = np.argsort(-expected)[:RANKING_SIZE]
        assert [name for name, _ in ranking] == [classes[i] for i in best], text
        assert np.allclose([p for _, p in ranking], expected[best], **TOLERANCE), text


def test_darija_log_odds_and_languages_are_scikit_learns(served: Path) -> None:
    model = LanguageModel.load(component_state(served, "LanguageIdentifier"))
    discriminator = model.discriminator
    texts = training_texts() + e2e_texts()
    fast = [discriminator.log_odds(text) for text in texts]
    reference = [float(discriminator.classifier.decision_function(discriminator._matrix([t]))[0]) for t in texts]
    assert np.allclose(fast, reference, **TOLERANCE)

    def reference_likelihood(variety: str, grams: dict[str, int]) -> float:  # the formula before the tables
        counts, denominator = model.counts[variety], model.totals[variety] + SMOOTHING * model.vocabulary
        return sum(n * math.log((counts.get(g, 0) + SMOOTHING) / denominator) for g, n in grams.items())

    languages = [identify(text, model=model) for text in texts]
    odds = dict(zip(texts, reference))
    discriminator.log_odds = odds.__getitem__  # scikit-learn's log-odds
    model.log_likelihood = reference_likelihood
    assert languages == [identify(text, model=model) for text in texts]


def test_a_two_intent_model_ranks_with_scikit_learns_binary_probabilities() -> None:
    """Two intents make a binary logistic regression (one coefficient row, `expit`), not a softmax."""
    texts = ["combien coute le passeport", "prix de la cnie", "bonjour", "salam", "hello", "how much is it"]
    random = np.random.default_rng(2).normal(size=(len(texts), 384))
    model = IntentModel.fit(texts, random, ["cost", "cost", "greet", "greet", "greet", "cost"])
    assert model.classifier.coef_.shape[0] == 1
    for ranking, expected in zip(
        model.rank(texts, random), model.classifier.predict_proba(model.features(texts, random))
    ):
        assert [name for name, _ in ranking] == [model.classifier.classes_[i] for i in np.argsort(-expected)]
        assert np.allclose([p for _, p in ranking], np.sort(expected)[::-1], **TOLERANCE)
