"""Where the project keeps its environments, model and run-time state."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_VENV = ROOT / ".venv-rasa"
APP_VENV = ROOT / ".venv"
MODELS = ROOT / "models"


def var_dir() -> Path:
    """Run-time state (index versions, tracker and feedback databases, logs); `BERKANE_VAR` moves it."""
    return Path(os.environ.get("BERKANE_VAR") or ROOT / "var").resolve()
