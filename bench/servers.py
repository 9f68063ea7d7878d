"""The assistant's servers as the benchmark runs them: ours and the baseline, each with its own state.

Servers are started with the `stack.servers` helpers (the same launch as `make serve` and the tests), on
free ports, with a copy of the built index in `bench/work/var-<system>/`, so a benchmark never touches a
user's `var/` nor a running `make run`. Each system is started at most once per run and shared by the
sections that need it (accuracy, latency, memory, cold start).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.context import Skip
from bench.measure import group_rss_mib
from settings import APP_VENV, MODELS, RASA_VENV, ROOT, var_dir
from stack.servers import Server, ServerFailed, action_server, free_port, rasa_server, write_endpoints

log = logging.getLogger(__name__)
FIRST_MESSAGE = "Quels papiers faut-il pour le passeport ?"
BASELINE_CONFIG = ROOT / "nlu" / "baseline_config.yml"
# The behaviour the conversation section compares with: main before the dialogue work (issue 18).
OLD_REVISION = "2400039"
# The serving section's old path: this checkout with BERKANE_FAST_PATH=none (Rasa's per-call validator, the
# validation round trip, one e5 forward per search) and a model with the policies of OLD_REVISION.
OLD_PATH = {"BERKANE_FAST_PATH": "none"}


@dataclass
class Running:
    """One started system: its two servers, its REST address and how long it took to answer first."""

    name: str
    actions: Server
    rasa: Server
    rasa_port: int
    cold_start_s: float

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def say(self, text: str, sender: str | None = None, timeout: float = 60) -> list[dict[str, Any]]:
        """Send one message through the REST channel, from a fresh sender unless one is given."""
        body = json.dumps({"sender": sender or f"bench-{uuid.uuid4().hex[:12]}", "message": text}).encode()
        request = urllib.request.Request(self.webhook, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8") or "[]")

    def rss_mib(self) -> dict[str, float]:
        return {"rasa": group_rss_mib(self.rasa.process.pid), "actions": group_rss_mib(self.actions.process.pid)}

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()


def _require(condition: bool, why: str) -> None:
    if not condition:
        raise Skip(why)


def _fresh_state(state: Path) -> Path:
    """A state directory with a copy of the index `make index` built (never the user's var/ itself)."""
    built = var_dir() / "kb"
    _require((built / "CURRENT").exists(), f"no knowledge index in {built}: run `make index`")
    shutil.rmtree(state, ignore_errors=True)
    shutil.copytree(built, state / "kb", symlinks=True)
    return state


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()):
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _train_argv(config: Path, out: Path, name: str) -> list[str]:
    """`rasa train` of this checkout's domain and data with `config`, into `out`/`name`.tar.gz."""
    return [
        str(RASA_VENV / "bin" / "rasa"),
        "train",
        "--config",
        str(config),
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(out),
        "--fixed-model-name",
        name,
    ]


def baseline_model(work: Path) -> Path:
    """The baseline model (`rasa init` pipeline), trained into bench/work/ when its inputs changed."""
    _require(BASELINE_CONFIG.exists(), "nlu/baseline_config.yml is not written yet")
    _require((ROOT / "domain.yml").exists(), "domain.yml is not written yet")
    out = work / "baseline"
    model, stamp_file = out / "baseline.tar.gz", out / "stamp"
    stamp = _fingerprint([BASELINE_CONFIG, ROOT / "domain.yml", ROOT / "data"])
    if model.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return model
    out.mkdir(parents=True, exist_ok=True)
    train_log = out / "train.log"
    log.info("training the baseline model into %s (a few minutes; log %s)", out, train_log)
    with open(train_log, "w", encoding="utf-8") as sink:
        code = subprocess.run(
            _train_argv(BASELINE_CONFIG, out, "baseline"),
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        ).returncode
    _require(code == 0 and model.exists(), f"baseline training failed (exit {code}, log {train_log})")
    stamp_file.write_text(stamp)
    return model


