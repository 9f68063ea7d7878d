"""Admin changes are seen by an open KnowledgeBase without restart, and can be undone."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import docx
import pytest

from knowledge import admin, store
from knowledge.build import index_code
from knowledge.convert import Options
from knowledge.search import KnowledgeBase
from nlu.fingerprint import ROOT

WIFI_FR = (
    "Le wifi gratuit du forum des villes intelligentes s'appelle BerkaneSmart. "
    "Le mot de passe du wifi est donné à l'accueil de l'ENIAD."
)


def wait_for(condition, timeout: float = 5.0) -> bool:
    """Poll `condition` (the knowledge base looks at CURRENT at most once per second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_added_text_file_is_found_by_an_open_knowledge_base(kb_env: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase.open(kb_env)
    assert "wifi" not in " ".join(hit.text for hit in kb.search("le mot de passe du wifi", lang="fr"))
    note = tmp_path / "Wifi du forum.txt"
    note.write_text(WIFI_FR, encoding="utf-8")
    added = admin.add_files([note], Options(topic="forum_practical"))
    assert added[0].doc_id == "wifi-du-forum" and added[0].lang == "fr" and added[0].chunks == 1
    assert wait_for(lambda: kb.version != "v0001")
    hit = kb.search("le mot de passe du wifi", lang="fr")[0]
    assert hit.doc_id == "wifi-du-forum" and "BerkaneSmart" in hit.text and hit.topic == "forum_practical"


def test_remove_then_rollback_brings_the_document_back(kb_env: Path) -> None:
    kb = KnowledgeBase.open(kb_env)
    before = store.current_version(kb_env)
    admin.remove("fx-complaints-fr")
    assert wait_for(lambda: kb.document("fx-complaints-fr") is None)
    assert all(hit.doc_id != "fx-complaints-fr" for hit in kb.search("chikaya.ma réclamation", lang="fr", k=10))
    assert admin.rollback() == before
    assert wait_for(lambda: kb.document("fx-complaints-fr") is not None)
    # the documents came back with the index: a rebuild keeps them
    admin.rebuild()
    assert wait_for(lambda: kb.document("fx-complaints-fr") is not None)


def test_rebuild_if_changed_does_nothing_when_documents_are_the_same(kb_env: Path) -> None:
    serving = store.current_version(kb_env)
    assert admin.rebuild(if_changed=True) is None
    assert store.current_version(kb_env) == serving


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the code and data the index is made with, to edit without touching the repository."""
    root = tmp_path_factory.mktemp("checkout")
    for folder in ("knowledge", "nlu", "data/nlu"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "documents"))
    return root


@pytest.mark.parametrize(
    "edited,rebuilds",
    [
        ("nlu/text.py", True),
        ("nlu/arabizi.py", True),
        ("knowledge/textprep.py", True),
        ("knowledge/chunking.py", True),
        ("knowledge/lexical.py", True),
        ("data/nlu/ary_Latn/services.yml", True),
        # read at query time only (entities of the question), or not at all by the index
        ("nlu/lexicon/service.yml", False),
        ("knowledge/feedback.py", False),
        ("nlu/intents.py", False),
    ],
)
def test_the_index_is_rebuilt_when_the_code_it_is_made_with_changes(
    checkout: Path, edited: str, rebuilds: bool
) -> None:
    """`rebuild --if-changed` compares the documents and `index_code`: text preparation, chunking, BM25 and
    the language model's examples count; code the index does not use does not."""
    before = index_code(checkout)
    assert before == index_code(ROOT)  # a copy of the same files is the same build
    path = checkout / edited
    original = path.read_text(encoding="utf-8")
    path.write_text(original + ("\nEDITED = 1\n" if path.suffix == ".py" else "\n# edited\n"), encoding="utf-8")
    try:
        assert (index_code(checkout) != before) is rebuilds
    finally:
        path.write_text(original, encoding="utf-8")


def test_docx_html_and_markdown_files_are_added_with_their_metadata(kb_env: Path, tmp_path: Path) -> None:
    word = docx.Document()
    word.add_heading("Horaires", level=2)
    word.add_paragraph("L'accueil du forum ouvre à 8 h 30 le jeudi 10 avril 2025.")
    word.save(tmp_path / "accueil.docx")
    (tmp_path / "page.html").write_text(
        "<html><body><h2>مواقف السيارات</h2><p>توجد مواقف للسيارات قرب مقر عمالة إقليم بركان.</p>"
        "<script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "note.md").write_text(
        "---\nid: note-en\nlang: en\ntitle: Shuttle\ntopic: forum_practical\n"
        "provisional: true\n---\nA shuttle runs between the province and ENIAD.\n",
        encoding="utf-8",
    )
    added = {
        a.doc_id: a for a in admin.add_files([tmp_path / "accueil.docx", tmp_path / "page.html", tmp_path / "note.md"])
    }
    assert added["accueil"].lang == "fr" and added["page"].lang == "ar" and added["note-en"].lang == "en"
    kb = KnowledgeBase.open(kb_env)
    assert "alert" not in kb.document("page").body
    assert kb.document("accueil").sections.get("horaires")
    assert kb.document("note-en").provisional


def test_export_writes_every_served_document_as_markdown(kb_env: Path, tmp_path: Path) -> None:
    count = admin.export(tmp_path / "out")
    assert count == len(list((tmp_path / "out").glob("*.md"))) == 7
    assert (tmp_path / "out" / "fx-passport-fr.md").read_text(encoding="utf-8").startswith("---\nid: fx-passport-fr")


def test_stats_and_versions_describe_the_serving_index(kb_env: Path) -> None:
    """After a change the admin sees the new counts, and the previous version kept to roll back to."""
    first = admin.stats()
    assert first["documents"] == 7 and first["by_lang"] == {"ar": 3, "fr": 3, "en": 1}
    admin.remove("fx-complaints-fr")
    after = admin.stats()
    assert after["documents"] == 6 and after["by_lang"] == {"ar": 3, "fr": 2, "en": 1}
    listed = [(v["version"], v["current"]) for v in admin.versions()]
    assert listed == [(first["version"], False), (after["version"], True)]


def test_replace_updates_an_existing_document(kb_env: Path, tmp_path: Path) -> None:
    text = (Path(__file__).parent / "fixtures" / "documents" / "forum-dates-en.md").read_text(encoding="utf-8")
    updated = tmp_path / "dates.md"
    updated.write_text(text.replace("a Thursday and a Friday", "Thursday and Friday, in Berkane"), encoding="utf-8")
    with pytest.raises(Exception, match="duplicate id"):
        admin.add_files([updated])
    admin.add_files([updated], replace=True)
    kb = KnowledgeBase.open(kb_env)
    assert "in Berkane" in kb.document("fx-forum-dates-en").body
    assert len(kb.documents(topic="forum_dates")) == 3
