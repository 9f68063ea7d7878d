"""The word and n-gram BM25 we wrote before bm25s, kept only as the retrieval section's baseline.

Same formula as `knowledge.lexical.BM25` (Okapi, k1 1.2, b 0.75, Lucene's IDF, IDF floor), one scipy sparse
matrix built at every load; `knowledge.lexical.LexicalIndex.build(texts, scorer=SparseBM25)` puts it in
place of bm25s so both run side by side on the same index version.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csc_matrix

from knowledge.lexical import FLOOR_MIN_ROWS, K1, B


class SparseBM25:
    """Okapi BM25 over pre-tokenised rows, as one sparse matrix; terms in more than `max_share` of the rows weigh 0."""

    def __init__(self, rows: list[list[str]], max_share: float = 1.0) -> None:
        counts = [Counter(row) for row in rows]
        lengths = np.array([len(row) for row in rows], dtype=np.float32)
        average = float(lengths.mean()) if rows else 0.0
        self.columns: dict[str, int] = {}
        data: list[float] = []
        row_ids: list[int] = []
        col_ids: list[int] = []
        for row, row_counts in enumerate(counts):
            norm = K1 * (1 - B + B * lengths[row] / (average or 1))
            for term, tf in row_counts.items():
                col_ids.append(self.columns.setdefault(term, len(self.columns)))
                row_ids.append(row)
                data.append(tf * (K1 + 1) / (tf + norm))
        shape = (len(rows), len(self.columns))
        self.weights = csc_matrix((np.array(data, dtype=np.float32), (row_ids, col_ids)), shape=shape)
        frequency = np.diff(self.weights.indptr).astype(np.float32)
        total = len(rows)
        self.idf = np.log(1 + (total - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        self.idf[frequency > max(max_share * total, FLOOR_MIN_ROWS)] = 0.0

    def scores(self, query: list[str]) -> dict[int, float]:
        """Row -> BM25 score, for rows sharing at least one term with `query`."""
        columns = sorted({self.columns[term] for term in query if term in self.columns})
        if not columns:
            return {}
        scores = self.weights[:, columns] @ self.idf[columns]
        rows = np.flatnonzero(scores)
        return dict(zip(rows.tolist(), scores[rows].tolist()))
