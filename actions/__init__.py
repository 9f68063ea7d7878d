"""The action server (`python -m rasa_sdk --actions actions`): sourced answers from the knowledge base.

Action classes are grouped by domain (knowledge, services, programme, handoff, feedback, validation); the
logic they share lives in plain modules (i18n, replies, schedule, privacy, resources) so it can be tested
without Rasa.
"""
