"""Whether an index version may become the serving one: publish (build) and rollback both ask here first.

A version that cannot serve must be refused before CURRENT names it: once named, every action server
would try to load it. Verified: the files match the checksums recorded in its manifest at build time, the
catalogue, FAISS index, background vectors and lexical index load, and a probe query (the title of its first
document, within that document's topic) finds a passage.
"""

from __future__ import annotations

from pathlib import Path

from knowledge import store
from knowledge.embeddings import Embedder
from knowledge.errors import KnowledgeError
from knowledge.search import KnowledgeBase


def verify_version(root: Path, directory: str, embedder: Embedder | None = None) -> None:
    """Raise a one-line KnowledgeError when version `directory` (under `root`) cannot serve."""
    path = root / directory
    store.check_files(path, store.read_json(path / store.MANIFEST))
    kb = KnowledgeBase.of_version(root, directory, embedder)
    documents = kb.documents()
    if not documents:
        return  # an empty index answers nothing, rightly: there is nothing to probe
    probe = documents[0]
    if not kb.search(probe.title, lang=probe.lang, k=1, topic=probe.topic):
        raise KnowledgeError(f"{directory}: the probe query {probe.title!r} finds nothing (index unusable)")
