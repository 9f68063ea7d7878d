"""Rasa 3.6 graph components of the Berkane pipeline (the only part of `nlu` that imports Rasa).

Referenced from config.yml by module path, in this order before the tokenizer:
`text_normaliser.TextNormaliser`, `language_identifier.LanguageIdentifier`,
`arabizi_transliterator.ArabiziTransliterator`, `lexicon_extractor.LexiconEntityExtractor`; and last,
after the classifiers, `text_normaliser.OriginalTextRestorer`.
"""