def old_path_model(work: Path) -> Path:
    """Today's pipeline with OLD_REVISION's policies (RulePolicy, MemoizationPolicy, TEDPolicy), trained into
    bench/work/oldpath/ when config.yml, domain.yml or data/ changed (Rasa's cache restores the NLU part)."""
    out = work / "oldpath"
    model, stamp_file, config = out / "oldpath.tar.gz", out / "stamp", out / "config.yml"
    stamp = _fingerprint([ROOT / "config.yml", ROOT / "domain.yml", ROOT / "data"])
    if model.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return model
    old = subprocess.run(["git", "show", f"{OLD_REVISION}:config.yml"], cwd=ROOT, capture_output=True, text=True)
    _require(old.returncode == 0, f"git show {OLD_REVISION}:config.yml failed: {old.stderr[-200:]}")
    today = (ROOT / "config.yml").read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    config.write_text(today[: today.index("\npolicies:")] + "\n" + old.stdout[old.stdout.index("policies:") :])
    _run_logged(
        [
            "flock",
            "/tmp/berkane-train.lock",  # one training at a time on the shared machine
            *_train_argv(config, out, "oldpath"),
            "--num-threads",
            "2",
        ],
        ROOT,
        {},
        out / "train.log",
        "training the old path's model (2400039's policies; a few minutes)",
    )
    stamp_file.write_text(stamp)
    return model


def revision_tree(work: Path, revision: str) -> Path:
    """The repository at `revision`, extracted once into bench/work/rev-<revision>/ (`git archive`)."""
    tree = work / f"rev-{revision}"
    if not (tree / ".extracted").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True)
        _require(archive.returncode == 0, f"git archive {revision} failed: {archive.stderr.decode()[-200:]}")
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        (tree / ".extracted").write_text(revision)
    return tree


def tree_env(tree: Path) -> dict[str, str]:
    """Run a process on the code of `tree`: its folder first on the path, never the current directory
    (PYTHONSAFEPATH, Python 3.11) nor the editable install of this checkout, which come after it."""
    return {"PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1"}


def _run_logged(argv: list[str], cwd: Path, env: dict[str, str], log_file: Path, what: str) -> None:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log.info("%s (log %s)", what, log_file)
    with open(log_file, "w", encoding="utf-8") as sink:
        code = subprocess.run(
            argv,
            cwd=cwd,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **env},
        ).returncode
    _require(code == 0, f"{what} failed (exit {code}, log {log_file})")


def revision_model(tree: Path) -> Path:
    """The Rasa model trained by the code and data of `tree` (once: kept in `tree`/models/)."""
    out = tree / "models"
    if not any(out.glob("*.tar.gz")):
        _run_logged(
            [
                str(RASA_VENV / "bin" / "rasa"),
                "train",
                "--data",
                "data",
                "--config",
                "config.yml",
                "--domain",
                "domain.yml",
                "--out",
                str(out),
                "--num-threads",
                "2",
            ],
            tree,
            tree_env(tree),
            tree / "train.log",
            f"training the model of {tree.name} (a few minutes)",
        )
    return out


def revision_state(tree: Path, state: Path) -> Path:
    """A state directory with the index `tree`'s own knowledge code builds (built once, then copied)."""
    built = tree / "var"
    if not (built / "kb" / "CURRENT").exists():
        _run_logged(
            [str(APP_VENV / "bin" / "python"), "-m", "knowledge", "rebuild"],
            tree,
            {**tree_env(tree), "BERKANE_VAR": str(built)},
            tree / "index.log",
            f"indexing {tree.name}",
        )
    shutil.rmtree(state, ignore_errors=True)
    shutil.copytree(built / "kb", state / "kb", symlinks=True)
    return state


def revision_servers(tree: Path, model: Path, state: Path, actions_port: int, rasa_port: int) -> tuple[Server, Server]:
    """The two servers of `tree` launched as that revision launched them (stack/servers.py at 2400039: plain
    `rasa_sdk` and `rasa run`, Rasa's own SQL tracker store, the revision's credentials), on its own code:
    run from `tree` (`env -C`), since Rasa puts its working directory first on the import path."""
    env = {"BERKANE_VAR": str(state), **tree_env(tree)}
    within = ["env", "-C", str(tree)]
    endpoints = state / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {state / 'tracker.db'}\n",
        encoding="utf-8",
    )
    actions = Server(
        "action server (old)",
        [
            *within,
            str(APP_VENV / "bin" / "python"),
            "-m",
            "rasa_sdk",
            "--actions",
            "actions",
            "--port",
            str(actions_port),
        ],
        f"http://127.0.0.1:{actions_port}/health",
        state / "logs" / "actions.log",
        env,
    )
    rasa = Server(
        "Rasa server (old)",
        [
            *within,
            str(RASA_VENV / "bin" / "rasa"),
            "run",
            "--enable-api",
            "--port",
            str(rasa_port),
            "--interface",
            "127.0.0.1",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(tree / "credentials.yml"),
            "--response-timeout",
            "30",
        ],
        f"http://127.0.0.1:{rasa_port}/status",
        state / "logs" / "rasa.log",
        env,
    )
    return actions, rasa


