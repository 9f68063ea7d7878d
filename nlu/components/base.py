"""What every Berkane component shares: per-message processing (live and training data), creation."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

log = logging.getLogger(__name__)
ORIGINAL_TEXT = "original_text"
DETECTED_LANGUAGE = "detected_language"
ARABIC_SCRIPT = "arabic_script"  # an Arabizi message written in Arabic letters (set by ArabiziTransliterator)


def user_text(message: Message) -> Optional[str]:
    """The text the user typed, or None for messages without text (story steps, payloads "/intent")."""
    text = message.get(ORIGINAL_TEXT) or message.get(TEXT)
    if not isinstance(text, str) or text.startswith("/"):
        return None
    return text


class PerMessageComponent(GraphComponent):
    """`process_one` does the work, on live messages and on training examples alike."""

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


class StatelessComponent(PerMessageComponent):
    """A component with nothing to train or persist."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StatelessComponent":
        return cls(config)


class StoredComponent(GraphComponent):
    """A trainable component: its config and where its trained state is written (`train`) and read back
    (`load` calls `restore`). A model without that state still loads; the component then does what
    `UNTRAINED` says, and a warning is logged."""

    UNTRAINED = "does nothing"

    def __init__(self, config: Dict[Text, Any], model_storage: Optional[ModelStorage] = None,
                 resource: Optional[Resource] = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "StoredComponent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "StoredComponent":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                component.restore(directory)
        except (ValueError, OSError, KeyError) as error:
            log.warning("%s: nothing trained to load (%s); it %s", cls.__name__, error, cls.UNTRAINED)
        return component

    def restore(self, directory: Path) -> None:
        """Read what `train` wrote to `directory`."""
        raise NotImplementedError
