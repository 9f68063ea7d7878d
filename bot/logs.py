"""Structured logging for the bot (JSON lines, `observability.jsonlog`) and the pseudonyms it logs users by."""

from __future__ import annotations

import hashlib
import logging

from observability.jsonlog import JsonFormatter
from observability.jsonlog import configure as configure_json

__all__ = ["JsonFormatter", "configure", "user_ref"]

# httpx logs request lines, and a Telegram request line contains the bot token
NOISY = ("httpx", "httpcore", "telegram.ext.ExtBot", "apscheduler")


def user_ref(user_id: int | None) -> str:
    """A stable pseudonym for a Telegram id: enough to follow one user in the logs, not to find them."""
    return hashlib.sha256(f"berkane:{user_id}".encode()).hexdigest()[:12] if user_id is not None else "-"


def configure(level: int = logging.INFO) -> None:
    """JSON lines on stderr; httpx is quietened because its request lines contain the bot token."""
    configure_json(level, quiet=NOISY)
