"""The action server's actions (served by `python -m stack.action_server`): sourced answers from the knowledge base.

Action classes are grouped by domain (knowledge, services, programme, handoff, feedback, validation); the
logic they share lives in plain modules (i18n, replies, schedule, privacy, resources) so it can be tested
without Rasa. Logging (JSON lines with the actions' extra fields) is set up by the server entry, not here.
"""
