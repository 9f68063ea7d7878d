"""The `language` entity on every message: the client's explicit choice, else `nlu.langid.identify`.

The answer language follows this entity (slot `language`). A choice made in the bot or the terminal comes as
REST metadata (`{"language": "fr"}`), which Rasa passes to the message as `metadata`; it wins over detection
because the citizen said so. The detected variety is kept apart in `detected_language`: the Arabizi
transliterator needs the script actually typed, whatever answer language was chosen.

The language model is trained here at training time, from the examples of each variety (data/nlu/<variety>/,
which is why it reads that folder and not Rasa's merged training data, where the variety is lost), saved in
the model and installed as the process's default when the model loads (`nlu.langid.use`), so the other
components judge with it too. A component created outside training uses `nlu.langid.default_model`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import langid
from nlu.components.base import DETECTED_LANGUAGE, PerMessageComponent, StoredComponent, user_text
from nlu.langid import VARIETIES, LanguageModel, identify

log = logging.getLogger(__name__)
ENTITY = "language"


def chosen_language(message: Message) -> str | None:
    """The language the client says the citizen chose (`metadata.language`), if it is a known code."""
    metadata = message.get("metadata")
    choice = metadata.get("language") if isinstance(metadata, dict) else None
    return choice if choice in VARIETIES else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class LanguageIdentifier(StoredComponent, PerMessageComponent):
    """Sets `detected_language` and adds the `language` entity (extractor `LanguageIdentifier`)."""

    FINGERPRINT_EXTRA = (langid.DATA,)
    model: LanguageModel | None = None

    def train(self, training_data: TrainingData) -> Resource:
        """Train the language model on data/nlu and save it (`training_data` is Rasa's merged copy of the
        same examples; see the module doc)."""
        self.model = LanguageModel.from_data()
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource

    def restore(self, directory: Path) -> None:
        self.model = LanguageModel.load(directory)
        langid.use(self.model)

    def _detect(self, message: Message, text: str) -> str:
        """Store and return the variety the text is written in (the chosen language breaks no-letter ties)."""
        detected = identify(text, default=chosen_language(message) or "ar", model=self.model)
        message.set(DETECTED_LANGUAGE, detected, add_to_output=True)
        return detected

    def process_one(self, message: Message) -> None:
        text = user_text(message)
        if text is None:
            return
        detected = self._detect(message, text)
        language = chosen_language(message) or detected
        entity = {
            "entity": ENTITY,
            "value": language,
            "start": 0,
            "end": len(text),
            "confidence_entity": 1.0,
            EXTRACTOR: type(self).__name__,
        }
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
