"""Administration of the knowledge base: add, remove, rebuild, roll back, export, inspect.

Every change builds a complete new version and switches to it at the end (see `knowledge.store`); a file
lock serialises admin commands (CLI, Telegram admin, `make index`) so two changes never interleave. Bad
input raises KnowledgeError before anything is written: the serving index stays as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from knowledge import store
from knowledge.build import Sources, build_version, documents_dir, parse_all, serving_sources
from knowledge.convert import SUFFIXES, Options, load_file
from knowledge.documents import Document
from knowledge.embeddings import current_spec, spec_name
from knowledge.errors import KnowledgeError
from knowledge.verify import verify_version

log = logging.getLogger(__name__)
LOCK_TIMEOUT = 600


@dataclass
class Added:
    """What an admin sees after `add`: the document and how many passages it gave."""

    doc_id: str
    title: str
    lang: str
    topic: str
    chunks: int


@contextmanager
def locked(root: Path | None = None) -> Iterator[Path]:
    """Hold the admin lock on `var/kb` (and clean what a killed command left behind)."""
    root = root or store.kb_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root / ".lock"), timeout=LOCK_TIMEOUT)
        lock.acquire()
    except Timeout:
        raise KnowledgeError("another knowledge admin command is running; try again later") from None
    except OSError as error:  # read-only, full, or a file where the folder should be: nothing written
        raise KnowledgeError(f"{root}: cannot write there ({error.strerror}); nothing changed") from None
    try:
        store.clean_staging(root)
        yield root
    finally:
        lock.release()


def add_files(
    paths: list[Path | str], options: Options | None = None, replace: bool = False, root: Path | None = None
) -> list[Added]:
    """Add documents (all or none) and switch to a new version; `replace` allows updating an existing id."""
    if not paths:
        raise KnowledgeError("no file given")
    docs = [load_file(Path(path), options if len(paths) == 1 else _without_id(options)) for path in paths]
    with locked(root) as kb_root:
        sources = serving_sources(kb_root)
        existing = {doc.id: doc for doc in parse_all(sources)}
        new_ids: set[str] = set()
        for doc in docs:
            if doc.id in new_ids or (doc.id in existing and not replace):
                raise KnowledgeError(f"{doc.path}: duplicate id {doc.id!r} (use --replace to update it)")
            new_ids.add(doc.id)
            sources.added[doc.id] = doc.to_markdown()
            if _in_repo(existing, doc.id):
                sources.removed = sorted(set(sources.removed) | {doc.id})
        name = build_version(kb_root, sources, verify_version)
    chunk_counts = _chunk_counts(kb_root / name)
    log.info("documents added", extra={"ids": sorted(new_ids), "version": name})
    return [Added(doc.id, doc.title, doc.lang, doc.topic, chunk_counts.get(doc.id, 0)) for doc in docs]


def _in_repo(existing: dict[str, Document], doc_id: str) -> bool:
    doc = existing.get(doc_id)
    return bool(doc and doc.path and doc.path.startswith("knowledge/documents"))


def _without_id(options: Options | None) -> Options | None:
    """A fixed id or title cannot apply to several files at once."""
    if options is None:
        return None
    return Options(lang=options.lang, topic=options.topic, source=options.source)


def import_dir(
    directory: Path | str, options: Options | None = None, replace: bool = False, root: Path | None = None
) -> list[Added]:
    """Add every supported file found under `directory`."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeError(f"{directory}: not a directory")
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise KnowledgeError(f"{directory}: no document files ({' '.join(SUFFIXES)})")
    return add_files(files, options, replace, root)


def remove(doc_id: str, root: Path | None = None) -> str:
    """Take a document out of the index (an added one is dropped; a repo one is listed in removed.json)."""
    with locked(root) as kb_root:
        sources = serving_sources(kb_root)
        existing = {doc.id: doc for doc in parse_all(sources)}
        if doc_id not in existing:
            raise KnowledgeError(f"no document with id {doc_id!r}")
        if doc_id in sources.added:
            del sources.added[doc_id]
        if _in_repo(existing, doc_id):
            sources.removed = sorted(set(sources.removed) | {doc_id})
        name = build_version(kb_root, sources, verify_version)
    log.info("document removed", extra={"doc_id": doc_id, "version": name})
    return name


