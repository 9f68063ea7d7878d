"""Structured (one JSON object per line) logging for the bot. Messages never carry what a citizen wrote
(it may hold an ID card or phone number): only events, hashed user references and sizes."""
from __future__ import annotations

import hashlib
import json
import logging
import sys

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, then every `extra={...}` field of the record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def user_ref(user_id: int | None) -> str:
    """A stable pseudonym for a Telegram id: enough to follow one user in the logs, not to find them."""
    return hashlib.sha256(f"berkane:{user_id}".encode()).hexdigest()[:12] if user_id is not None else "-"


def configure(level: int = logging.INFO) -> None:
    """JSON lines on stderr; httpx is quietened because its request lines contain the bot token."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
