"""Fitted scikit-learn tf-idf vectorisers and logistic regressions applied to one text at a time, with the
arithmetic of scikit-learn and without its per-call overhead (issue 13).

Rasa's NLU thread parses one message at a time, and for one short text scikit-learn's general path costs
more than the arithmetic: `LogisticRegression.decision_function` multiplies a sparse row by `coef_.T`, which
scipy copies to a C-contiguous array on every call (the intent model's 28 x 34,990 doubles: 7.8 MB, 3 ms);
`TfidfTransformer.transform` checks it is fitted by summing its sparse idf diagonal (`idf_`, a property in
scikit-learn 1.1) and multiplies by that diagonal as a sparse matrix; every step validates and converts its
input again. Here the transposed coefficients and the idf weights are taken once, and a text costs what
its own features cost: the vectoriser's own analyzer and vocabulary, sublinear tf, idf, the l2 norm, then
the coefficient rows of the features it has. The values are scikit-learn's up to the order of floating-point
sums (about 1e-16); the tests compare both paths on every training example (tests/rasa_env for the intents,
tests/nlu for the language model).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from scipy.special import expit

__all__ = ["LinearModel", "SparseRow", "TfidfFeatures"]

SparseRow = tuple[np.ndarray, np.ndarray]  # (feature columns, values) of one text
_EMPTY: SparseRow = (np.empty(0, np.intp), np.empty(0, np.float64))


class TfidfFeatures:
    """Fitted TfidfVectorizers side by side (scipy `hstack` of their transforms) as `transform` computes
    them (counts of the vectoriser's own analyzer over its vocabulary, sublinear tf, idf, each part scaled
    to unit length), for a single text, in one pass of NumPy over all parts."""

    def __init__(self, vectorisers: list[Any]) -> None:
        if any(v.norm != "l2" or not v.use_idf or not v.sublinear_tf for v in vectorisers):
            raise ValueError("only l2-normalised sublinear tf-idf is supported")
        self._parts: list[tuple[Any, dict[str, int], int]] = []
        offset = 0
        for vectoriser in vectorisers:
            # a vectoriser rebuilt from a saved vocabulary has no `vocabulary_` until its first transform
            fitted = getattr(vectoriser, "vocabulary_", None)
            vocabulary = {t: c + offset for t, c in (vectoriser.vocabulary if fitted is None else fitted).items()}
            self._parts.append((vectoriser.build_analyzer(), vocabulary, offset))
            offset += len(vectoriser.idf_)
        self._idf = np.concatenate([np.asarray(v.idf_, dtype=np.float64) for v in vectorisers])
        self.size = offset

    def row(self, text: str) -> SparseRow:
        columns: list[int] = []
        counts: list[int] = []
        parts: list[int] = []
        for part, (analyse, vocabulary, _) in enumerate(self._parts):
            for term, n in Counter(analyse(text)).items():
                column = vocabulary.get(term)
                if column is not None:
                    columns.append(column)
                    counts.append(n)
                    parts.append(part)
        if not columns:
            return _EMPTY
        found = np.array(columns, dtype=np.intp)
        values = (np.log(np.array(counts, dtype=np.float64)) + 1) * self._idf[found]
        which = np.array(parts, dtype=np.intp)
        norms = np.sqrt(np.bincount(which, weights=values * values, minlength=len(self._parts)))
        return found, values / norms[which]


class LinearModel:
    """A fitted LogisticRegression over [sparse features, dense features]: its decision function and the
    probabilities `predict_proba` gives (softmax when multinomial, the logistic when binary)."""

    def __init__(self, classifier: Any) -> None:
        # scikit-learn's rule for `multi_class="auto"` (the default, and in 1.8+ the only behaviour)
        if getattr(classifier, "multi_class", "auto") != "auto" or classifier.solver == "liblinear":
            raise ValueError("only multi_class='auto' without liblinear is supported")
        self._weights = np.ascontiguousarray(classifier.coef_.T, dtype=np.float64)  # features x outputs
        self._intercept = np.array(classifier.intercept_, dtype=np.float64)
        self._classes = len(classifier.classes_)

    def decision(self, sparse: SparseRow, dense: np.ndarray) -> np.ndarray:
        """Scores per output; `dense` holds the last len(dense) features (may be empty)."""
        columns, values = sparse
        dense = np.asarray(dense, dtype=np.float64)
        scores = values @ self._weights[columns]
        if len(dense):
            scores = scores + dense @ self._weights[len(self._weights) - len(dense) :]
        return scores + self._intercept

    def probabilities(self, sparse: SparseRow, dense: np.ndarray) -> np.ndarray:
        """One probability per class, in the order of `classes_`."""
        decision = self.decision(sparse, dense)
        if self._classes == 2:
            positive = expit(decision[0])
            return np.array([1 - positive, positive])
        exp = np.exp(decision - decision.max())
        return exp / exp.sum()
