"""The trainer loop against real models and a real Rasa server: train, evaluate, gate, hot swap, rollback.

Three real trainings of a small pipeline (tests/trainer/data/config.yml: the project's text components, word
and character counts, a logistic regression, rule and memoization policies) on half of data/nlu, scored on a
quarter of the held-out sentences and one e2e question per variety, so that the whole loop fits in the time
budget: the serving model, a job with one annotated example more (allowed), a job
whose data lost the French examples (refused). A Rasa server of its own serves the models from a folder of
its own, against the session's real action server; nothing here touches models/ or the session's Rasa server.
A stranger's PUT /model is refused in tests/security/test_doors.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import threading
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

import trainer
from nlu.evaluate import Example, load, write_nlu_file
from settings import APP_VENV, ROOT
from stack import tokens
from stack.servers import Server, free_port, rasa_server, write_endpoints
from trainer import records, training

pytestmark = pytest.mark.servers
CONFIG = Path(__file__).parent / "data" / "config.yml"
JOB_TIMEOUT = 300


@dataclass
class Loop:
    data: Path
    models: Path
    rasa: Server
    port: int
    baseline: str

    def served(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/status?token={self.rasa.token}", timeout=10) as r:
            return Path(json.loads(r.read())["model_file"]).name

    def say(self, text: str, sender: str) -> list[dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read() or b"[]")


def sample(source: Path, target: Path, every: int) -> None:
    """One NLU example in `every` of each variety and intent under `source`, in the same layout under `target`."""
    kept: dict[str, list[Example]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for example in load(source):
        if seen[example.variety, example.intent] % every == 0:
            kept[example.variety].append(example)
        seen[example.variety, example.intent] += 1
    for variety, examples in kept.items():
        (target / variety).mkdir(parents=True)
        write_nlu_file(examples, target / variety / "examples.yml")


def half_of_the_training_data(target: Path) -> None:
    """data/ with every other NLU example of each variety and intent (the dialogue data whole)."""
    sample(ROOT / "data" / "nlu", target / "nlu", 2)
    for name in ("rules.yml", "stories.yml"):
        shutil.copy(ROOT / "data" / name, target / name)


def wait_for(job_id: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        record = trainer.status(job_id)
        if record["state"] not in records.RUNNING:
            return record
        time.sleep(1)
    pytest.fail(f"job {job_id} still {record['state']} after {JOB_TIMEOUT} s: {record['log'][-5:]}")


@pytest.fixture(scope="module")
def loop(stack, tmp_path_factory: pytest.TempPathFactory):
    """The trainer's settings pointed at copies, a serving model trained, its Rasa server starting."""
    work = tmp_path_factory.mktemp("trainer")
    data, models = work / "data", work / "models"
    half_of_the_training_data(data)
    sample(ROOT / "tests" / "data" / "heldout", work / "heldout", 4)  # ~270 of the ~1,100 sentences
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "BERKANE_VAR": str(stack.var_dir),  # the action server's: the job erases its e2e conversations there
            "BERKANE_TRAINING_DATA": str(data),
            "BERKANE_TRAINING_CONFIG": str(CONFIG),
            "BERKANE_MODELS": str(models),
            "BERKANE_TRAINER_HELDOUT": str(work / "heldout"),
            "BERKANE_TRAINER_E2E_PER_VARIETY": "1",
            "RASA_PORT": str(port),
            "ACTIONS_PORT": str(stack.actions_port),
        }.items():
            env.setenv(name, value)
        tokens.publish(stack.var_dir, tokens.Tokens(stack.rasa.token, stack.actions.token))
        baseline = training.train(work / "baseline", lambda progress, line: None)
        models.mkdir()
        shutil.copy(baseline, models / baseline.name)
        endpoints = write_endpoints(work / "endpoints.yml", stack.actions_port, work / "tracker.db")
        server = rasa_server(port, endpoints, work / "logs", model=models, env={"BERKANE_VAR": str(stack.var_dir)})
        server.start()  # it loads while the first job trains
        try:
            yield Loop(data, models, server, port, baseline.name)
        finally:
            server.stop()


@pytest.fixture(scope="module")
def annotated_job(loop: Loop) -> str:
    """A job on the data plus one example a trainer annotated (as the back office appends it)."""
    write_nlu_file(
        [Example("fr", "service_info", "il me faut un passeport pour voyager, je fais comment")],
        loop.data / "nlu" / "fr" / "annotated.yml",
    )
    return trainer.start("alice")


