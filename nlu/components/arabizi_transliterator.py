"""Arabizi messages also featurised in Arabic script.

"kifach nakhod 3a9d l izdiyad" and "كيفاش ناخد عقد الازدياد" ask the same thing; with the Arabic-script form
appended, the classifier can use what it learnt from Arabic-script Darija for an Arabizi question whose Latin
spelling it never saw. The Latin words stay, so Arabizi-only features keep working.

Training collects the Arabic words of the Arabic-script examples (`nlu.arabizi.ArabicVocabulary`), so rule
spellings snap to the words those examples use ("mahawir" -> "محاور"); the vocabulary is saved with the model
as JSON. A component created outside training (`create`, as the tests do) has none and uses the letter rules
alone; a model whose vocabulary is missing does not load (`StoredComponent`).
"""

from __future__ import annotations

import json
from pathlib import Path

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.arabizi import ArabicVocabulary, transliterate
from nlu.components.base import ARABIC_SCRIPT, DETECTED_LANGUAGE, PerMessageComponent, StoredComponent, user_text
from nlu.langid import identify
from nlu.text import has_arabic

VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class ArabiziTransliterator(StoredComponent, PerMessageComponent):
    """For `ary_Latn` messages, `text` becomes "<normalised Latin> <Arabic-script form>"; the Arabic-script
    form is also kept alone in `arabic_script` (the sentence embedder reads it)."""

    vocabulary: ArabicVocabulary | None = None

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the Arabic-script vocabulary of the training examples and save it."""
        texts = [text for m in training_data.training_examples if (text := user_text(m)) and has_arabic(text)]
        self.vocabulary = ArabicVocabulary.from_texts(texts)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(self.vocabulary.counts, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def restore(self, directory: Path) -> None:
        self.vocabulary = ArabicVocabulary(json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8")))

    def process_one(self, message: Message) -> None:
        text = user_text(message)
        if text is None:
            return
        if (message.get(DETECTED_LANGUAGE) or identify(text)) != "ary_Latn":
            return
        current = message.get(TEXT)
        arabic = transliterate(text, self.vocabulary)
        if arabic:
            message.set(ARABIC_SCRIPT, arabic)
        if arabic and arabic != current:
            message.set(TEXT, f"{current} {arabic}")
