"""The action server as `stack` runs it: rasa_sdk's own app, on ACTIONS_HOST, for callers holding the token.

`python -m rasa_sdk` listens on every interface (0.0.0.0, no option to change it) and runs any action for
anyone who can reach the port: a forged tracker filed handoff requests and votes in any citizen's name, and
its error handler answered a malformed call with the exception text and the whole request. This module builds
the same app (`rasa_sdk.endpoint.create_app`, the `actions` package) and adds:
- a request middleware: every path but /health needs `Authorization: Bearer <BERKANE_ACTIONS_TOKEN>` (the
  header Rasa sends from endpoints.yml's `action_endpoint.headers`), else 401 and no action runs;
- an error handler that answers `{"error": <HTTP reason>, "status": <code>}` only, and logs the exception;
- the bind address and port from settings (ACTIONS_HOST, default 127.0.0.1; ACTIONS_PORT).

Run: `python -m stack.action_server` (the stack does; the token must be set).
"""

from __future__ import annotations

import hmac
import logging
import sys
from http import HTTPStatus

from rasa_sdk.constants import DEFAULT_KEEP_ALIVE_TIMEOUT
from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse

import settings
from observability.jsonlog import configure

log = logging.getLogger("stack.action_server")

OPEN_PATHS = frozenset({"/health"})  # the stack's health check; says nothing about conversations


class QuietErrors(ErrorHandler):
    """Every failure answered with its status and reason phrase only: never the exception, never the request."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        status = exception.status_code if isinstance(exception, SanicException) else 500
        if status >= 500:
            log.error(
                "action call failed",
                exc_info=exception,
                extra={"path": request.path, "error": type(exception).__name__},
            )
        return response.json({"error": HTTPStatus(status).phrase, "status": status}, status=status)


def build(token: str, actions_package: str = "actions") -> Sanic:
    """rasa_sdk's app serving `actions_package`, answering only requests that carry `token`."""
    executor = ActionExecutor()
    executor.register_package(actions_package)
    app = create_app(executor, cors_origins=None)  # Rasa calls it server to server: no browser origin
    app.error_handler = QuietErrors()
    # As rasa_sdk's own `run` does: Rasa's HTTP client keeps connections open between calls, and Sanic's default
    # 5 s keep-alive closed them under its feet ("Cannot write to closing transport": the citizen got "try again").
    app.config.KEEP_ALIVE_TIMEOUT = DEFAULT_KEEP_ALIVE_TIMEOUT
    expected = f"Bearer {token}".encode()

    @app.on_request
    async def authorised(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get("authorization", "").encode("utf-8", errors="replace")
        if hmac.compare_digest(given, expected):
            return None
        log.warning("action call refused: no valid token", extra={"path": request.path})
        return response.json({"error": "Unauthorized", "status": 401}, status=401)

    return app


def main() -> int:
    settings.check()
    config = settings.get()
    if not config.actions_token:
        print("BERKANE_ACTIONS_TOKEN is not set: the action server would run actions for anyone", file=sys.stderr)
        return 2
    configure(logging.INFO, quiet=("faiss.loader",))  # JSON lines, as the bot's (observability.jsonlog)
    logging.captureWarnings(True)
    app = build(config.actions_token)
    log.info("action server listening", extra={"host": config.actions_host, "port": config.actions_port})
    app.run(host=config.actions_host, port=config.actions_port, workers=1, access_log=False, legacy=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
