"""Fixtures for the action tests: the real knowledge index and feedback store in a temporary BERKANE_VAR.

The actions run in-process (as the action server runs them) against the index built from
knowledge/documents, with their own feedback database, so the tests never touch a user's `var/`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import settings
from actions import resources
from knowledge import admin
from knowledge.feedback import FeedbackStore
from settings import var_dir


@pytest.fixture(scope="session")
def kb_var(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A state directory with the index of knowledge/documents (a copy of `make index`'s when there is one)."""
    state = tmp_path_factory.mktemp("actions-var")
    built = var_dir() / "kb"
    previous = os.environ.get("BERKANE_VAR")
    os.environ["BERKANE_VAR"] = str(state)
    settings.reload()
    if (built / "CURRENT").exists():
        shutil.copytree(built, state / "kb", symlinks=True)
    else:
        admin.rebuild()
    resources.knowledge_base.cache_clear()
    resources.feedback_store.cache_clear()
    yield state
    resources.knowledge_base.cache_clear()
    resources.feedback_store.cache_clear()
    if previous is None:
        os.environ.pop("BERKANE_VAR", None)
    else:
        os.environ["BERKANE_VAR"] = previous
    settings.reload()


@pytest.fixture
def store(kb_var: Path) -> FeedbackStore:
    return FeedbackStore(kb_var / "feedback.sqlite")
