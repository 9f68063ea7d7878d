"""The sentence-embedding feature (runs in .venv-rasa): real e5 vectors that put paraphrases close together,
across languages and for Arabizi, and nothing for messages without text."""

from __future__ import annotations

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.arabizi_transliterator import ArabiziTransliterator
from nlu.components.language_identifier import LanguageIdentifier
from nlu.components.sentence_embedder import SentenceEmbeddingFeaturizer
from nlu.components.text_normaliser import TextNormaliser


def featurise(texts: list[str], tmp_path) -> list[Message]:
    messages = [Message(data={TEXT: t}) for t in texts]
    for cls in (TextNormaliser, LanguageIdentifier, ArabiziTransliterator):
        cls.create({}, None, None, None).process(messages)
    featurizer = SentenceEmbeddingFeaturizer.create(
        SentenceEmbeddingFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("e5"),
        ExecutionContext(None, node_name="e5"),
    )
    featurizer.process_training_data(TrainingData(messages))
    return messages


def vector(message: Message) -> np.ndarray:
    _, sentence = message.get_dense_features(TEXT)
    assert sentence is not None, "no sentence feature"
    return sentence.features[0]


def test_paraphrases_across_languages_are_closer_than_other_questions(tmp_path) -> None:
    overview, overview_fr, passport = featurise(
        ["ما أهمية هذا الملتقى", "à quoi sert ce forum", "combien coûte le passeport"], tmp_path
    )
    assert vector(overview).shape == (384,)
    assert abs(float(np.linalg.norm(vector(overview))) - 1.0) < 1e-3
    assert float(vector(overview) @ vector(overview_fr)) > float(vector(overview) @ vector(passport))


def test_arabizi_is_embedded_in_arabic_script(tmp_path) -> None:
    arabizi, arabic, french = featurise(["ch7al taman l passport", "شحال ثمن الباسبور", "horaires du forum"], tmp_path)
    assert float(vector(arabizi) @ vector(arabic)) > float(vector(arabizi) @ vector(french))


def test_messages_without_text_get_no_feature(tmp_path) -> None:
    empty, payload = featurise(["   ", '/choose_document{"doc_id": "x"}'], tmp_path)
    assert empty.get_dense_features(TEXT) == (None, None)
    assert payload.get_dense_features(TEXT) == (None, None)
