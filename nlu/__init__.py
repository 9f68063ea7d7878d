"""Text handling shared by every part of Berkane Assistant.

The plain modules here (`text`, `arabizi`, `langid`, `lexicon`) never import Rasa, so the Python 3.11
environment (actions, knowledge, bot) can use exactly the same normalisation as the Rasa pipeline; only
`nlu.components` imports Rasa.
"""