def rebuild(if_changed: bool = False, root: Path | None = None) -> str | None:
    """Build a new version from the documents; with `if_changed`, None when nothing changed since the last."""
    with locked(root) as kb_root:
        sources = serving_sources(kb_root)
        serving = store.current_version(kb_root)
        if if_changed and serving and _same_build(kb_root / serving, sources):
            return None
        return build_version(kb_root, sources, verify_version)


def _same_build(version: Path, sources: Sources) -> bool:
    """Same documents, same index code and the embedder `BERKANE_EMBEDDINGS` asks for."""
    manifest = store.read_json(version / "manifest.json")
    return manifest.get("digest") == sources.digest and manifest.get("embedder") == spec_name(current_spec())


def rollback(version: str | None = None, root: Path | None = None) -> str:
    """Serve `version`, or the one before the serving one; its own admin documents come back with it."""
    with locked(root) as kb_root:
        names = store.versions(kb_root)
        serving = store.current_version(kb_root)
        if version is None:
            older = [name for name in names if serving and int(name[1:]) < int(serving[1:])]
            if not older:
                raise KnowledgeError("no older version to roll back to")
            version = older[-1]
        if version not in names:
            raise KnowledgeError(f"no version {version!r} (see `versions`)")
        try:
            verify_version(kb_root, version)
        except KnowledgeError as error:
            raise KnowledgeError(f"rollback refused: {error}; still serving {serving}") from None
        store.switch(kb_root, version)
    log.info("rolled back", extra={"version": version})
    return version


def versions(root: Path | None = None) -> list[dict]:
    """Every kept version with its manifest, newest last; `current` marks the serving one."""
    root = root or store.kb_root()
    serving = store.current_version(root)
    return [
        {"version": name, "current": name == serving, **store.read_json(root / name / "manifest.json")}
        for name in store.versions(root)
    ]


def stats(root: Path | None = None) -> dict:
    """Counts of the serving version: documents by language and topic, passages, embedder."""
    root = root or store.kb_root()
    serving = store.current_version(root)
    if serving is None:
        return {"version": None, "documents": 0, "chunks": 0}
    catalogue = store.read_json(root / serving / "catalogue.json")
    manifest = store.read_json(root / serving / "manifest.json")
    by_lang: dict[str, int] = {}
    by_topic: dict[str, int] = {}
    for doc in catalogue["documents"]:
        by_lang[doc["lang"]] = by_lang.get(doc["lang"], 0) + 1
        by_topic[doc["topic"]] = by_topic.get(doc["topic"], 0) + 1
    faq = sum(1 for chunk in catalogue["chunks"] if chunk["section"] == "faq")
    return {
        "version": serving,
        "documents": len(catalogue["documents"]),
        "chunks": len(catalogue["chunks"]),
        "faq_lines": faq,
        "vectors": manifest.get("vectors"),
        "embedder": manifest.get("embedder"),
        "by_lang": by_lang,
        "by_topic": by_topic,
        "built": manifest.get("created"),
        "documents_dir": str(documents_dir()),
    }


def list_documents(root: Path | None = None) -> list[Document]:
    root = root or store.kb_root()
    serving = store.current_version(root)
    if serving is None:
        return []
    return [Document.from_dict(d) for d in store.read_json(root / serving / "catalogue.json")["documents"]]


def show(doc_id: str, root: Path | None = None) -> Document:
    for doc in list_documents(root):
        if doc.id == doc_id:
            return doc
    raise KnowledgeError(f"no document with id {doc_id!r}")


def export(directory: Path | str, root: Path | None = None) -> int:
    """Write every served document as Markdown with front matter into `directory` (a backup, or a corpus)."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    docs = list_documents(root)
    for doc in docs:
        (target / f"{doc.id}.md").write_text(doc.to_markdown(), encoding="utf-8")
    return len(docs)


def _chunk_counts(version: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chunk in store.read_json(version / "catalogue.json")["chunks"]:
        if chunk["section"] != "faq":
            counts[chunk["doc_id"]] = counts.get(chunk["doc_id"], 0) + 1
    return counts
