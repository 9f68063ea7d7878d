"""Train and test: start a job, follow it, compare old and new per variety, activate or roll back.

The work is the `trainer` package's (another part of the project); this page only calls its API. When the
package is not installed the page says so and every action answers 503.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web.http import audit, checked_form, flash, render, user_with

TEAM = ("trainer",)
RUNNING = ("training", "evaluating")
API = ("start", "status", "jobs", "activate", "rollback", "models", "Busy", "Refused")


def trainer_api() -> ModuleType | None:
    """The `trainer` package when it is installed with its whole API, else None ("trainer not available")."""
    try:
        module = importlib.import_module("trainer")
    except ImportError:
        return None
    return module if all(hasattr(module, name) for name in API) else None


def _required() -> ModuleType:
    api = trainer_api()
    if api is None:
        raise HTTPException(503, "trainer not available : le module d'entraînement n'est pas installé.")
    return api


async def training_page(request: Request) -> Response:
    user_with(request, *TEAM)
    api = trainer_api()
    if api is None:
        return render(request, "training.html", {"available": False})
    jobs, models = await run_in_threadpool(api.jobs), await run_in_threadpool(api.models)
    return render(request, "training.html", {"available": True, "jobs": jobs, "models": models})


async def start(request: Request) -> Response:
    user = user_with(request, *TEAM)
    await checked_form(request)
    api = _required()
    try:
        job_id = await run_in_threadpool(api.start, user.name)
    except api.Busy:
        flash(request, "Un entraînement est déjà en cours.", "error")
        return RedirectResponse("/training", 303)
    audit(request, user, "training started", job_id)
    return RedirectResponse(f"/training/jobs/{job_id}", 303)


async def job_page(request: Request) -> Response:
    user_with(request, *TEAM)
    api = _required()
    job_id = request.path_params["job_id"]
    try:
        status = await run_in_threadpool(api.status, job_id)
    except KeyError:
        raise HTTPException(404, f"Aucun entraînement {job_id!r}.") from None
    return render(request, "job.html", {"job_id": job_id, "status": status, "running": status.get("state") in RUNNING})


async def activate(request: Request) -> Response:
    user = user_with(request, *TEAM)
    await checked_form(request)
    api = _required()
    job_id = request.path_params["job_id"]
    try:
        await run_in_threadpool(api.activate, job_id, user.name)
    except (api.Refused, getattr(api, "ActivationFailed", api.Refused)) as refusal:
        audit(request, user, "activation refused", f"{job_id}: {refusal}")
        flash(request, f"Activation refusée : {refusal}", "error")
        return RedirectResponse(f"/training/jobs/{job_id}", 303)
    audit(request, user, "model activated", job_id)
    flash(request, "Nouveau modèle en service.")
    return RedirectResponse(f"/training/jobs/{job_id}", 303)


async def rollback(request: Request) -> Response:
    user = user_with(request, *TEAM)
    await checked_form(request)
    api = _required()
    try:
        name = await run_in_threadpool(api.rollback, user.name)
    except (api.Refused, getattr(api, "ActivationFailed", api.Refused)) as refusal:
        flash(request, f"Retour refusé : {refusal}", "error")
        return RedirectResponse("/training", 303)
    audit(request, user, "model rolled back", name)
    flash(request, f"Modèle {name} de nouveau en service.")
    return RedirectResponse("/training", 303)


routes = [
    Route("/training", training_page, methods=["GET"]),
    Route("/training/start", start, methods=["POST"]),
    Route("/training/rollback", rollback, methods=["POST"]),
    Route("/training/jobs/{job_id:str}", job_page, methods=["GET"]),
    Route("/training/jobs/{job_id:str}/activate", activate, methods=["POST"]),
]
