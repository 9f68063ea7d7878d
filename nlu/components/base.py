"""What every Berkane component shares: per-message processing (live and training data), creation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.fingerprint import code_digest

ORIGINAL_TEXT = "original_text"
DETECTED_LANGUAGE = "detected_language"
ARABIC_SCRIPT = "arabic_script"  # an Arabizi message written in Arabic letters (set by ArabiziTransliterator)


def user_text(message: Message) -> str | None:
    """The text the user typed, or None for messages without text (story steps, payloads "/intent")."""
    text = message.get(ORIGINAL_TEXT) or message.get(TEXT)
    if not isinstance(text, str) or text.startswith("/"):
        return None
    return text


class CodeFingerprinted(GraphComponent):
    """Rasa fingerprints a component by its class source only: the module functions it calls and the plain
    nlu modules and lexicons it uses are added here (`nlu.fingerprint.code_digest`), so editing them
    retrains the components that depend on them, and nothing else. `FINGERPRINT_EXTRA` names data files
    read from elsewhere."""

    FINGERPRINT_EXTRA: tuple[Path, ...] = ()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return code_digest(cls.__module__, extra=cls.FINGERPRINT_EXTRA)


class PerMessageComponent(CodeFingerprinted):
    """`process_one` does the work, on live messages and on training examples alike."""

    def process_one(self, message: Message) -> None:
        """Update one message in place."""
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.process_one(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data


class StatelessComponent(PerMessageComponent):
    """A component with nothing to train or persist."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls(config)


class ComponentLoadError(RuntimeError):
    """A trained component's state is missing or unreadable: the model must not load without it."""


class StoredComponent(CodeFingerprinted):
    """A trainable component: its config and where its trained state is written (`train`) and read back
    (`load` calls `restore`). A model whose state is missing or broken does not load (ComponentLoadError,
    with the reason): a component quietly serving without what it learnt would give wrong answers."""

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage | None = None, resource: Resource | None = None
    ) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoredComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredComponent:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                component.restore(directory)
        except Exception as error:
            raise ComponentLoadError(
                f"{cls.__name__}: cannot load its trained state ({type(error).__name__}: {error})"
            ) from error
        return component

    def restore(self, directory: Path) -> None:
        """Read what `train` wrote to `directory`."""
        raise NotImplementedError
