"""The action server (`python -m rasa_sdk --actions actions`): sourced answers from the knowledge base.

Action classes are grouped by domain (knowledge, services, programme, handoff, feedback, validation); the
logic they share lives in plain modules (i18n, replies, schedule, privacy, resources) so it can be tested
without Rasa.

rasa_sdk sets up its own (coloured text) logging, which drops the `extra={...}` fields the actions log, and
then imports this package: served by it, the logs (and Python warnings) become JSON lines at the level
rasa_sdk chose (--debug, --quiet). Imported by anything else (tests, the benchmark), logging is left alone.
"""

from __future__ import annotations

import logging
import sys

from observability.jsonlog import configure


def _served_by_rasa_sdk() -> bool:
    return getattr(sys.modules.get("__main__"), "__package__", None) == "rasa_sdk"


if _served_by_rasa_sdk():
    configure(logging.getLogger().level or logging.INFO, quiet=("faiss.loader",))  # 8 lines of CPU probing
    logging.captureWarnings(True)
