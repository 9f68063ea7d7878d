"""The Rasa server's part of erasure and retention, added to the REST channel's blueprint (`channels.rest`).

- `POST /webhooks/rest/forget` with `{"sender": "<id>"}`: deletes that sender's tracker events, votes,
  unanswered questions and handoff requests, and answers how many rows went
  (`{"sender": ..., "deleted": {"tracker_events": n, "votes": n, "unanswered": n, "handoffs": n}}`); their next
  message starts a new conversation. Only a trusted client may call it (the Telegram bot, the terminal, an
  admin tool): it must present Rasa's API token (`?token=` as Rasa's own API takes it, or
  `Authorization: Bearer`), else 401 and nothing is deleted. A citizen erases through the client.
- Retention: when the server has started and then once a day, every tracker event, vote, unanswered question
  and handoff request older than BERKANE_RETENTION_DAYS (default 90) is deleted.

Rasa environment: `settings` needs pydantic 2, Rasa has pydantic 1, so the few variables are read here from
the environment `stack` gives this process (validated there by `settings.check()`), as `stack.rasa_entry` does.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
from pathlib import Path
from typing import Any

from sanic import Blueprint, Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.cleaning import sender_problem
from privacy.erase import DEFAULT_RETENTION_DAYS, FEEDBACK_FILE, cutoff, erase_sender, purge_before

log = logging.getLogger(__name__)

FORGET_PATH = "/forget"
MAX_SENDER_CHARS = 128


def add_routes(blueprint: Blueprint) -> None:
    """The erasure route and the retention task, on the REST channel's blueprint."""
    blueprint.add_route(forget, FORGET_PATH, methods=["POST"])
    blueprint.listener("after_server_start")(_start_retention)


def _feedback_db() -> Path:
    """The action server's feedback file: var/ (BERKANE_VAR, else var/ of the repository, Rasa's working
    directory) / feedback.sqlite, as `knowledge.feedback.FeedbackStore` opens it."""
    return Path(os.environ.get("BERKANE_VAR") or "var") / FEEDBACK_FILE


def _trusted(request: Request) -> bool:
    """True when the request carries Rasa's API token; never without a token configured."""
    expected = os.environ.get("BERKANE_RASA_TOKEN")
    given = request.args.get("token") or request.headers.get("authorization", "").removeprefix("Bearer ")
    return bool(expected) and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def _tracker_store(app: Sanic) -> Any:
    """The SQL store under Rasa's async wrapper (`AwaitableTrackerStore`), or None when no agent is loaded."""
    agent = getattr(app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    return getattr(store, "_tracker_store", store)


async def forget(request: Request) -> HTTPResponse:
    """Erase one sender's conversation (see the module docstring)."""
    if not _trusted(request):
        log.warning("erasure refused: no valid token", extra={"path": request.path})
        return response.json({"error": "a valid API token is required", "status": 401}, status=401)
    try:
        body = request.json
    except InvalidUsage:
        body = None
    sender = body.get("sender") if isinstance(body, dict) else None
    problem = sender_problem(sender, MAX_SENDER_CHARS) if isinstance(sender, str) else '"sender" must be a string'
    if problem:
        return response.json({"error": problem, "status": 400}, status=400)
    store = _tracker_store(request.app)
    if not hasattr(store, "erase"):
        return response.json({"error": "this tracker store cannot erase conversations", "status": 501}, status=501)
    deleted = {"tracker_events": store.erase(sender), **erase_sender(_feedback_db(), sender)}
    log.info("conversation erased", extra={"sender": sender, **deleted})
    return response.json({"sender": sender, "deleted": deleted})


def retention_days() -> int:
    return int(os.environ.get("BERKANE_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def purge_old(app: Sanic, now: float | None = None) -> dict[str, int]:
    """Delete tracker events and feedback rows older than the retention period; rows deleted per table."""
    before = cutoff(retention_days(), time.time() if now is None else now)
    store = _tracker_store(app)
    deleted = {
        "tracker_events": store.purge(before) if hasattr(store, "purge") else 0,
        **purge_before(_feedback_db(), before),
    }
    log.info("retention purge", extra={"days": retention_days(), **deleted})
    return deleted


async def _start_retention(app: Sanic, _loop: Any) -> None:
    app.add_task(_daily_purge(app))


async def _daily_purge(app: Sanic) -> None:
    """`purge_old` now and every 24 hours, off the event loop (a first purge of a big store takes a while);
    a failure is logged and retried the next day, never stopping the server."""
    while True:
        try:
            await asyncio.to_thread(purge_old, app)
        except Exception as error:  # any database error: the server keeps answering
            log.error("retention purge failed", extra={"error": type(error).__name__, "reason": str(error)})
        await asyncio.sleep(86400)
