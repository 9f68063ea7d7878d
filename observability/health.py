"""Which stores are failing right now, said once in the logs and shown by Rasa's `GET /status`.

A full or read-only disk must not make the assistant silent, nor fill the log with one error per message:
a store reports `degraded(...)` on each failure and `recovered(...)` on its next success; only the changes
are logged (one line each), and the Rasa server's `/status` answers `"stores": {"tracker": "degraded"}`
meanwhile so a health check or an admin sees it. Plain module (no Rasa import): both environments use it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger(__name__)

OK, DEGRADED = "ok", "degraded"
_state: dict[str, str] = {}
_extended: set[int] = set()  # apps whose /status already carries the stores (one middleware per app)


def degraded(store: str, error: BaseException, **details: Any) -> None:
    """`store` failed to write; logged the first time only (until it recovers)."""
    if _state.get(store) != DEGRADED:
        log.error(
            "store degraded: writes are held in memory until it accepts them again",
            extra={"event": "store_degraded", "store": store, "error": type(error).__name__, **details},
        )
    _state[store] = DEGRADED


def recovered(store: str, **details: Any) -> None:
    """`store` accepted a write again; logged once, and only if it had been degraded."""
    if _state.get(store) == DEGRADED:
        log.warning("store recovered", extra={"event": "store_recovered", "store": store, **details})
    _state[store] = OK


def stores() -> dict[str, str]:
    """Every store that has reported, with its state."""
    return dict(_state)


def add_to_status(app: Any) -> None:
    """Make `app`'s (Rasa's Sanic app) `GET /status` answer carry the stores' states.

    Rasa's own /status route cannot be extended, so a response middleware adds the field to its JSON body;
    Sanic reads its middleware list per request, so adding it once the server runs is fine."""
    if id(app) in _extended:
        return
    _extended.add(id(app))
    from sanic.response import json as json_response  # Rasa environment only

    async def with_stores(request: Any, response: Any) -> Any:
        if request.path != "/status" or response.status != 200 or not _state:
            return None
        try:
            body = json.loads(response.body)
        except ValueError:
            return None
        return json_response({**body, "stores": stores()}, status=200)

    app.register_middleware(with_stores, attach_to="response")
