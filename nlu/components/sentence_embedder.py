"""A multilingual sentence embedding (multilingual-e5-small) as a dense feature for the intent classifier.

Word and character n-grams only know the phrasings in data/nlu: "ما أهمية هذا الملتقى" shares no telling word
with the overview examples, and the classifier falls back. e5 places paraphrases close together across
Arabic, French and English, so the classifier also sees what a sentence means.

What is embedded is the question's `nlu.query.feature_form` (Arabizi in Arabic script: e5 reads "chno howa"
as noise). Where that is the very text the knowledge search embeds (`nlu.query.dense_form`), the vector of a
live message also goes into its parse data (`nlu.query.QUERY_VECTOR`) and the action server's search uses it
instead of running e5 again (issue 13). Training examples get the feature only.

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

from nlu.components.base import ARABIC_SCRIPT, DETECTED_LANGUAGE, CodeFingerprinted, user_text
from nlu.e5 import DIMENSION, NAME, embed_queries
from nlu.query import QUERY_VECTOR, QueryVector, dense_form, feature_form

__all__ = ["DIMENSION", "SentenceEmbeddingFeaturizer", "embedding_text", "searched"]


def embedding_text(message: Message) -> str | None:
    """What to embed: the feature form of the user's text in its detected variety (Arabizi in the Arabic script
    the transliterator wrote with its trained vocabulary); None for messages without text."""
    text = user_text(message)
    if text is None or not text.strip():
        return None
    return feature_form(text, message.get(DETECTED_LANGUAGE), message.get(ARABIC_SCRIPT)) or None


def searched(message: Message, embedded: str) -> bool:
    """Whether `embedded` is also what the knowledge search embeds for this message (its vector then serves it)."""
    text = user_text(message) or ""
    return embedded == dense_form(text, message.get(DETECTED_LANGUAGE), message.get(ARABIC_SCRIPT))


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
        """Live messages: the feature, and the vector with its text in the parse data for the actions when the
        search embeds that text too."""
        for message, text, vector in self._embed(messages):
            self._add(message, vector)
            if searched(message, text):
                message.set(QUERY_VECTOR, QueryVector(text, NAME, vector).as_parse_data(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message, _, vector in self._embed(training_data.training_examples):
            self._add(message, vector)
        return training_data

    def _embed(self, messages: list[Message]) -> list[tuple[Message, str, np.ndarray]]:
        """Each message with text, what was embedded of it and its vector (in batches of `batch_size`)."""
        wanted = [(message, text) for message in messages if (text := embedding_text(message)) is not None]
        size = int(self._config["batch_size"])
        embedded: list[tuple[Message, str, np.ndarray]] = []
        for start in range(0, len(wanted), size):
            batch = wanted[start : start + size]
            vectors = embed_queries([text for _, text in batch], int(self._config["num_threads"]))
            embedded += [(message, text, vector) for (message, text), vector in zip(batch, vectors)]
        return embedded

    def _add(self, message: Message, vector: np.ndarray) -> None:
        message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT, self._identifier))
