"""The models folder and the running Rasa server's model: which one serves, and swapping it without a restart.

One rule ties them together: the model served is the newest file (by modification time) of the models
folder (BERKANE_MODELS, models/). Rasa loads that one when it starts (`--model models/`) and `make train`
adds its models the same way, so activation copies the staged model in (it becomes the newest) and rollback
touches the previous one (it becomes the newest again): a Rasa server restarted by `stack` after a swap
serves what the admin chose, with no pointer file for anyone else to read. The live server is told through
its HTTP API, `PUT /model {"model_file": path}` with its token (rasa/server.py `load_model`): Rasa loads the
new agent, then replaces `app.ctx.agent`, which every REST message reads when it is handled, so nothing is
restarted and no message is dropped (messages arriving during the load wait for it).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from datetime import datetime
from pathlib import Path

import httpx

import settings
from stack import tokens

log = logging.getLogger("trainer")
KEEP = 3  # as scripts/train.sh: the active model and the two before it
TRAIN_LOCK = Path("/tmp/berkane-train.lock")  # the one `make train` runs under (it writes models/ too)
LOAD_TIMEOUT = 600.0  # seconds Rasa may take to load a model (the e5 pipeline, a loaded machine)


class ActivationFailed(RuntimeError):
    """The Rasa server did not load the model (it keeps serving the previous one)."""


def folder() -> Path:
    return settings.get().models.resolve()


def name_of(path: Path | str) -> str:
    """A model's name: its file name without `.tar.gz`."""
    return Path(path).name.removesuffix(".tar.gz")


def files() -> list[Path]:
    """The models, most recently activated (or trained) first."""
    return sorted(folder().glob("*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)


def created(path: Path) -> str:
    """When the model was trained: the time Rasa puts in its name (local time), else the file's."""
    try:
        return datetime.strptime(path.name[:15], "%Y%m%d-%H%M%S").isoformat()
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")


def rasa_url(path: str) -> str:
    return settings.get().rasa_base_url.rstrip("/") + path


def _auth() -> dict[str, str]:
    return {"token": tokens.for_local_tool("rasa") or ""}


def served() -> str | None:
    """The file name the running Rasa server serves (GET /status), None when it does not answer."""
    try:
        response = httpx.get(rasa_url("/status"), params=_auth(), timeout=5)
        response.raise_for_status()
        return Path(str(response.json()["model_file"])).name
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None


def active() -> Path | None:
    """The serving model: the one the running Rasa server names when it is in the folder, else the newest."""
    present = files()
    name = served()
    return next((p for p in present if p.name == name), present[0] if present else None)


class _ModelsLock:
    """`make train`'s lock while this process writes the real models/ (a test's own folder needs none)."""

    def __init__(self) -> None:
        self.fd: int | None = None

    def __enter__(self) -> None:
        if folder() != settings.MODELS.resolve():
            return
        self.fd = os.open(TRAIN_LOCK, os.O_CREAT | os.O_RDWR, 0o666)
        deadline = time.monotonic() + 10
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    self.fd = None
                    raise ActivationFailed("`make train` is writing models/ now; try again when it ends") from None
                time.sleep(0.5)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)


def load(path: Path) -> None:
    """Make the running Rasa server serve `path` now (PUT /model); `ActivationFailed` with Rasa's reason."""
    try:
        response = httpx.put(rasa_url("/model"), params=_auth(), json={"model_file": str(path)}, timeout=LOAD_TIMEOUT)
    except httpx.HTTPError as error:
        raise ActivationFailed(f"the Rasa server at {settings.get().rasa_base_url} did not answer: {error}") from None
    if response.status_code != 204:
        reason = response.text[:300]
        raise ActivationFailed(f"the Rasa server refused the model (HTTP {response.status_code}): {reason}")


def install(staged: Path) -> Path:
    """Copy a staged model into the models folder (as its newest file), load it into Rasa, prune old ones.
    If Rasa does not load it, the copy is removed: the folder's newest is again what Rasa serves."""
    target = folder() / staged.name
    with _ModelsLock():
        folder().mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.part")
        shutil.copyfile(staged, tmp)
        os.replace(tmp, target)  # a Rasa restart never sees half a model
        try:
            load(target)
        except ActivationFailed:
            target.unlink(missing_ok=True)
            raise
        for old in files()[KEEP:]:
            old.unlink(missing_ok=True)
    return target


def reinstate(path: Path) -> None:
    """Serve an older model of the folder again: load it, then make it the newest file."""
    with _ModelsLock():
        load(path)
        os.utime(path)
