"""`rasa train` into a job's staging folder, as a child process of the Rasa environment, with its progress.

Rasa's own command (validation of the data and domain included: an annotation that breaks the data fails
here, in the job, not in the serving model), the project's domain, the NLU and dialogue data of
BERKANE_TRAINING_DATA and the pipeline of BERKANE_TRAINING_CONFIG. Rasa's training cache (.rasa/cache, shared
with `make train`) makes a job retrain only the components whose inputs changed: a few new examples
retrain the NLU components, the dialogue policies come from the cache.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

import settings
from settings import RASA_VENV, ROOT
from stack.servers import BASE_ENV

_STAMPED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(INFO|WARNING|ERROR)\s+\S+\s+-\s+(.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_COMPONENT = re.compile(r"(Starting to train|Restored) component '([^']+)'")
_SAVED = re.compile(r"model is trained and saved at '([^']+)'")
TRAIN_SHARE = 70  # the part of a job's progress bar that is training (the rest is evaluation)


class RasaChildFailed(RuntimeError):
    """Training or scoring did not finish; the message ends with the end of its output."""


def command(out: Path) -> list[str]:
    config = settings.get()
    return [
        str(RASA_VENV / "bin" / "rasa"),
        "train",
        "--data",
        str(config.training_data),
        "--config",
        str(config.training_config),
        "--domain",
        str(ROOT / "domain.yml"),
        "--out",
        str(out),
        "--num-threads",
        "2",
    ]


def components(config: Path) -> int:
    """How many pipeline components and policies the config has (each logs one line when trained or restored)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return max(1, len(data.get("pipeline") or []) + len(data.get("policies") or []))


def readable(line: str) -> str | None:
    """The message of one of Rasa's log lines worth showing an admin (its own INFO/WARNING/ERROR lines)."""
    line = _ANSI.sub("", line).strip()
    if match := _STAMPED.match(line):
        return f"{match.group(1)} {match.group(2)}"
    return line if _SAVED.search(line) else None


def run_rasa_child(
    argv: list[str], on_line: Callable[[str], None], what: str, env: dict[str, str] | None = None
) -> None:
    """Run `argv` (a program of the Rasa environment) from the repository, each line of its output (colours
    removed) to `on_line`; `RasaChildFailed` with its last lines when it fails."""
    tail: list[str] = []
    quiet = {**BASE_ENV, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    with subprocess.Popen(
        argv,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        env={**os.environ, **quiet, **(env or {})},
    ) as process:
        assert process.stdout is not None
        for raw in process.stdout:
            line = _ANSI.sub("", raw.rstrip())
            tail = [*tail[-14:], line]
            on_line(line)
    if process.returncode != 0:
        raise RasaChildFailed(f"{what} exited with code {process.returncode}:\n" + "\n".join(tail))


def train(out: Path, report: Callable[[int, str], None]) -> Path:
    """Train into `out`; `report(progress, line)` for each readable line; the model's path."""
    expected = components(settings.get().training_config)
    seen = 0
    model: Path | None = None
    out.mkdir(parents=True, exist_ok=True)

    def follow(raw: str) -> None:
        nonlocal seen, model
        line = readable(raw)
        if line is None:
            return
        seen += bool(_COMPONENT.search(line))
        if saved := _SAVED.search(line):
            model = Path(saved.group(1))
        report(5 + (TRAIN_SHARE - 10) * min(seen, expected) // expected, line)

    run_rasa_child(command(out), follow, "rasa train")
    model = model or next(out.glob("*.tar.gz"), None)
    if model is None or not model.is_file():
        raise RasaChildFailed(f"rasa train wrote no model in {out}")
    report(TRAIN_SHARE, f"model trained: {model.name}")
    return model
