"""What every Berkane component shares: stateless creation and running over training data too."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ORIGINAL_TEXT = "original_text"
DETECTED_LANGUAGE = "detected_language"
ARABIC_SCRIPT = "arabic_script"  # an Arabizi message written in Arabic letters (set by ArabiziTransliterator)


def user_text(message: Message) -> Optional[str]:
    """The text the user typed, or None for messages without text (story steps, payloads "/intent")."""
    text = message.get(ORIGINAL_TEXT) or message.get(TEXT)
    if not isinstance(text, str) or text.startswith("/"):
        return None
    return text


class StatelessComponent(GraphComponent):
    """A component with nothing to train or persist: `process` does the work, on live and training data."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StatelessComponent":
        return cls(config)

    def process_one(self, message: Message) -> None:
        """Update one message in place."""
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.process_one(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
