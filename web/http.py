"""What every page shares: the signed session, the logged-in user and their role, CSRF-checked forms,
rendering, the audit log.

A session cookie (Starlette's SessionMiddleware: itsdangerous-signed, HttpOnly, SameSite=Strict) holds the
user's name, a CSRF token and the interface language; the user and role are read again from the accounts on
each request, so a deleted account or a changed role takes effect at once.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

import settings
from privacy.files import private_file
from web.accounts import Accounts, User
from web.i18n import translate

HERE = Path(__file__).parent
SECRET_FILE = "admin.secret"
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["when"] = lambda at: datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M") if at else ""


class LoginRequired(Exception):
    """Raised by `user_with`: the app's handler sends the browser to the login page."""


def session_secret() -> str:
    """BERKANE_ADMIN_SECRET, else a key generated once into var/admin.secret (0600)."""
    configured = settings.get().admin_secret
    if configured:
        return configured
    path = settings.var_dir() / SECRET_FILE
    if not path.is_file() or not path.read_text().strip():
        private_file(path).write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def accounts(request: Request) -> Accounts:
    return request.app.state.accounts


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def current_user(request: Request) -> User | None:
    """The user of the session's id, while that session is open (logout and account deletion close it)."""
    sid = request.session.get("sid")
    if not sid:
        return None
    if "berkane_user" not in request.scope:  # read once per request
        max_age = settings.get().admin_session_hours * 3600
        request.scope["berkane_user"] = accounts(request).session_user(sid, max_age)
    return request.scope["berkane_user"]


def user_with(request: Request, *roles: str) -> User:
    """The logged-in user if their role is one of `roles` (admin always is); else login page or 403."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if user.role != "admin" and user.role not in roles:
        raise HTTPException(403, "Votre rôle ne permet pas cette action.")
    return user


async def checked_form(request: Request, **limits: int) -> FormData:
    """The posted form, once its CSRF token matches the session's (else 403)."""
    form = await request.form(**limits)
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "Jeton CSRF invalide ou absent : rechargez la page et recommencez.")
    return form


def audit(request: Request, user: User, action: str, detail: str | None = None) -> None:
    accounts(request).audit(user.name, action, detail)


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    ui = request.session.get("ui", "fr")
    values = {
        "user": current_user(request),
        "csrf": csrf_token(request),
        "ui": ui,
        "t": lambda text: translate(text, ui),
        "flash": request.session.pop("flash", None),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, values, status_code=status_code)


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A one-line message shown on the next page (after a redirect)."""
    request.session["flash"] = {"kind": kind, "text": message}
