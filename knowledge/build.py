"""Build one index version from the documents: parse, chunk, embed (through the cache), write, switch.

Callers hold the admin lock (`knowledge.admin`). The documents are the repo's `knowledge/documents/` (env
`BERKANE_DOCUMENTS` points elsewhere, e.g. test fixtures) plus the admin-added Markdown texts given here.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

import settings
from knowledge import store
from knowledge.background import BACKGROUND
from knowledge.chunking import Chunk, chunk_document
from knowledge.documents import Document, parse_markdown, read_utf8, scan_markdown
from knowledge.embeddings import Embedder, get_embedder
from knowledge.errors import KnowledgeError
from knowledge.lexical import LexicalIndex
from knowledge.textprep import forms, index_form
from nlu import langid
from nlu.fingerprint import ROOT, code_digest

log = logging.getLogger(__name__)
# The index is made by this module and the knowledge and nlu modules it imports (parsing, chunking, text
# forms, BM25, normalisation, transliteration, lexicons: `nlu.fingerprint`); `forms` also asks the language
# model, trained on the NLU examples. A change to any of them makes `rebuild --if-changed` rebuild.
INDEX_CODE = ("knowledge.build",)
HNSW_FROM = 50_000  # exact search below this many vectors, HNSW above
Verifier = Callable[[Path, str, Embedder], None]  # raises KnowledgeError when a version cannot serve
PAUSE_ENV = "BERKANE_KB_PAUSE_BEFORE_SWITCH"  # tests: seconds to sleep between writing and switching


def documents_dir() -> Path:
    return settings.get().documents


@dataclass
class Sources:
    """Everything a version is built from; `digest` identifies it for `rebuild --if-changed`."""

    repo: dict[str, str]  # relative path -> Markdown text
    added: dict[str, str]  # doc id -> Markdown text (admin documents)
    removed: list[str]

    @property
    def digest(self) -> str:
        sha = hashlib.sha256(f"code {index_code()}\n".encode())
        for label, texts in (("repo", self.repo), ("added", self.added)):
            for name in sorted(texts):
                sha.update(f"{label} {name} {hashlib.sha256(texts[name].encode()).hexdigest()}\n".encode())
        sha.update(("removed " + ",".join(sorted(self.removed))).encode())
        return sha.hexdigest()


def index_code(root: Path = ROOT) -> str:
    """Digest of the code, lexicons and language-model examples an index version is built with (`root`: a
    repository checkout)."""
    return code_digest(
        *INDEX_CODE, packages=("knowledge", "nlu"), extra=(root / langid.DATA.relative_to(ROOT),), root=root
    )


def repo_sources(directory: Path | None = None) -> dict[str, str]:
    directory = directory or documents_dir()
    return {str(path.relative_to(directory)): read_utf8(path) for path in scan_markdown(directory)}


def parse_all(sources: Sources) -> list[Document]:
    """Parse every source document; duplicate ids and bad files are errors (nothing is half-built).

    `removed` hides repo documents only: an admin-added document with the same id replaces the repo one.
    """
    documents: dict[str, Document] = {}
    named = [(f"knowledge/documents/{name}", text) for name, text in sorted(sources.repo.items())]
    named += [(f"added/{doc_id}.md", text) for doc_id, text in sorted(sources.added.items())]
    for origin, text in named:
        doc = parse_markdown(text, origin)
        if doc.id in sources.removed and origin.startswith("knowledge/documents/"):
            continue
        if doc.id in documents:
            raise KnowledgeError(f"{origin}: duplicate id {doc.id!r} (also in {documents[doc.id].path})")
        documents[doc.id] = doc
    return list(documents.values())


def index_entries(chunks: list[Chunk]) -> tuple[list[int], list[str], list[bool]]:
    """The texts that are embedded and matched: one per chunk, two for a Latin-Darija FAQ line.

    Returns, per entry: chunk row, normalised text, whether it is embedded as a query (FAQ lines are
    questions, so they are compared to questions symmetrically).
    """
    rows, texts, as_query = [], [], []
    for chunk in chunks:
        variants = forms(chunk.context) if chunk.is_faq else [index_form(chunk.context)]
        for text in variants:
            rows.append(chunk.row)
            texts.append(text)
            as_query.append(chunk.is_faq)
    return rows, texts, as_query


def embed_cached(embedder: Embedder, texts: list[str], as_query: list[bool], cache: store.EmbeddingCache) -> np.ndarray:
    """Vectors for `texts`, computing only those not already in the cache."""
    keys = [store.text_key(embedder.name, "q" if q else "p", text) for text, q in zip(texts, as_query)]
    known = cache.get(keys, embedder.dim)
    fresh: dict[str, np.ndarray] = {}
    for kind in (True, False):
        todo = sorted(
            {key: text for key, text, q in zip(keys, texts, as_query) if q is kind and key not in known}.items()
        )
        for start in range(0, len(todo), 64):
            batch = todo[start : start + 64]
            embed = embedder.embed_queries if kind else embedder.embed_passages
            vectors = embed([text for _, text in batch])
            fresh.update({key: vector for (key, _), vector in zip(batch, vectors)})
    if fresh:
        cache.put(fresh)
    log.info("embeddings", extra={"cached": len(keys) - len(fresh), "computed": len(fresh)})
    vectors = np.stack([known.get(key, fresh.get(key)) for key in keys]) if keys else np.zeros((0, embedder.dim))
    return np.ascontiguousarray(vectors, dtype=np.float32)


def make_index(vectors: np.ndarray, dim: int) -> faiss.Index:
    """Exact inner product (cosine on normalised rows); HNSW for large corpora."""
    inner = (
        faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        if len(vectors) >= HNSW_FROM
        else faiss.IndexFlatIP(dim)
    )
    index = faiss.IndexIDMap2(inner)
    if len(vectors):
        index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    return index


def build_version(root: Path, sources: Sources, verify: Verifier, embedder: Embedder | None = None) -> str:
    """Write a complete new version from `sources` and make it the serving one; returns its name.

    `verify` (`knowledge.verify.verify_version`) is given by the caller rather than imported: it searches
    the version, and the search code is no part of what an index is made with (`index_code`)."""
    started = time.monotonic()
    embedder = embedder or get_embedder()
    documents = parse_all(sources)
    chunks: list[Chunk] = []
    for doc in documents:
        chunks.extend(chunk_document(doc, len(chunks)))
    rows, texts, as_query = index_entries(chunks)
    try:
        vectors, background_vectors = _embed_all(root, embedder, texts, as_query)
        staging = store.staging_dir(root)
        _write_version(staging, sources, documents, chunks, rows, texts, vectors, background_vectors, embedder, started)
        verify(root, staging.name, embedder)
        name = store.next_version(root)
        staging.rename(root / name)
        pause = settings.get().kb_pause_before_switch
        if pause:
            time.sleep(pause)
        store.switch(root, name)
    except (OSError, sqlite3.Error) as error:
        raise KnowledgeError(
            f"cannot write the new version under {root} ({_reason(error)}); still serving {_abandon(root)}"
        ) from None
    except KnowledgeError as error:
        raise KnowledgeError(f"new version refused: {error}; still serving {_abandon(root)}") from None
    with suppress(OSError):  # serving already; the next admin command marks it if this fails
        store.mark_published(root, name)
    store.prune(root)
    log.info("index version built", extra={"version": name, "documents": len(documents), "chunks": len(chunks)})
    return name


def _write_version(
    staging: Path,
    sources: Sources,
    documents: list[Document],
    chunks: list[Chunk],
    rows: list[int],
    texts: list[str],
    vectors: np.ndarray,
    background_vectors: np.ndarray,
    embedder: Embedder,
    started: float,
) -> None:
    """Every file of a version, then its manifest with their checksums (checked before it is served)."""
    faiss.write_index(make_index(vectors, embedder.dim), str(staging / "index.faiss"))
    np.save(staging / "background.npy", background_vectors)
    LexicalIndex.build(texts).save(staging / "lexical")  # loading it beats rebuilding it (knowledge.lexical)
    store.write_json(
        staging / "catalogue.json",
        {
            "documents": [doc.to_dict() for doc in documents],
            "chunks": [chunk.to_dict() for chunk in chunks],
            "entries": [[row, text] for row, text in zip(rows, texts)],
        },
    )
    (staging / "documents").mkdir()
    for doc_id, text in sources.added.items():
        (staging / "documents" / f"{doc_id}.md").write_text(text, encoding="utf-8")
    store.write_json(staging / "removed.json", sorted(sources.removed))
    store.write_json(
        staging / store.MANIFEST,
        {
            "digest": sources.digest,
            "embedder": embedder.name,
            "dim": embedder.dim,
            "documents": len(documents),
            "chunks": len(chunks),
            "vectors": len(vectors),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": round(time.monotonic() - started, 2),
            store.CHECKSUMS: store.checksums(staging),
        },
    )


def _embed_all(root: Path, embedder: Embedder, texts: list[str], as_query: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of the entries and of the background questions, through the cache of `root`."""
    background = [form for sentence in BACKGROUND for form in forms(sentence)]
    root.mkdir(parents=True, exist_ok=True)
    cache = store.EmbeddingCache(root / "cache" / "embeddings.sqlite")
    try:
        return (
            embed_cached(embedder, texts, as_query, cache),
            embed_cached(embedder, background, [True] * len(background), cache),
        )
    finally:
        cache.close()


def _abandon(root: Path) -> str | None:
    """Drop what a failed publish wrote (we hold the admin lock); returns the version still serving."""
    with suppress(OSError, KnowledgeError):
        store.clean_staging(root)
    return store.current_version(root)


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error).splitlines()[0]


def serving_sources(root: Path) -> Sources:
    """The sources of the serving version as they are now: the repo's documents, its added ones, its removals."""
    name = store.current_version(root)
    added: dict[str, str] = {}
    removed: list[str] = []
    if name:
        version = root / name
        added = {path.stem: path.read_text(encoding="utf-8") for path in sorted((version / "documents").glob("*.md"))}
        removed = store.read_json(version / "removed.json")
        if not isinstance(removed, list):
            raise KnowledgeError(f"{version / 'removed.json'}: damaged (not a list of ids); roll back or rebuild")
    return Sources(repo_sources(), added, removed)
