"""The one exception the knowledge package raises for bad input, so callers (CLI, bot) can show one line."""

from __future__ import annotations


class KnowledgeError(Exception):
    """A user-facing problem (bad document, unknown id, ...): the message is one line, safe to show an admin."""
