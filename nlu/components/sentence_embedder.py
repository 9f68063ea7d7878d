"""A multilingual sentence embedding (multilingual-e5-small) as a dense feature for the intent classifier.

Word and character n-grams only know the phrasings in data/nlu: "ما أهمية هذا الملتقى" shares no telling word
with the overview examples, and the classifier falls back. e5 places paraphrases close together across
Arabic, French and English, so the classifier also sees what a sentence means. Arabizi is embedded in its
Arabic-script form (e5 reads "chno howa" as noise), the same choice the knowledge search makes.

The model is the knowledge base's default one, loaded by `nlu.e5` (shared with `knowledge.embeddings`), with
`num_threads` threads (1: see `nlu.e5`); about 15 ms per message.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.base import ARABIC_SCRIPT, CodeFingerprinted, user_text
from nlu.e5 import DIMENSION, embed_queries

__all__ = ["DIMENSION", "SentenceEmbeddingFeaturizer", "embedding_text"]


def embedding_text(message: Message) -> str | None:
    """What to embed: the user's text, Arabizi in the Arabic script the transliterator wrote; None for
    messages without text."""
    text = user_text(message)
    if text is None or not text.strip():
        return None
    return message.get(ARABIC_SCRIPT) or text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, CodeFingerprinted):
    """Adds one dense sentence feature (DIMENSION floats, L2-normalised) to the `text` of every message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64, "num_threads": 1}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Reject a batch size that would embed nothing and a thread count below one."""
        for key in ("batch_size", "num_threads"):
            if int(config.get(key, 0)) < 1:
                raise ValueError(f"SentenceEmbeddingFeaturizer: {key} must be at least 1")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(execution_context.node_name, config)

    def process(self, messages: list[Message]) -> list[Message]:
        wanted = [(message, text) for message in messages if (text := embedding_text(message)) is not None]
        size = int(self._config["batch_size"])
        for start in range(0, len(wanted), size):
            batch = wanted[start : start + size]
            vectors = embed_queries([text for _, text in batch], int(self._config["num_threads"]))
            for (message, _), vector in zip(batch, vectors):
                self._add(message, vector)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def _add(self, message: Message, vector: np.ndarray) -> None:
        message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT, self._identifier))
