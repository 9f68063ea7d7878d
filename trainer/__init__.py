"""Train and test: train a new Rasa model in the background, compare it with the serving one per variety and
on the e2e answers, activate it only when the gate allows, roll back in one call. No web code: the back office
(web/) and the command line (`python -m trainer`) call these functions.

    start(actor) -> job id           (Busy when a job runs)
    status(job id) -> {state, progress, log, comparison, ...}
    jobs() -> recent jobs, newest first
    activate(job id, actor)          (Refused(reason) when the gate refuses; ActivationFailed if Rasa cannot load it)
    rollback(actor) -> the name of the model serving again
    models() -> [{name, created, active}]

States: training -> evaluating -> ready | refused | failed; a ready job whose model serves now is `active`.
Activations and rollbacks are logged as structured events (`model_activated`, `model_rolled_back`, with the
actor); the caller writes its own audit trail.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from privacy.files import private_file
from settings import APP_VENV, ROOT
from trainer import records, serving
from trainer.records import RUNNING, Busy, UnknownJob
from trainer.serving import ActivationFailed

__all__ = ["ActivationFailed", "Busy", "Refused", "UnknownJob"]
__all__ += ["activate", "jobs", "models", "rollback", "start", "status"]

log = logging.getLogger("trainer")
KEEP_STAGED = 5  # staging folders (a model each) of the newest jobs; an activated model lives in models/


class Refused(Exception):
    """Activation refused: the gate's reasons, or a job that is not ready (still running, failed, stale)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def start(actor: str) -> str:
    """Start a training and evaluation job in the background; its id. `Busy` when one runs."""
    fd = records.take_lock()
    try:
        job_id = records.new_id()
        record = {
            "id": job_id,
            "actor": actor,
            "started": records.now(),
            "finished": None,
            "state": "training",
            "progress": 0,
            "log": [f"started by {actor}"],
            "comparison": None,
            "model": None,
            "old_model": None,
            "error": None,
            "pid": None,
        }
        records.write(record)
        output = private_file(records.staging(job_id) / "job.log")
        with open(output, "ab") as sink:
            process = subprocess.Popen(
                [str(APP_VENV / "bin" / "python"), "-m", "trainer.job", job_id, str(fd)],
                cwd=ROOT,
                pass_fds=(fd,),
                start_new_session=True,  # not stopped with the web process, nor by its terminal
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        threading.Thread(target=process.wait, daemon=True).start()  # reaped when it ends
    finally:
        os.close(fd)  # the job process holds the lock now
    _prune_staging()
    log.info("training started", extra={"event": "training_started", "job": job_id, "actor": actor})
    return job_id


def _view(record: dict[str, Any], active: str | None) -> dict[str, Any]:
    """A record as callers see it: a job whose process died is failed; a ready job whose model serves is active."""
    if record["state"] in RUNNING and not records.process_alive(record):
        record = records.read(record["id"])  # it may have finished between the two reads
        if record["state"] in RUNNING:
            record.update(state="failed", error="the job's process ended before it finished", finished=records.now())
            record["log"].append("failed: the job's process ended before it finished")
            records.write(record)
    if record["state"] == "ready" and record.get("model") and Path(record["model"]).name == active:
        record = {**record, "state": "active"}
    return record


def _active_name() -> str | None:
    current = serving.active()
    return current.name if current else None


def status(job_id: str) -> dict[str, Any]:
    """state, progress (0-100), log (recent lines), comparison (None until evaluated), and the record's other
    fields (id, actor, started, finished, model, old_model, error). `UnknownJob` for an unknown id."""
    return _view(records.read(job_id), _active_name())


def jobs() -> list[dict[str, Any]]:
    """Recent jobs, newest first: id, state, started, actor, finished, progress."""
    active = _active_name()
    keys = ("id", "state", "started", "actor", "finished", "progress")
    return [{k: view.get(k) for k in keys} for view in (_view(r, active) for r in records.recent())]


@contextmanager
def _one_swap_at_a_time() -> Iterator[None]:
    """Two admins clicking at once load one model after the other, never interleaved."""
    fd = os.open(private_file(records.folder() / "swap.lock"), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def activate(job_id: str, actor: str) -> None:
    """Serve the job's model now (hot-loaded, no restart). `Refused(reason)` when the gate refused it, the job
    is not ready, or the serving model changed since the job compared against it."""
    with _one_swap_at_a_time():
        record = status(job_id)
        state = record["state"]
        if state == "active":
            return
        if state in RUNNING:
            raise Refused(f"the job is still {state} ({record['progress']} %)")
        if state == "failed":
            raise Refused(f"the job failed: {record.get('error')}")
        if state == "refused":
            raise Refused("; ".join(record["comparison"]["reasons"]))
        current = _active_name()
        if current != record["old_model"]:
            raise Refused(
                f"the serving model changed since this job compared against it ({record['old_model']}, "
                f"now {current}): train again"
            )
        staged = Path(record["model"])
        if not staged.is_file():
            raise Refused("the job's model is no longer kept (older jobs' models are deleted): train again")
        serving.install(staged)
    log.info(
        "model activated",
        extra={"event": "model_activated", "job": job_id, "model": staged.name, "previous": current, "actor": actor},
    )


def rollback(actor: str) -> str:
    """Serve the previous model again (the folder's newest but the serving one); its name."""
    with _one_swap_at_a_time():
        current = serving.active()
        previous = next((p for p in serving.files() if p != current), None)
        if previous is None:
            raise Refused("there is no previous model to roll back to")
        serving.reinstate(previous)
    name = serving.name_of(previous)
    log.info(
        "model rolled back",
        extra={
            "event": "model_rolled_back",
            "model": previous.name,
            "previous": current.name if current else None,
            "actor": actor,
        },
    )
    return name


def models() -> list[dict[str, Any]]:
    """The models folder, most recently activated first: name, created (ISO time), active."""
    current = serving.active()
    return [
        {"name": serving.name_of(path), "created": serving.created(path), "active": path == current}
        for path in serving.files()
    ]


def _prune_staging() -> None:
    """Keep the staging folders of the newest jobs only (a model is ~8 MB)."""
    folders = sorted((records.folder() / "staging").glob("*"), reverse=True)
    for old in folders[KEEP_STAGED:]:
        shutil.rmtree(old, ignore_errors=True)
