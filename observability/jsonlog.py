"""Structured logging shared by the bot and the action server: one JSON object per line, with every
`extra={...}` field of the record (plain text handlers drop them, and a log search needs them).

Messages never carry what a citizen wrote (it may hold an ID card or phone number): only events, ids,
hashed user references and sizes; stored texts are redacted first (`privacy.redact`).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, then every `extra={...}` field of the record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO, quiet: Iterable[str] = ()) -> None:
    """JSON lines on stderr for every logger (replacing the root's handlers); `quiet` loggers at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)