def test_a_second_start_while_a_job_runs_is_busy(annotated_job: str):
    with pytest.raises(trainer.Busy):
        trainer.start("bob")
    assert trainer.jobs()[0]["id"] == annotated_job
    assert trainer.jobs()[0]["actor"] == "alice"
    # the job runs in a session of its own (a restarted web process does not stop it) and another process
    # (the command line, a new web process) reads its state from var/
    deadline = time.monotonic() + 30
    while (pid := trainer.status(annotated_job)["pid"]) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert os.getsid(pid) != os.getsid(0)
    cli = subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "trainer", "jobs"], capture_output=True, text=True, check=True
    )
    assert annotated_job in cli.stdout and "alice" in cli.stdout


def test_a_job_trains_evaluates_and_reports_old_vs_new_per_variety(loop: Loop, annotated_job: str):
    record = wait_for(annotated_job)
    assert record["state"] == "ready", (record["error"], record["log"][-6:])
    assert record["progress"] == 100
    comparison = record["comparison"]
    assert set(comparison["varieties"]) == {"ar", "ary", "ary_Latn", "fr", "en"}
    for variety, row in comparison["varieties"].items():
        assert 0.3 < row["new_f1"] <= 1 and 0.3 < row["old_f1"] <= 1, (variety, row)
    assert comparison["e2e"]["old"] > 0 and comparison["e2e"]["new"] > 0
    assert comparison["allowed"] and not comparison["reasons"]
    assert record["old_model"] == loop.baseline
    assert any("component" in line for line in record["log"])  # progress came from Rasa's output
    assert stat.S_IMODE((records.folder() / "jobs" / f"{annotated_job}.json").stat().st_mode) == 0o600
    assert not (loop.models / Path(record["model"]).name).exists()  # staged, not served yet


def test_activation_hot_swaps_the_model_with_no_dropped_message(loop: Loop, annotated_job: str):
    loop.rasa.wait_healthy(240)
    assert loop.served() == loop.baseline
    answered: list[tuple[float, float, bool]] = []
    stop = threading.Event()

    def keep_talking(n: int) -> None:
        sender = f"swap-{n}-{uuid.uuid4().hex[:6]}"
        for text in ("bonjour", "combien coûte le passeport ?", "شحال كيسوا التجديد ديال لاكارط؟") * 100:
            sent = time.monotonic()
            try:
                ok = bool(loop.say(text, sender))
            except OSError:
                ok = False
            answered.append((sent, time.monotonic(), ok))
            if stop.is_set():
                return

    talkers = [threading.Thread(target=keep_talking, args=(n,)) for n in range(3)]
    for talker in talkers:
        talker.start()
    time.sleep(2)
    began = time.monotonic()
    trainer.activate(annotated_job, "alice")
    ended = time.monotonic()
    time.sleep(2)
    stop.set()
    for talker in talkers:
        talker.join(180)
    new_model = Path(trainer.status(annotated_job)["model"]).name
    assert loop.served() == new_model
    assert all(ok for _, _, ok in answered), f"{sum(not ok for _, _, ok in answered)} of {len(answered)} lost"
    assert any(sent < ended and done > began for sent, done, _ in answered)  # some were in flight at the swap
    assert trainer.status(annotated_job)["state"] == "active"
    assert [m["name"] for m in trainer.models() if m["active"]] == [new_model.removesuffix(".tar.gz")]


def test_rollback_serves_the_previous_model_again(loop: Loop, annotated_job: str):
    assert trainer.rollback("alice") == loop.baseline.removesuffix(".tar.gz")
    assert loop.served() == loop.baseline
    assert trainer.status(annotated_job)["state"] == "ready"  # one click away again
    assert [m["active"] for m in trainer.models()] == [True, False]
    assert loop.say("bonjour", f"after-rollback-{uuid.uuid4().hex[:6]}")


def test_a_model_whose_data_lost_a_variety_is_refused_with_the_reason(loop: Loop):
    shutil.rmtree(loop.data / "nlu" / "fr")
    record = wait_for(trainer.start("alice"))
    assert record["state"] == "refused", (record["error"], record["log"][-6:])
    fr = record["comparison"]["varieties"]["fr"]
    assert fr["new_f1"] < fr["old_f1"] - 0.01
    assert any(reason.startswith("fr:") for reason in record["comparison"]["reasons"])
    with pytest.raises(trainer.Refused, match="fr: intent macro-F1 drops"):
        trainer.activate(record["id"], "alice")
    assert loop.served() == loop.baseline
