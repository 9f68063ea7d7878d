"""The `language` entity on every message: the client's explicit choice, else `nlu.langid.identify`.

The answer language follows this entity (slot `language`). A choice made in the bot or the terminal comes as
REST metadata (`{"language": "fr"}`), which Rasa passes to the message as `metadata`; it wins over detection
because the citizen said so. The detected variety is kept apart in `detected_language`: the Arabizi
transliterator needs the script actually typed, whatever answer language was chosen.
"""
from __future__ import annotations

import logging
from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.base import DETECTED_LANGUAGE, StatelessComponent, user_text
from nlu.langid import VARIETIES, identify

log = logging.getLogger(__name__)
ENTITY = "language"


def chosen_language(message: Message) -> Optional[str]:
    """The language the client says the citizen chose (`metadata.language`), if it is a known code."""
    metadata = message.get("metadata")
    choice = metadata.get("language") if isinstance(metadata, dict) else None
    return choice if choice in VARIETIES else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageIdentifier(StatelessComponent):
    """Sets `detected_language` and adds the `language` entity (extractor `LanguageIdentifier`)."""

    def _detect(self, message: Message, text: str) -> str:
        """Store and return the variety the text is written in (the chosen language breaks no-letter ties)."""
        detected = identify(text, default=chosen_language(message) or "ar")
        message.set(DETECTED_LANGUAGE, detected, add_to_output=True)
        return detected

    def process_one(self, message: Message) -> None:
        text = user_text(message)
        if text is None:
            return
        detected = self._detect(message, text)
        language = chosen_language(message) or detected
        entity = {"entity": ENTITY, "value": language, "start": 0, "end": len(text), "confidence_entity": 1.0,
                  EXTRACTOR: type(self).__name__}
        message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        log.debug("language %s (detected %s)", language, detected)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples get `detected_language` (for the transliterator) but no entity: entities are
        never learnt in this project."""
        for message in training_data.training_examples:
            text = user_text(message)
            if text is not None:
                self._detect(message, text)
        return training_data
