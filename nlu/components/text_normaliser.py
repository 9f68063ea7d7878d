"""Normalised text for the featurisers, the user's own text for the tracker.

Rasa's tokenizer and featurisers read the message's `text`, and the parse result hands that same `text` to
the tracker (`latest_message.text`) and to the actions. So `TextNormaliser` (first in the pipeline) keeps the
user's text in `original_text` and puts `nlu.text.normalise(text)` in `text`, accents stripped too (citizens
write "delai" as often as "délai"); `OriginalTextRestorer` (last) puts the user's text back, after the
featurisers and classifiers have used the normalised one.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.base import ORIGINAL_TEXT, StatelessComponent, user_text
from nlu.text import normalise, strip_accents


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextNormaliser(StatelessComponent):
    """Stores the user's text in `original_text` and feeds the normalised, accentless text onwards."""

    def process_one(self, message: Message) -> None:
        text = user_text(message)
        if text is None:
            return
        message.set(ORIGINAL_TEXT, text, add_to_output=True)
        message.set(TEXT, strip_accents(normalise(text)) or text)


# Registered as a predict-time step (the recipe's type for entity extractors), not as a featurizer: the
# recipe gives every featurizer a node in the training graph too, and that node, which nothing trained
# needs, was never run and so never cached; `rasa train --dry-run` then always said "needs to be retrained".
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class OriginalTextRestorer(StatelessComponent):
    """Puts the user's text back into `text` so the tracker and the actions see what was typed."""

    def process_one(self, message: Message) -> None:
        original = message.get(ORIGINAL_TEXT)
        if isinstance(original, str):
            message.set(TEXT, original)
