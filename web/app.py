"""The back-office application: routes of every page, the signed session, error pages."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import settings
from web import pages_analytics, pages_auth, pages_kb, pages_queue, pages_training
from web.accounts import Accounts
from web.http import HERE, LoginRequired, render, session_secret, user_with
from web.throttle import LoginThrottle

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
}


async def home(request: Request) -> Response:
    user = user_with(request, "trainer", "analyst")
    return RedirectResponse("/analytics" if user.role == "analyst" else "/queue", 303)


async def to_login(request: Request, exc: Exception) -> Response:
    return RedirectResponse(f"/login?next={request.url.path}", 303)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return render(request, "error.html", {"message": exc.detail}, exc.status_code)


class SecurityHeaders:
    """Headers that keep the pages out of frames and scripts to this site's own files."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def create_app() -> Starlette:
    config = settings.get()
    routes = [
        Route("/", home, methods=["GET"]),
        *pages_auth.routes,
        *pages_kb.routes,
        *pages_queue.routes,
        *pages_analytics.routes,
        *pages_training.routes,
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=session_secret(),
            session_cookie="berkane_admin",
            max_age=int(config.admin_session_hours * 3600),
            same_site="strict",
            https_only=config.admin_https,
        ),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={LoginRequired: to_login, HTTPException: http_error},
    )
    app.state.accounts = Accounts()
    app.state.throttle = LoginThrottle()
    app.state.kb = None
    return app
