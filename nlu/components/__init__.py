"""Rasa 3.6 graph components of the Berkane pipeline (the only part of `nlu` that imports Rasa).

Referenced from config.yml by module path, in this order: `text_normaliser.TextNormaliser`,
`language_identifier.LanguageIdentifier`, `arabizi_transliterator.ArabiziTransliterator`, (Rasa's tokenizer),
`sentence_embedder.SentenceEmbeddingFeaturizer`, `intent_classifier.SentenceIntentClassifier`,
`lexicon_extractor.LexiconEntityExtractor`, (Rasa's FallbackClassifier), and last
`text_normaliser.OriginalTextRestorer`.
"""
