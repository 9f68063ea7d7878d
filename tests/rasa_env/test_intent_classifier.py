"""The intent classifier on its own (runs in .venv-rasa): trained on a few real examples with real e5
vectors, it recognises paraphrases it never saw, survives a save and load through Rasa's model storage, and
tells Rasa's fallback how sure it is."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.arabizi_transliterator import ArabiziTransliterator
from nlu.components.base import ComponentLoadError
from nlu.components.intent_classifier import SentenceIntentClassifier
from nlu.components.language_identifier import LanguageIdentifier
from nlu.components.sentence_embedder import SentenceEmbeddingFeaturizer
from nlu.components.text_normaliser import TextNormaliser
from nlu.e5 import embed_queries
from nlu.intents import IntentModel

EXAMPLES = {
    "service_cost": [
        "combien coûte le passeport",
        "prix de la carte nationale",
        "كم ثمن جواز السفر",
        "بشحال الباسبور",
        "ch7al taman l passport",
        "how much is a passport",
    ],
    "forum_dates": [
        "quand a lieu le forum",
        "dates du forum",
        "متى ينعقد الملتقى",
        "امتى الفوروم",
        "imta l forum",
        "when is the forum",
    ],
    "greet": ["bonjour", "salut", "السلام عليكم", "مرحبا", "salam", "hello"],
}
UNSEEN = [
    ("c'est quel jour le forum ?", "forum_dates"),
    ("شحال كيسوا جواز السفر؟", "service_cost"),
    ("wa fin a salam", "greet"),
]


def prepare(texts: list[str], intents: list[str] | None = None) -> list[Message]:
    """Messages as the pipeline hands them to the classifier (normalised, language, Arabizi, embedding)."""
    messages = [
        Message(data={TEXT: t, **({INTENT: i} if intents else {})})
        for t, i in zip(texts, intents or [None] * len(texts))
    ]
    for cls in (TextNormaliser, LanguageIdentifier, ArabiziTransliterator):
        cls.create({}, None, None, None).process(messages)
    config = SentenceEmbeddingFeaturizer.get_default_config()
    SentenceEmbeddingFeaturizer(SentenceEmbeddingFeaturizer.__name__, config).process(messages)
    return messages


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[LocalModelStorage, Resource]:
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("intents")
    texts = [t for ts in EXAMPLES.values() for t in ts]
    intents = [i for i, ts in EXAMPLES.items() for _ in ts]
    classifier = SentenceIntentClassifier.create(
        SentenceIntentClassifier.get_default_config(), storage, resource, ExecutionContext(None, node_name="intents")
    )
    classifier.train(TrainingData(prepare(texts, intents)))
    return storage, resource


def loaded(trained) -> SentenceIntentClassifier:
    storage, resource = trained
    return SentenceIntentClassifier.load(
        SentenceIntentClassifier.get_default_config(), storage, resource, ExecutionContext(None, node_name="intents")
    )


@pytest.mark.parametrize("text,intent", UNSEEN)
def test_unseen_paraphrases_after_save_and_load(trained, text: str, intent: str) -> None:
    message = loaded(trained).process(prepare([text]))[0]
    assert message.get(INTENT)["name"] == intent
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6  # probabilities, as FallbackClassifier expects


def test_loaded_model_ranks_like_the_trained_one(trained, tmp_path) -> None:
    texts = [t for t, _ in UNSEEN]
    vectors = embed_queries(texts)
    model = loaded(trained).model
    model.save(tmp_path)
    again = IntentModel.load(tmp_path)
    first, second = model.rank(texts, vectors), again.rank(texts, vectors)
    assert [r[0][0] for r in first] == [r[0][0] for r in second]
    assert np.allclose([r[0][1] for r in first], [r[0][1] for r in second])


def test_a_model_without_its_classifier_does_not_load(tmp_path) -> None:
    """Rather than a server whose every message gets no intent (was: a warning, then no intents)."""
    with pytest.raises(ComponentLoadError, match="SentenceIntentClassifier: cannot load its trained state"):
        SentenceIntentClassifier.load(
            SentenceIntentClassifier.get_default_config(),
            LocalModelStorage(tmp_path),
            Resource("missing"),
            ExecutionContext(None, node_name="intents"),
        )


def test_training_on_one_intent_fails(tmp_path) -> None:
    classifier = SentenceIntentClassifier.create(
        SentenceIntentClassifier.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("intents"),
        ExecutionContext(None, node_name="intents"),
    )
    with pytest.raises(ValueError, match="at least two intents"):
        classifier.train(TrainingData(prepare(["bonjour", "salam"], ["greet", "greet"])))


def test_one_intent_is_not_a_model() -> None:
    with pytest.raises(ValueError):
        IntentModel.fit(["a", "b"], embed_queries(["a", "b"]), ["greet", "greet"])


def test_naming_a_service_adds_its_marker_words() -> None:
    from nlu.components.intent_classifier import classifier_text

    cnie, forum = prepare(["Prix de la CNIE ?", "les prix du forum"])
    assert classifier_text(cnie).split()[-2:] == ["entityservice", "entitydocument"]
    assert "entity" not in classifier_text(forum)


def test_the_sentence_vector_is_the_one_rasa_combines() -> None:
    from nlu.components.intent_classifier import sentence_vector

    messages = prepare(["Prix de la CNIE ?", "wach kayn chi forum", "متى ينعقد الملتقى"])
    messages[0].add_features(Features(np.ones((1, 4), np.float32), FEATURE_TYPE_SENTENCE, TEXT, "another"))
    for message in messages:
        _, combined = message.get_dense_features(TEXT)
        assert np.array_equal(sentence_vector(message), combined.features.reshape(-1))
    assert not sentence_vector(Message(data={TEXT: "/greet"})).any()
