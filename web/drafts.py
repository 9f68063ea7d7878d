"""Documents waiting to be published: uploads and metadata edits, one Markdown file each in var/admin/drafts.

Publishing adds them all through `knowledge.admin.add_files` (the CLI's function: one new verified version,
all or none), then clears them; until then the assistant serves what it served before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge import admin
from knowledge.documents import Document, load_markdown_file, make_document
from knowledge.errors import KnowledgeError
from privacy.files import private_file
from settings import var_dir

EDITABLE = ("title", "lang", "topic", "source", "url", "checked", "provisional")


def drafts_dir() -> Path:
    return var_dir() / "admin" / "drafts"


def with_metadata(doc: Document, changes: dict[str, Any]) -> Document:
    """`doc` with new front-matter values, checked as any document is (KnowledgeError when one is wrong)."""
    meta = {**doc.front_matter(), **{key: value for key, value in changes.items() if key in EDITABLE}}
    return make_document({key: value for key, value in meta.items() if value not in (None, "", [])}, doc.body, doc.id)


def save(doc: Document) -> Path:
    path = drafts_dir() / f"{doc.id}.md"  # ids are [a-z0-9_-] (knowledge.documents.ID_RE): no path in them
    private_file(path).write_text(doc.to_markdown(), encoding="utf-8")
    return path


def pending() -> list[Document]:
    folder = drafts_dir()
    return [load_markdown_file(path) for path in sorted(folder.glob("*.md"))] if folder.is_dir() else []


def get(doc_id: str) -> Document | None:
    return next((doc for doc in pending() if doc.id == doc_id), None)


def discard(doc_id: str) -> bool:
    path = drafts_dir() / f"{doc_id}.md"
    if doc_id not in {doc.id for doc in pending()}:
        return False
    path.unlink()
    return True


def publish() -> tuple[str, list[admin.Added]]:
    """Every draft into one new index version; (version, what was added). KnowledgeError: nothing changed."""
    paths = sorted(drafts_dir().glob("*.md")) if drafts_dir().is_dir() else []
    if not paths:
        raise KnowledgeError("aucun brouillon à publier")
    added = admin.add_files(paths, replace=True)
    for path in paths:
        path.unlink(missing_ok=True)
    serving = next(v["version"] for v in admin.versions() if v["current"])
    return serving, added
