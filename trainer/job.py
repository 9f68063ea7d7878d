"""One training job, run in its own process so that it outlives the web process that started it.

    .venv/bin/python -m trainer.job JOB_ID LOCK_FD

It inherits the job lock (descriptor LOCK_FD, see trainer.records) and holds it until it exits. Steps: train
the new model into the job's staging folder (trainer.training); score it and the serving model on the
held-out sentences per variety and on the e2e answer sets (trainer.score in the Rasa environment; the e2e
verdicts by bench/answers.py's rules); compare them (trainer.gate). The record ends `ready` (activation
allowed), `refused` (the reasons) or `failed` (the error). The serving model is never touched here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import settings
from bench.answers import Item, failures, reply_text
from bench.questions import answer_items, per_variety
from observability import jsonlog
from privacy.erase import FEEDBACK_FILE, erase_sender
from privacy.files import private_file
from settings import RASA_VENV, ROOT
from stack import tokens
from stack.servers import answers
from trainer import gate, records, serving, training
from trainer.score import senders

log = logging.getLogger("trainer")
# trainer/score.py run as a file, not `-m trainer.score`: that would import this package, which needs
# `settings` (pydantic 2), in the Rasa environment (pydantic 1); `-c` puts the working directory (ROOT) on
# the import path as `-m` does, for nlu/ and bench/.
RUN_SCORE = "import runpy; runpy.run_path('trainer/score.py', run_name='__main__')"


def e2e_items() -> list[Item]:
    """The answer sets' questions (tests/data/e2e), or BERKANE_TRAINER_E2E_PER_VARIETY of each variety."""
    items = answer_items([])
    count = settings.get().trainer_e2e_per_variety
    return per_variety(items, count) if count else items


def heldout_key(model: Path) -> str:
    """What a model's held-out scores depend on: its file, the held-out sentences and the nlu/ code its
    components run (the pipeline is deterministic: same key, same predictions)."""
    digest = hashlib.sha256()
    code = (
        p for p in (ROOT / "nlu").rglob("*") if p.suffix in (".py", ".yml", ".json") and "__pycache__" not in p.parts
    )
    for path in [model, *sorted(settings.get().trainer_heldout.rglob("*.yml")), *sorted(code)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def known_heldout() -> dict[str, dict[str, float]]:
    """Held-out scores of models already evaluated (var/trainer/heldout.json): the serving model was scored
    when it was a job's new model, so a job predicts the ~1,100 sentences with one model, not two."""
    try:
        return json.loads((records.folder() / "heldout.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def remember_heldout(scores: dict[str, dict[str, float]]) -> None:
    path = private_file(records.folder() / "heldout.json")
    tmp = private_file(path.with_suffix(f".{os.getpid()}.tmp"))
    tmp.write_text(json.dumps({**known_heldout(), **scores}), encoding="utf-8")
    os.replace(tmp, path)


def score(job_id: str, old: Path | None, new: Path, report: Any) -> dict[str, dict[str, Any]]:
    """{"old"?: scores, "new": scores} with scores = {"f1": {variety: F1}, "e2e": share passed}."""
    actions = f"http://127.0.0.1:{settings.get().actions_port}"
    if not answers(f"{actions}/health"):
        raise RuntimeError(f"the action server ({actions}) does not answer: the e2e answers cannot be measured")
    items = e2e_items()
    work = records.staging(job_id)
    models = {**({"old": old} if old else {}), "new": new}
    keys = {label: heldout_key(path) for label, path in models.items()}
    known = known_heldout()
    request = {
        "models": {label: str(path) for label, path in models.items()},
        "known_f1": {label: known[key] for label, key in keys.items() if key in known},
        "heldout": str(settings.get().trainer_heldout),
        "e2e": [item.text for item in items],
        "sender": f"trainer-{job_id}",
        "actions_url": f"{actions}/webhook",
    }
    request_path, result_path = private_file(work / "score-request.json"), work / "score-result.json"
    request_path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    share = 100 - training.TRAIN_SHARE

    def follow(line: str) -> None:
        if line.startswith("progress "):
            _, percent, what = line.split(" ", 2)
            report(training.TRAIN_SHARE + share * int(percent) // 100, f"evaluating: {what}")

    try:
        training.run_rasa_child(
            [str(RASA_VENV / "bin" / "python"), "-c", RUN_SCORE, str(request_path), str(result_path)],
            follow,
            "scoring",
            {"BERKANE_ACTIONS_TOKEN": tokens.for_local_tool("actions") or ""},
        )
        result = json.loads(result_path.read_text(encoding="utf-8"))
        remember_heldout({keys[label]: scores["f1"] for label, scores in result.items()})
    finally:
        feedback = settings.var_dir() / FEEDBACK_FILE  # the action server's unanswered queue: not citizens'
        for label in request["models"]:
            for sender in senders(request, label):
                erase_sender(feedback, sender)
    return {
        label: {
            "f1": scores["f1"],
            "e2e": round(
                sum(not failures(item, reply_text(r)) for item, r in zip(items, scores["replies"])) / len(items), 4
            )
            if items
            else 0.0,
        }
        for label, scores in result.items()
    }


def run(job_id: str) -> dict[str, Any]:
    record = records.read(job_id)
    record["pid"] = os.getpid()

    def report(progress: int, line: str) -> None:
        record["progress"] = max(record.get("progress", 0), min(progress, 99))
        record["log"].append(f"{time.strftime('%H:%M:%S')} {line}")
        records.write(record)

    try:
        old = serving.active()
        record["old_model"] = old.name if old else None
        report(1, f"training a new model from {settings.get().training_data} (serving: {record['old_model']})")
        new = training.train(records.staging(job_id) / "model", report)
        record.update(state="evaluating", model=str(new))
        report(training.TRAIN_SHARE, "evaluating the new and the serving model")
        scores = score(job_id, old, new, report)
        comparison = gate.compare(scores.get("old"), scores["new"])
        record.update(comparison=comparison, state="ready" if comparison["allowed"] else "refused", progress=100)
        verdict = "activation allowed" if comparison["allowed"] else "refused: " + "; ".join(comparison["reasons"])
        record["log"].append(verdict)
    except Exception as error:  # any failure ends the job as failed, with its reason
        log.exception("training job failed", extra={"event": "training_failed", "job": job_id})
        record.update(state="failed", error=str(error))
        record["log"].append(f"failed: {error}")
    record["finished"] = records.now()
    records.write(record)
    log.info(
        "training job ended",
        extra={"event": "training_ended", "job": job_id, "state": record["state"], "actor": record["actor"]},
    )
    return record


if __name__ == "__main__":
    jsonlog.configure()
    lock_fd = int(sys.argv[2])  # held, never closed: the lock lasts as long as this process
    run(sys.argv[1])
