"""The NLU's e5 vector handed to the search (nlu.query.QueryVector, issue 13): used instead of embedding only
when it is the vector of the very text and model the search would embed, with the same answer; else the
search embeds as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.embeddings import get_embedder
from knowledge.search import KnowledgeBase
from nlu import e5
from nlu.query import QueryVector, search_forms


class CountingEmbedder:
    """The real embedder, counting the query texts it embeds."""

    def __init__(self) -> None:
        self._real = get_embedder()
        self.name, self.dim = self._real.name, self._real.dim
        self.queries: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.queries += texts
        return self._real.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._real.embed_passages(texts)


@pytest.fixture
def counted(built_root: Path) -> tuple[KnowledgeBase, CountingEmbedder]:
    embedder = CountingEmbedder()
    return KnowledgeBase.open(built_root, embedder=embedder), embedder


def nlu_vector(text: str, lang: str, model: str = e5.NAME) -> QueryVector:
    """What the NLU sends: the vector of the search's dense form, through the parse-data encoding."""
    form = search_forms(text, lang)[1]
    sent = QueryVector(form, model, e5.embed_queries([form])[0]).as_parse_data()
    decoded = QueryVector.from_parse_data({"query_vector": sent})
    assert decoded is not None
    return decoded


@pytest.mark.parametrize(
    "text, lang",
    [
        ("ch7al kaykhlles l bassbor?", "ary_Latn"),
        ("Quel est le prix du passeport ?", "fr"),
        ("متى ينعقد الملتقى؟", "ar"),
    ],
)
def test_the_nlu_vector_answers_without_embedding_and_with_the_same_passages(
    counted: tuple[KnowledgeBase, CountingEmbedder], built_root: Path, text: str, lang: str
) -> None:
    kb, embedder = counted
    hinted = kb.search(text, lang=lang, hint=nlu_vector(text, lang))
    assert embedder.queries == []
    assert hinted == KnowledgeBase.open(built_root).search(text, lang=lang)


QUESTION = "quel est le prix du passeport"


@pytest.mark.parametrize(
    "other",
    [
        lambda: nlu_vector(QUESTION, "fr", model="st:other-model"),  # another model's space
        lambda: nlu_vector("le forum, c'est quand ?", "fr"),  # another text (a follow-up the router rewrote)
        lambda: QueryVector(search_forms(QUESTION, "fr")[1], e5.NAME, np.ones((1, 8), np.float32)),  # other size
    ],
    ids=["model", "text", "dimension"],
)
def test_a_vector_of_something_else_is_not_used(counted: tuple[KnowledgeBase, CountingEmbedder], other) -> None:
    kb, embedder = counted
    hits = kb.search(QUESTION, lang="fr", hint=other())
    assert embedder.queries == [search_forms(QUESTION, "fr")[1]]
    assert hits and hits[0].doc_id == "fx-passport-fr"


def test_a_hint_serves_its_own_search_only(counted: tuple[KnowledgeBase, CountingEmbedder]) -> None:
    """A wrong vector sent with one action call must not answer the next citizen's same question."""
    kb, embedder = counted
    forum = nlu_vector("متى ينعقد الملتقى؟", "ar")
    kb.search(QUESTION, lang="fr", hint=QueryVector(search_forms(QUESTION, "fr")[1], forum.model, forum.vector))
    hits = kb.search(QUESTION, lang="fr")
    assert embedder.queries == [search_forms(QUESTION, "fr")[1]]
    assert hits[0].doc_id == "fx-passport-fr"
