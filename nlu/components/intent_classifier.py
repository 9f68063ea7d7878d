"""The intent classifier of the pipeline: `nlu.intents.IntentModel` inside a Rasa 3 graph component.

It reads the normalised text (Arabizi with its Arabic-script form appended, see the components before it),
the e5 sentence feature of `SentenceEmbeddingFeaturizer` and the services and papers the text names
(`nlu.lexicon.named_services`, on training examples too, which the entity extractor leaves alone), and
writes `intent` and `intent_ranking` the way Rasa's own classifiers do, so FallbackClassifier, the policies
and the REST channel see no difference.

A message naming a public service or paper gets a marker word per entity type ("entityservice"): "Prix de
la CNIE ?" is a price question because the CNIE is a service, not the forum's prizes ("prix" means both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.base import StoredComponent, user_text
from nlu.components.sentence_embedder import DIMENSION, SentenceEmbeddingFeaturizer
from nlu.intents import EMBEDDING_WEIGHT, C, IntentModel
from nlu.lexicon import named_services


def sentence_vector(message: Message) -> np.ndarray:
    """The message's e5 sentence feature; zeros when it has none (a message without text). The dense sentence
    features of the text side by side, as Rasa's `get_dense_features` combines them, without the deep copy
    of the feature object it starts with (3 % of the NLU thread under load, py-spy)."""
    dense = [
        feature.features
        for feature in message.features
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE and feature.is_dense()
    ]
    return np.concatenate(dense, axis=-1).reshape(-1) if dense else np.zeros(DIMENSION, np.float32)


def classifier_text(message: Message) -> str:
    """The normalised text plus one marker word per lexicon entity type it names (see the module doc)."""
    markers = [f"entity{name}" for name in named_services(user_text(message))]
    return " ".join([message.get(TEXT), *markers])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceIntentClassifier(IntentClassifier, StoredComponent):
    """Logistic regression over words, character n-grams and the sentence embedding."""

    model: IntentModel | None = None

    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEmbeddingFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": C, "embedding_weight": EMBEDDING_WEIGHT}

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on the intent examples (IntentModel.fit refuses fewer than two intents: training fails
        rather than produce a model that gives every message no intent)."""
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        self.model = IntentModel.fit(
            [classifier_text(m) for m in examples],
            np.vstack([sentence_vector(m) for m in examples]),
            [m.get(INTENT) for m in examples],
            c=float(self.config["C"]),
            embedding_weight=float(self.config["embedding_weight"]),
        )
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource

    def restore(self, directory: Path) -> None:
        self.model = IntentModel.load(directory)

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [m for m in messages if isinstance(m.get(TEXT), str)]
        if self.model is None or not texts:
            return messages
        rankings = self.model.rank([classifier_text(m) for m in texts], np.vstack([sentence_vector(m) for m in texts]))
        for message, ranking in zip(texts, rankings):
            ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages
