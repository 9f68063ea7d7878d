"""Lexical scoring: BM25 (bm25s) over words and over character n-grams of the normalised passages.

Dense embeddings blur exact names ("CNIE", "rokhas", "3737", "STMC"); words and n-grams keep them. The two
BM25 rankings are fused with the dense one by reciprocal rank (see `knowledge.ranking`). bm25s scores any
token lists, so the n-grams (ours, `textprep.char_grams`) are simply a second bm25s index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import bm25s
import numpy as np

from knowledge.textprep import char_grams, content_words, tokens

WORD_MAX_SHARE = 0.05  # IDF floor of the word ranking (share of rows); n-grams keep every term
FLOOR_MIN_ROWS = 10
K1, B = 1.2, 0.75  # Okapi BM25 with Lucene's IDF (bm25s "lucene"), as measured before bm25s
PARTS = ("words", "grams")  # sub-folders of a version's `lexical/` folder, one bm25s index each
log = logging.getLogger(__name__)


class Scorer(Protocol):
    """A BM25 over pre-tokenised rows (`BM25` here; the benchmark passes its pre-bm25s baseline)."""

    def scores(self, query: list[str]) -> dict[int, float]: ...


class BM25:
    """bm25s over pre-tokenised rows; query terms found in more than `max_share` of the rows weigh 0.

    bm25s keeps idf x saturated tf in one sparse matrix, so a query costs a few column reads. The build
    saves it in the version folder (`save`, numpy arrays and JSON, no pickle): loading it takes about 45 ms
    for the 1k rows of the real corpus, rebuilding it from the texts 0.25 to 1 s depending on the machine's
    load (`make bench ARGS='--only retrieval'`), and searches wait for that at every index switch.
    """

    def __init__(self, rows: list[list[str]] | None, max_share: float = 1.0, saved: bm25s.BM25 | None = None) -> None:
        self._bm25 = saved
        if saved is None and rows and any(rows):
            self._bm25 = bm25s.BM25(k1=K1, b=B, method="lucene", csc_backend="scipy")
            self._bm25.index(rows, create_empty_token=False, show_progress=False)
        self._ids: dict[str, int] = {}
        if self._bm25 is not None:
            frequency = np.diff(self._bm25.scores["indptr"])
            # IDF floor: a term found in more than `max_share` of the rows says nothing about which row is
            # meant (not below FLOOR_MIN_ROWS rows: in a handful of rows every word is in a large share of them)
            limit = max(max_share * self.rows, FLOOR_MIN_ROWS)
            self._ids = {term: col for term, col in self._bm25.vocab_dict.items() if frequency[col] <= limit}

    @classmethod
    def load(cls, folder: Path, max_share: float = 1.0) -> BM25:
        return cls(None, max_share, saved=bm25s.BM25.load(folder, show_progress=False))

    def save(self, folder: Path) -> None:
        if self._bm25 is not None:
            self._bm25.save(folder, show_progress=False)

    @property
    def rows(self) -> int:
        return int(self._bm25.scores["num_docs"]) if self._bm25 is not None else 0

    def scores(self, query: list[str]) -> dict[int, float]:
        """Row -> BM25 score, for rows sharing at least one (unfloored) term with `query`; each term once."""
        columns = sorted({self._ids[term] for term in query if term in self._ids})
        if not columns or self._bm25 is None:
            return {}
        scores = self._bm25.get_scores_from_ids(columns)
        rows = np.flatnonzero(scores)
        return dict(zip(rows.tolist(), scores[rows].tolist()))


class LexicalIndex:
    """Word BM25 and character n-gram BM25 over the same normalised rows.

    The query's function words (`textprep.STOP_WORDS`) are dropped, and words found in more than
    WORD_MAX_SHARE of the rows count for nothing ("forum", "berkane", "l multaqa" are on every forum FAQ line):
    both measured on half A of the retrieval sets (`python -m knowledge.evaluate tests/data/retrieval --half A`),
    and again with bm25s: hybrid recall@1 on half A/B is .902/.891, .871/.842 without the stop words and
    .902/.881 (recall@5 .970/.970 instead of .977/.980) without the floor.
    """

    def __init__(self, words: Scorer, grams: Scorer) -> None:
        self.words, self.grams = words, grams

    @classmethod
    def build(cls, texts: list[str], scorer: Callable[..., Scorer] = BM25) -> LexicalIndex:
        """Both rankings of `texts` (index form); `scorer(rows, max_share=...)` makes one ranking."""
        words = [tokens(text) for text in texts]
        return cls(scorer(words, max_share=WORD_MAX_SHARE), scorer([char_grams(row) for row in words]))

    @classmethod
    def load(cls, folder: Path, texts: list[str]) -> LexicalIndex:
        """The index `save` wrote in `folder`; built from `texts` when it is missing (a version built before
        the index was saved, or an empty one) or was not built from as many rows."""
        if all((folder / part).is_dir() for part in PARTS):
            words, grams = BM25.load(folder / "words", max_share=WORD_MAX_SHARE), BM25.load(folder / "grams")
            if words.rows == grams.rows == len(texts):
                return cls(words, grams)
            log.warning("lexical index does not match the catalogue, rebuilt", extra={"folder": str(folder)})
        return cls.build(texts)

    def save(self, folder: Path) -> None:
        """Write both bm25s indexes under `folder` (at build time, in the version being built)."""
        for part, scorer in zip(PARTS, (self.words, self.grams)):
            if isinstance(scorer, BM25):
                scorer.save(folder / part)

    def rank(self, query_forms: list[str], limit: int) -> tuple[list[int], list[int], dict[int, float]]:
        """Rows ranked by words and by n-grams (best first), and each row's word-BM25 score (best form)."""
        word_scores: dict[int, float] = {}
        gram_scores: dict[int, float] = {}
        for form in query_forms:
            query_words = content_words(tokens(form))
            for row, score in self.words.scores(query_words).items():
                word_scores[row] = max(score, word_scores.get(row, 0.0))
            for row, score in self.grams.scores(char_grams(query_words)).items():
                gram_scores[row] = max(score, gram_scores.get(row, 0.0))
        by_words = sorted(word_scores, key=word_scores.__getitem__, reverse=True)[:limit]
        by_grams = sorted(gram_scores, key=gram_scores.__getitem__, reverse=True)[:limit]
        return by_words, by_grams, word_scores
