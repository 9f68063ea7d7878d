"""Entities service, document, day, time, language_choice from `nlu/lexicon/*.yml` (`nlu.lexicon`).

The lexicons, not the classifier, give entities: a canonical value per official service or paper, whatever
the variety, and spans over the text the user typed. Training examples carry no entity annotation, so there
is nothing to learn and nothing to do on training data.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.base import StatelessComponent, user_text
from nlu.lexicon import find_entities


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LexiconEntityExtractor(StatelessComponent):
    """Adds the lexicon entities (extractor `LexiconEntityExtractor`) of the user's text."""

    def process_one(self, message: Message) -> None:
        text = user_text(message)
        if text is None:
            return
        found = [{**entity, "confidence_entity": 1.0, EXTRACTOR: type(self).__name__} for entity in find_entities(text)]
        if found:
            message.set(ENTITIES, [*message.get(ENTITIES, []), *found], add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
