"""The NLU's e5 vector of a live message (runs in .venv-rasa): in its parse data for the actions, as the very
vector of the text the knowledge search embeds (`nlu.query.search_forms`: Arabizi spelt with the vocabulary
the transliterator learns, which the action server rebuilds from data/nlu), and never in the conversation
store (`privacy.events` leaves it out of the events the masking tracker store writes)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import e5
from nlu.components.arabizi_transliterator import ArabiziTransliterator
from nlu.components.base import DETECTED_LANGUAGE
from nlu.components.language_identifier import LanguageIdentifier
from nlu.components.sentence_embedder import SentenceEmbeddingFeaturizer
from nlu.components.text_normaliser import TextNormaliser
from nlu.query import QUERY_VECTOR, QueryVector, search_forms, training_vocabulary
from privacy.tracker_store import RedactingSQLTrackerStore


@pytest.fixture(scope="module")
def transliterator(tmp_path_factory: pytest.TempPathFactory) -> ArabiziTransliterator:
    """The transliterator as `make train` trains it, on data/nlu."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    component = ArabiziTransliterator.create({}, storage, Resource("arabizi"), ExecutionContext(None))
    component.train(load_data("data/nlu"))
    return component


def test_the_action_server_rebuilds_the_vocabulary_the_transliterator_learns(transliterator) -> None:
    assert transliterator.vocabulary.counts == training_vocabulary().counts


def featurised(
    texts: list[str], tmp_path: Path, transliterator: ArabiziTransliterator, training: bool = False
) -> list[Message]:
    messages = [Message(data={TEXT: text}) for text in texts]
    for component in (TextNormaliser.create({}, None, None, None), LanguageIdentifier.create({}, None, None, None)):
        component.process(messages)
    transliterator.process(messages)
    featurizer = SentenceEmbeddingFeaturizer.create(
        SentenceEmbeddingFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("e5"),
        ExecutionContext(None, node_name="e5"),
    )
    if training:
        featurizer.process_training_data(TrainingData(messages))
    else:
        featurizer.process(messages)
    return messages


@pytest.mark.parametrize(
    "text",
    ["chno homa l mahawir dyal l forum", "combien coute le passeport ?", "متى ينعقد الملتقى؟", "فين كاينة الإدارة؟"],
)
def test_a_live_message_hands_over_the_vector_of_what_the_search_embeds(
    text: str, tmp_path: Path, transliterator
) -> None:
    (message,) = featurised([text], tmp_path, transliterator)
    sent = QueryVector.from_parse_data(message.as_dict(only_output_properties=True))
    assert sent is not None and sent.model == e5.NAME
    assert sent.text == search_forms(text, message.get(DETECTED_LANGUAGE))[1]
    _, feature = message.get_dense_features(TEXT)
    assert np.array_equal(sent.vector[0], feature.features[0])


def test_french_with_accents_keeps_its_feature_and_hands_over_nothing(tmp_path: Path, transliterator) -> None:
    """The classifier reads French as typed ("où" is not "ou"); the search reads the index form, so the
    vectors differ and the action server embeds its own."""
    (message,) = featurised(["Et où exactement ?"], tmp_path, transliterator)
    assert QueryVector.from_parse_data(message.as_dict(only_output_properties=True)) is None
    _, feature = message.get_dense_features(TEXT)
    assert np.array_equal(feature.features[0], e5.embed_queries(["Et où exactement ?"])[0])


def test_training_examples_get_the_feature_only(tmp_path: Path, transliterator) -> None:
    (example,) = featurised(["Combien coûte le passeport ?"], tmp_path, transliterator, training=True)
    assert example.get_dense_features(TEXT)[1] is not None
    assert example.get(QUERY_VECTOR) is None


def test_the_stored_user_event_holds_no_vector(tmp_path: Path, transliterator) -> None:
    (message,) = featurised(["combien coute le passeport ?"], tmp_path, transliterator)
    parse_data = {"intent": {"name": "service_cost", "confidence": 0.9}, **message.as_dict(True)}
    db = tmp_path / "tracker.db"
    store = RedactingSQLTrackerStore(Domain.load("domain.yml"), db=str(db))
    tracker = DialogueStateTracker("citizen", [])
    tracker.update(UserUttered("combien coute le passeport ?", parse_data["intent"], [], parse_data))
    asyncio.run(store.save(tracker))

    assert QUERY_VECTOR in tracker.latest_message.parse_data, "the turn's actions get it"
    with sqlite3.connect(db) as connection:
        rows = [data for (data,) in connection.execute("SELECT data FROM events")]
    assert any('"service_cost"' in row for row in rows)
    assert not any(QUERY_VECTOR in row or parse_data[QUERY_VECTOR]["vector"][:40] in row for row in rows)
    stored = asyncio.run(store.retrieve("citizen"))
    assert stored.latest_message.intent["name"] == "service_cost"
    assert QUERY_VECTOR not in stored.latest_message.parse_data
