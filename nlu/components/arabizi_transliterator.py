"""Arabizi messages also featurised in Arabic script.

"kifach nakhod 3a9d l izdiyad" and "كيفاش ناخد عقد الازدياد" ask the same thing; with the Arabic-script form
appended, the classifier can use what it learnt from Arabic-script Darija for an Arabizi question whose Latin
spelling it never saw. The Latin words stay, so Arabizi-only features keep working.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.arabizi import transliterate
from nlu.components.base import ARABIC_SCRIPT, DETECTED_LANGUAGE, StatelessComponent, user_text
from nlu.langid import identify


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ArabiziTransliterator(StatelessComponent):
    """For `ary_Latn` messages, `text` becomes "<normalised Latin> <Arabic-script form>"; the Arabic-script
    form is also kept alone in `arabic_script` (the sentence embedder reads it)."""

    def process_one(self, message: Message) -> None:
        text = user_text(message)
        if text is None:
            return
        if (message.get(DETECTED_LANGUAGE) or identify(text)) != "ary_Latn":
            return
        current = message.get(TEXT)
        arabic = transliterate(text)
        if arabic:
            message.set(ARABIC_SCRIPT, arabic)
        if arabic and arabic != current:
            message.set(TEXT, f"{current} {arabic}")
