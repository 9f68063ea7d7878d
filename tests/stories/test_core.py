"""The dialogue model and data as Rasa checks them: `rasa data validate` and `rasa test core` on the test stories.

Each test story gives the user's words in one variety and the gold intent; the test asserts that the bot
chose every action right (the NLU's own accuracy is measured by tests/nlu and the benchmark).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from settings import MODELS, RASA_VENV, ROOT
from stack.servers import BASE_ENV

pytestmark = pytest.mark.servers  # `rasa data validate` and `rasa test core` load Rasa and the model
STORIES = Path(__file__).parent


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RASA_VENV / "bin" / "rasa"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **BASE_ENV},
        timeout=900,
    )


def test_training_data_and_domain_are_valid():
    result = rasa("data", "validate", "--data", "data", "--domain", "domain.yml", "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_flow_picks_the_right_actions(tmp_path: Path):
    if not any(MODELS.glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    result = rasa("test", "core", "--stories", str(STORIES), "--model", str(MODELS), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "story_report.json").read_text(encoding="utf-8"))
    wrong = {
        action: scores
        for action, scores in report.items()
        if isinstance(scores, dict) and "f1-score" in scores and scores["f1-score"] < 1.0
    }
    assert report["accuracy"] == 1.0, wrong
