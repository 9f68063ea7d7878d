"""Lexical scoring: BM25 over words and over character n-grams of the normalised passages.

Dense embeddings blur exact names ("CNIE", "rokhas", "3737", "STMC"); words and n-grams keep them. The two
BM25 rankings are fused with the dense one by reciprocal rank (see `knowledge.ranking`).
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csc_matrix

from knowledge.textprep import char_grams, content_words, tokens

WORD_MAX_SHARE = 0.05           # IDF floor of the word ranking (share of rows); n-grams keep every term
FLOOR_MIN_ROWS = 10


class BM25:
    """Okapi BM25 over pre-tokenised rows, as one sparse matrix; terms in more than `max_share` of the rows weigh 0.

    The document side of BM25 (term frequency saturation and length normalisation) is computed once at
    load, so a query is a column slice and a dot product: about 0.1 ms instead of 3 ms with dictionaries,
    which matters because every message runs four of these.
    """

    def __init__(self, rows: list[list[str]], k1: float = 1.2, b: float = 0.75, max_share: float = 1.0) -> None:
        counts = [Counter(row) for row in rows]
        lengths = np.array([len(row) for row in rows], dtype=np.float32)
        average = float(lengths.mean()) if rows else 0.0
        self.columns: dict[str, int] = {}
        data: list[float] = []
        row_ids: list[int] = []
        col_ids: list[int] = []
        for row, row_counts in enumerate(counts):
            norm = k1 * (1 - b + b * lengths[row] / (average or 1))
            for term, tf in row_counts.items():
                col_ids.append(self.columns.setdefault(term, len(self.columns)))
                row_ids.append(row)
                data.append(tf * (k1 + 1) / (tf + norm))
        shape = (len(rows), len(self.columns))
        self.weights = csc_matrix((np.array(data, dtype=np.float32), (row_ids, col_ids)), shape=shape)
        frequency = np.diff(self.weights.indptr).astype(np.float32)
        total = len(rows)
        self.idf = np.log(1 + (total - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        # IDF floor: a term found in more than `max_share` of the rows says nothing about which row is meant
        # (not below FLOOR_MIN_ROWS rows: in a handful of rows every word is in a large share of them)
        self.idf[frequency > max(max_share * total, FLOOR_MIN_ROWS)] = 0.0

    def scores(self, query: list[str]) -> dict[int, float]:
        """Row -> BM25 score, for rows sharing at least one term with `query`."""
        columns = sorted({self.columns[term] for term in query if term in self.columns})
        if not columns:
            return {}
        scores = self.weights[:, columns] @ self.idf[columns]
        rows = np.flatnonzero(scores)
        return dict(zip(rows.tolist(), scores[rows].tolist()))


class LexicalIndex:
    """Word BM25 and character n-gram BM25 over the same normalised rows.

    The query's function words (`textprep.STOP_WORDS`) are dropped, and words found in more than
    WORD_MAX_SHARE of the rows count for nothing ("forum", "berkane", "l multaqa" are on every forum FAQ line):
    both measured on half A of tests/data/retrieval (`python -m knowledge.evaluate --half A`).
    """

    def __init__(self, texts: list[str]) -> None:
        words = [tokens(text) for text in texts]
        self.words = BM25(words, max_share=WORD_MAX_SHARE)
        self.grams = BM25([char_grams(row) for row in words])

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
