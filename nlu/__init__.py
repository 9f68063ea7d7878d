"""Text handling shared by every part of Berkane Assistant.

The plain modules here (`text`, `sentences`, `languages`, `dates`, `arabizi`, `langid`, `lexicon`) never
import Rasa, so the Python 3.11 environment (actions, knowledge, bot) uses exactly the same normalisation,
sentence ends, language rules and date names as the Rasa pipeline; only `nlu.components` imports Rasa.
"""
