"""Cut documents into passages small enough to answer with (~600 characters), one section at a time.

Each passage keeps the text shown to the citizen (`text`) apart from the text that is embedded and indexed
(`context`: the document title and section heading in front, so "500 DH" is found as the passport's cost).
FAQ lines (and one line of title + tags) become extra passages of their own (`section == "faq"`): they help
matching, and are never shown.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from knowledge.documents import LEAD_SECTION, Document
from nlu.sentences import split_sentences

MAX_CHARS = 600
FAQ_SECTION = "faq"


@dataclass
class Chunk:
    """One indexed passage; `row` is its id in the FAISS index of its version."""

    row: int
    chunk_id: str
    doc_id: str
    section: str
    text: str
    context: str

    @property
    def is_faq(self) -> bool:
        return self.section == FAQ_SECTION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Paragraphs merged up to `limit` characters; a longer paragraph is cut at sentence ends."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        pieces.extend(_pack(split_sentences(paragraph), limit, " "))
    return _pack(pieces, limit, "\n\n")


def _pack(parts: list[str], limit: int, joiner: str) -> list[str]:
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + len(joiner) + len(part) <= limit:
            packed[-1] += joiner + part
        else:
            packed.append(part)
    return packed


def chunk_document(doc: Document, first_row: int) -> list[Chunk]:
    """The passages of one document (sections in order, then its FAQ lines), numbered from `first_row`."""
    chunks: list[Chunk] = []
    for section, body in doc.sections.items():
        heading = doc.headings.get(section)
        prefix = f"{doc.title} — {heading}" if heading else doc.title
        for piece in split_text(body):
            chunks.append(
                Chunk(first_row + len(chunks), f"{doc.id}#{len(chunks)}", doc.id, section, piece, f"{prefix}: {piece}")
            )
    matching_lines = list(doc.faq) + ([", ".join([doc.title, *doc.tags])] if doc.tags else [])
    for line in matching_lines:
        chunks.append(Chunk(first_row + len(chunks), f"{doc.id}#{len(chunks)}", doc.id, FAQ_SECTION, line, line))
    return chunks


def lead_section(doc: Document) -> str:
    """The section whose first passage answers for the whole document (intro, else the first section)."""
    if LEAD_SECTION in doc.sections:
        return LEAD_SECTION
    return next(iter(doc.sections), LEAD_SECTION)
