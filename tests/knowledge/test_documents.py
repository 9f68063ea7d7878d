"""Documents are read the way their authors wrote them: front matter, sections by key, short passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunking import MAX_CHARS, chunk_document, split_text
from knowledge.documents import load_markdown_file, parse_markdown
from knowledge.errors import KnowledgeError


def test_service_document_sections_are_keyed_and_headings_clean(fixture_docs: Path) -> None:
    doc = load_markdown_file(fixture_docs / "passport-fr.md")
    assert doc.id == "fx-passport-fr" and doc.lang == "fr" and doc.topic == "service:passport"
    assert set(doc.sections) == {"what", "cost", "papers", "validity"}
    assert "500 DH" in doc.sections["cost"]
    assert all("{#" not in text for text in doc.sections.values())
    assert doc.headings["cost"] == "Coût"


def test_passages_carry_their_section_and_title_context_but_show_only_text(fixture_docs: Path) -> None:
    doc = load_markdown_file(fixture_docs / "passport-fr.md")
    chunks = chunk_document(doc, 0)
    cost = next(chunk for chunk in chunks if chunk.section == "cost")
    assert cost.text.startswith("Le droit de timbre")
    assert cost.context.startswith("Passeport biométrique — Coût:")
    faq = [chunk for chunk in chunks if chunk.is_faq]
    assert "combien coute le passeport" in [chunk.text for chunk in faq]


def test_long_text_is_cut_into_passages_of_at_most_600_characters() -> None:
    paragraph = " ".join(f"Phrase numéro {i} sur la procédure en ligne." for i in range(60))
    pieces = split_text(paragraph + "\n\n" + "Court paragraphe.")
    assert len(pieces) > 2
    assert all(len(piece) <= MAX_CHARS for piece in pieces)
    assert "".join(pieces).replace(" ", "").startswith("Phrasenuméro0")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("no front matter here", "no front matter"),
        ("---\nid: x\nlang: fr\n", "not closed"),
        ("---\nid: [unclosed\n---\nbody", "malformed front matter"),
        ("---\nid: x\nlang: de\ntitle: t\ntopic: t\n---\nbody", "lang"),
        ("---\nid: Bad Id\nlang: fr\ntitle: t\ntopic: t\n---\nbody", "id"),
        ("---\nid: x\nlang: fr\ntopic: t\n---\nbody", "lacks 'title'"),
        ("---\nid: x\nlang: fr\ntitle: t\ntopic: t\n---\n   \n", "no text"),
    ],
)
def test_bad_documents_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(KnowledgeError, match=reason):
        parse_markdown(text, "doc.md")