def _failure_summary(name: str, error: Exception, logs: Path) -> str:
    """One line for the report: what failed, the last line of its log and where the whole log is."""
    lines = [line.strip(" |") for line in str(error).splitlines() if line.strip(" |")]
    first = lines[0] if lines else type(error).__name__
    last = f" — {lines[-1]}" if len(lines) > 1 else ""
    return f"{name}: {first}{last} (logs: {logs})"


def start(
    name: str,
    model: Path,
    work: Path,
    action_env: dict[str, str] | None = None,
    tree: Path | None = None,
    rasa_env: dict[str, str] | None = None,
) -> Running:
    """Start one system and wait for its first answer (that wait is its cold start); `tree`: run the code,
    index and credentials of another revision (revision_tree) instead of this checkout; `rasa_env`: extra
    variables of the Rasa server (as `action_env` for the action server)."""
    _require((RASA_VENV / "bin" / "rasa").exists(), ".venv-rasa is not built: run `make setup`")
    _require((ROOT / "actions" / "__init__.py").exists(), "the actions package is not written yet")
    _require(model.is_file() or any(model.glob("*.tar.gz")), f"no trained model in {model}: run `make train`")
    state = _fresh_state(work / f"var-{name}") if tree is None else revision_state(tree, work / f"var-{name}")
    env = {"BERKANE_VAR": str(state)}
    actions_port, rasa_port = free_port(), free_port()
    if tree is None:
        # the store is Rasa's: the old path's Rasa server (BERKANE_FAST_PATH=none) reads every event again
        fast_path = (rasa_env or {}).get("BERKANE_FAST_PATH")
        endpoints = write_endpoints(state / "endpoints.yml", actions_port, state / "tracker.db", fast_path=fast_path)
        actions = action_server(actions_port, state / "logs", {**env, **(action_env or {})})
        rasa = rasa_server(rasa_port, endpoints, state / "logs", model=model, env={**env, **(rasa_env or {})})
    else:
        actions, rasa = revision_servers(tree, model, state, actions_port, rasa_port)
    started = time.monotonic()
    actions.start()
    rasa.start()
    running = Running(name, actions, rasa, rasa_port, 0.0)
    try:
        actions.wait_healthy(180)
        rasa.wait_healthy(420)
        running.say(FIRST_MESSAGE, timeout=120)
    except (ServerFailed, OSError) as error:
        running.stop()
        raise Skip(_failure_summary(name, error, state / "logs")) from error
    running.cold_start_s = time.monotonic() - started
    log.info("%s answering after %.1f s", name, running.cold_start_s)
    return running


class Fleet:
    """The systems started during one benchmark run, started on first use and stopped at the end."""

    def __init__(self, work: Path, model: Path = MODELS) -> None:
        self.work = work
        self.model = model
        self.running: dict[str, Running] = {}
        self.failed: dict[str, str] = {}

    def get(self, name: str) -> Running:
        """`ours`, `baseline`, `old` (main at OLD_REVISION), `oldpath` (this checkout on the message path of
        OLD_REVISION, OLD_PATH), or `fastpath` / `loadtest` (as `ours`, with their own state); raises Skip
        (remembered) when that system cannot be started."""
        if name in self.failed:
            raise Skip(self.failed[name])
        if name not in self.running:
            try:
                if name in ("ours", "fastpath", "loadtest"):  # ours, under the serving and load sections' own state
                    self.running[name] = start(name, self.model, self.work)
                elif name == "oldpath":
                    self.running[name] = start(name, old_path_model(self.work), self.work, OLD_PATH, rasa_env=OLD_PATH)
                elif name == "old":
                    tree = revision_tree(self.work, OLD_REVISION)
                    self.running[name] = start(name, revision_model(tree), self.work, tree=tree)
                else:
                    self.running[name] = start(
                        name, baseline_model(self.work), self.work, {"BERKANE_RETRIEVAL": "dense"}
                    )
            except Skip as why:
                self.failed[name] = str(why)
                raise
        return self.running[name]

    def stop_all(self) -> None:
        for running in self.running.values():
            running.stop()
        self.running.clear()
