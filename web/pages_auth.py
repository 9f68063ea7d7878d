"""Login, logout, the interface language, accounts and the audit log (admins)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web.accounts import ROLES, AccountError
from web.http import accounts, audit, checked_form, csrf_token, current_user, flash, render, user_with
from web.i18n import UI_LANGUAGES


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or http://…): no open redirect after login."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/"
    return target


async def login_page(request: Request) -> Response:
    if current_user(request):
        return RedirectResponse("/", 303)
    first = accounts(request).count() == 0  # say how to make the first account, on the server only
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next")), "first": first})


async def login(request: Request) -> Response:
    form = await checked_form(request)
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    keys = (f"name:{name.casefold()}", f"ip:{request.client.host if request.client else '?'}")
    throttle = request.app.state.throttle
    wait = throttle.wait(*keys)
    if wait > 0:
        accounts(request).audit(name or "?", "login refused (throttled)")
        message = f"Trop de tentatives : réessayez dans {int(wait) + 1} s."
        return render(request, "login.html", {"error": message, "next": target, "name": name}, 429)
    user = accounts(request).verify(name, password)
    if user is None:
        throttle.failed(*keys)
        accounts(request).audit(name or "?", "login failed")
        error = "Nom ou mot de passe incorrect."
        return render(request, "login.html", {"error": error, "next": target, "name": name}, 401)
    throttle.succeeded(*keys)
    ui = request.session.get("ui", "fr")
    request.session.clear()  # a new session at login: nothing from before (fixation) carries over
    request.session.update({"sid": accounts(request).open_session(user), "ui": ui})
    csrf_token(request)
    audit(request, user, "login")
    return RedirectResponse(target, 303)


async def logout(request: Request) -> Response:
    await checked_form(request)
    user = current_user(request)
    if user:
        audit(request, user, "logout")
        accounts(request).close_session(request.session["sid"])
    request.session.clear()
    return RedirectResponse("/login", 303)


async def ui_language(request: Request) -> Response:
    form = await checked_form(request)
    language = str(form.get("ui", "fr"))
    request.session["ui"] = language if language in UI_LANGUAGES else "fr"
    return RedirectResponse(_safe_next(str(form.get("back", "/"))), 303)


async def users_page(request: Request) -> Response:
    user_with(request, "admin")
    return render(request, "users.html", {"users": accounts(request).users(), "roles": ROLES})


async def users_change(request: Request) -> Response:
    user = user_with(request, "admin")
    form = await checked_form(request)
    if form.get("delete"):
        name = str(form["delete"])
        if name == user.name:
            flash(request, "Vous ne pouvez pas supprimer votre propre compte.", "error")
        elif accounts(request).delete(name, user.name):
            flash(request, f"Compte {name} supprimé.")
        return RedirectResponse("/users", 303)
    try:
        created = accounts(request).create(
            str(form.get("name", "")).strip(), str(form.get("role", "")), str(form.get("password", "")), user.name
        )
    except AccountError as error:
        flash(request, str(error), "error")
    else:
        flash(request, f"Compte {created.name} ({created.role}) créé.")
    return RedirectResponse("/users", 303)


async def audit_page(request: Request) -> Response:
    user_with(request, "admin")
    return render(request, "audit.html", {"entries": accounts(request).audit_log()})


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/ui", ui_language, methods=["POST"]),
    Route("/users", users_page, methods=["GET"]),
    Route("/users", users_change, methods=["POST"]),
    Route("/audit", audit_page, methods=["GET"]),
]
