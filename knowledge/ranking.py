"""Pure ranking steps: reciprocal-rank fusion, FAQ lines handing over to real passages, language preference.

Kept apart from I/O so each rule can be read (and changed) on its own.
"""
from __future__ import annotations

from dataclasses import dataclass

RRF_K = 60
PREFERRED_DOC_LANG = {"ar": "ar", "ary": "ar", "ary_Latn": "ar", "fr": "fr", "en": "en"}
FALLBACK_DOC_LANG = {"en": "fr"}


@dataclass
class Candidate:
    """A passage competing for the answer: fused score and the best dense similarity behind it."""

    row: int
    fused: float
    dense: float


def rrf(rankings: list[tuple[list[int], float]]) -> dict[int, float]:
    """Reciprocal-rank fusion of (ranking, weight) pairs: row -> sum of weight / (RRF_K + rank)."""
    fused: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank)
    return fused


def max_fused(weights: list[float]) -> float:
    """The fused score of a row ranked first everywhere (to report scores in 0..1)."""
    return sum(weight / (RRF_K + 1) for weight in weights)


def hand_over_faq(candidates: dict[int, Candidate], faq_rows: set[int], doc_of: dict[int, str],
                  lead_of: dict[str, int]) -> dict[int, Candidate]:
    """FAQ lines are never answers: each gives its score to the best real passage of its document.

    The receiving passage is the document's best-scored non-FAQ candidate, else its lead passage. It keeps
    the higher of the two scores, so a FAQ match lifts the document without outranking a better passage.
    """
    passages = {row: cand for row, cand in candidates.items() if row not in faq_rows}
    best_in_doc: dict[str, int] = {}
    for row, cand in passages.items():
        doc = doc_of[row]
        if doc not in best_in_doc or cand.fused > passages[best_in_doc[doc]].fused:
            best_in_doc[doc] = row
    for row in faq_rows & candidates.keys():
        faq = candidates[row]
        target = best_in_doc.get(doc_of[row], lead_of.get(doc_of[row]))
        if target is None:
            continue
        current = passages.get(target)
        if current is None:
            passages[target] = Candidate(target, faq.fused, faq.dense)
            best_in_doc[doc_of[row]] = target
        else:
            current.fused = max(current.fused, faq.fused)
            current.dense = max(current.dense, faq.dense)
    return passages


def preferred_langs(query_lang: str) -> list[str]:
    first = PREFERRED_DOC_LANG.get(query_lang, "fr")
    return [first] + ([FALLBACK_DOC_LANG[first]] if first in FALLBACK_DOC_LANG else [])
