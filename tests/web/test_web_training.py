"""The training page on the trainer's API (trainer/): jobs, models, old-vs-new comparison, refused activation
and rollback, roles; and the page without the trainer. No real training here (minutes of Rasa: the trainer's
own tests do it); the models folder is a private one, so nothing here touches what Rasa serves."""

from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest

MODEL = "20261201-101010-test-model.tar.gz"


@pytest.fixture
def models(web_var: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from stack.servers import free_port

    folder = tmp_path / "models"
    folder.mkdir()
    (folder / MODEL).write_bytes(b"not a real model")
    monkeypatch.setenv("BERKANE_MODELS", str(folder))
    monkeypatch.setenv("RASA_URL", f"http://127.0.0.1:{free_port()}")  # no Rasa there: nothing is hot-loaded
    return folder


def refused_job() -> str:
    """A job the gate refused, as the trainer records it."""
    from trainer import records

    job_id = records.new_id()
    records.write(
        {
            "id": job_id,
            "actor": "trainer",
            "started": records.now(),
            "finished": records.now(),
            "state": "refused",
            "progress": 100,
            "log": ["started by trainer", "evaluated"],
            "comparison": {
                "varieties": {"fr": {"old_f1": 0.95, "new_f1": 0.91}, "ar": {"old_f1": 0.9, "new_f1": 0.905}},
                "e2e": {"old": 0.8, "new": 0.82},
                "allowed": False,
                "reasons": ["fr: intent macro-F1 0.950 -> 0.910 (-4.0 points)"],
            },
            "model": None,
            "old_model": MODEL,
            "error": None,
            "pid": None,
        }
    )
    return job_id


def shown(response) -> str:
    return html.unescape(response.text)


def test_jobs_models_and_the_old_versus_new_comparison_with_a_refused_activation(browser, models):
    job_id = refused_job()
    trainer = browser("trainer")
    page = shown(trainer.get("/training"))
    assert "test-model" in page and job_id in page and "refused" in page
    page = shown(trainer.get(f"/training/jobs/{job_id}"))
    assert "<td>fr</td><td>0.950</td><td>0.910</td><td>-0.040</td>" in page
    assert "Activation refusée : fr: intent macro-F1" in page and 'id="activate"' not in page
    response = trainer.post(f"/training/jobs/{job_id}/activate")
    assert "Activation refusée : fr: intent macro-F1 0.950 -> 0.910" in shown(response)
    response = trainer.post("/training/rollback")
    assert "Retour refusé" in shown(response) and (models / MODEL).exists()
    assert trainer.get("/training/jobs/no-such-job").status_code == 404
    assert "activation refused" in shown(browser("admin").get("/audit"))


def test_an_analyst_cannot_start_a_training(browser, models, web_var):
    analyst = browser("analyst")
    assert analyst.post("/training/start").status_code == 403
    assert analyst.get("/training").status_code == 403
    assert not (web_var / "trainer" / "jobs").exists() or not list((web_var / "trainer" / "jobs").iterdir())


def test_without_the_trainer_the_page_says_so_and_actions_answer_503(browser, monkeypatch):
    monkeypatch.setitem(sys.modules, "trainer", None)  # as on a server where trainer/ is not installed
    trainer = browser("trainer")
    assert "trainer not available" in trainer.get("/training").text
    assert trainer.post("/training/start").status_code == 503
