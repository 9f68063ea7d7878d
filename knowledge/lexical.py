"""Lexical scoring: BM25 over words and over character n-grams of the normalised passages.

Dense embeddings blur exact names ("CNIE", "rokhas", "3737", "STMC"); words and n-grams keep them. The two
BM25 rankings are fused with the dense one by reciprocal rank (see `knowledge.ranking`).
"""
from __future__ import annotations

import math
from collections import Counter

from knowledge.textprep import char_grams, tokens


class BM25:
    """Okapi BM25 over pre-tokenised rows (a few thousand rows: plain dictionaries are fast enough)."""

    def __init__(self, rows: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.counts = [Counter(row) for row in rows]
        self.lengths = [len(row) for row in rows]
        self.average = (sum(self.lengths) / len(rows)) if rows else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        total = len(rows)
        self.idf = {term: math.log(1 + (total - n + 0.5) / (n + 0.5)) for term, n in frequency.items()}
        self.postings: dict[str, list[int]] = {}
        for row, counts in enumerate(self.counts):
            for term in counts:
                self.postings.setdefault(term, []).append(row)

    def scores(self, query: list[str]) -> dict[int, float]:
        """Row -> BM25 score, for rows sharing at least one term with `query`."""
        result: dict[int, float] = {}
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for row in self.postings[term]:
                tf = self.counts[row][term]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[row] / (self.average or 1))
                result[row] = result.get(row, 0.0) + idf * tf * (self.k1 + 1) / (tf + norm)
        return result


class LexicalIndex:
    """Word BM25 and character n-gram BM25 over the same normalised rows."""

    def __init__(self, texts: list[str]) -> None:
        words = [tokens(text) for text in texts]
        self.words = BM25(words)
        self.grams = BM25([char_grams(row) for row in words])

    def rank(self, query_forms: list[str], limit: int) -> tuple[list[int], list[int], dict[int, float]]:
        """Rows ranked by words and by n-grams (best first), and each row's word-BM25 score (best form)."""
        word_scores: dict[int, float] = {}
        gram_scores: dict[int, float] = {}
        for form in query_forms:
            query_words = tokens(form)
            for row, score in self.words.scores(query_words).items():
                word_scores[row] = max(score, word_scores.get(row, 0.0))
            for row, score in self.grams.scores(char_grams(query_words)).items():
                gram_scores[row] = max(score, gram_scores.get(row, 0.0))
        by_words = sorted(word_scores, key=word_scores.__getitem__, reverse=True)[:limit]
        by_grams = sorted(gram_scores, key=gram_scores.__getitem__, reverse=True)[:limit]
        return by_words, by_grams, word_scores
