"""Training jobs on disk: one JSON record per job under var/trainer/jobs/, and the lock that allows one job at a time.

The record is the only shared state between the web process that starts a job, the job process that runs it
and any later reader (another web process after a restart, the CLI), so every write replaces the whole file
atomically (0600: a log line may quote the training data). The lock is an flock on var/trainer/job.lock held
by the running job's process: the kernel drops it when that process ends, however it ends, so a job whose
process died is seen as such instead of blocking every later start.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from privacy.files import private_file
from settings import var_dir

RUNNING = ("training", "evaluating")
LOG_LINES = 40  # what a job record keeps of its log: the page shows the recent lines


class Busy(RuntimeError):
    """A training job is already running (one at a time: the machine has few cores)."""


class UnknownJob(KeyError):
    """No job has this id."""


def folder() -> Path:
    """var/trainer: job records, staged models, the job lock."""
    return var_dir() / "trainer"


def _path(job_id: str) -> Path:
    if not job_id or not all(c.isalnum() or c == "-" for c in job_id):
        raise UnknownJob(job_id)  # never a path outside the jobs folder
    return folder() / "jobs" / f"{job_id}.json"


def staging(job_id: str) -> Path:
    """Where a job trains its model and keeps its work files, never the models folder."""
    return folder() / "staging" / job_id


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def new_id() -> str:
    """Sortable by start time, unique even for two starts in the same second."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def read(job_id: str) -> dict[str, Any]:
    try:
        return json.loads(_path(job_id).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnknownJob(job_id) from None


def write(record: dict[str, Any]) -> None:
    """Replace the job's record in one step (readers never see half a file)."""
    record["log"] = record.get("log", [])[-LOG_LINES:]
    path = _path(record["id"])
    tmp = private_file(path.with_suffix(f".{os.getpid()}.tmp"))
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def update(job_id: str, **changes: Any) -> dict[str, Any]:
    """Read, change and write a record (only the job's process writes it while it runs)."""
    record = read(job_id)
    record.update(changes)
    write(record)
    return record


def recent(limit: int = 20) -> list[dict[str, Any]]:
    """The newest records first (ids sort by start time)."""
    paths = sorted((folder() / "jobs").glob("*.json"), reverse=True)[:limit]
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def take_lock() -> int:
    """An open descriptor holding the job lock; `Busy` when a job holds it. Whoever inherits the descriptor
    (the job process) holds the lock until it exits."""
    fd = os.open(private_file(folder() / "job.lock"), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise Busy("a training job is already running") from None
    return fd


def process_alive(record: dict[str, Any]) -> bool:
    """True while the job's process runs: some process holds the lock, and it is this job's (its pid, once
    the job wrote it, still exists)."""
    try:
        fd = take_lock()
    except Busy:
        pid = record.get("pid")
        return pid is None or Path(f"/proc/{pid}").exists()
    os.close(fd)
    return False
