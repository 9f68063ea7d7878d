"""`KnowledgeBase`: the serving index version, searched by meaning and by words, reloaded when it changes.

A search ranks passages three ways (dense cosine, word BM25, character n-gram BM25), fuses the rankings,
hands FAQ-line matches over to real passages, lets the versions of one topic in other languages support
each other, prefers the citizen's language, and refuses (returns []) when the best dense similarity says
the question is not about anything in the documents and it names no public service.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

import settings
from knowledge import store
from knowledge.chunking import Chunk, lead_section
from knowledge.documents import Document
from knowledge.embeddings import Embedder, get_embedder, require_embedder
from knowledge.errors import KnowledgeError
from knowledge.lexical import LexicalIndex
from knowledge.ranking import TWIN_SUPPORT, Candidate, hand_over_faq, max_fused, rrf, support_twins
from knowledge.schedule import ProgrammeItem, programme
from knowledge.textprep import tokens
from nlu.langid import identify
from nlu.languages import document_languages
from nlu.lexicon import named_services
from nlu.query import QueryVector, search_forms

log = logging.getLogger(__name__)
RELOAD_CHECK_SECONDS = 1.0
# One message searches the same words more than once (an open search, then one within the intent's topic;
# the router may ask again): the e5 forward, ~65% of the action server's CPU, is done once per distinct
# query form (BERKANE_FAST_PATH step `queries`). A few entries are enough for that, and small enough that
# repeated questions of different citizens are not what the cache is for. Under the same step it is not
# done at all when the NLU's vector of that very form comes with the question (`nlu.query.QueryVector`).
RECENT_QUERIES = 8
POOL = 64  # candidates taken from each ranking
DENSE_POOL = 1024  # vectors read from FAISS (FAQ lines crowd the top: read deep, keep POOL)
MAX_PER_DOC = 2  # passages of one document in a result list
MODES = ("hybrid", "dense", "lexical")
WEIGHTS = {"dense": 1.0, "words": 0.7, "grams": 0.5}
# Refusal rule (calibrated on the real corpus with tests/data/retrieval/*.yml and
# tests/knowledge/data/off_topic.yml, see `python -m knowledge.evaluate`): a question is answered when its
# best similarity to the documents beats its best similarity to generic chit-chat (knowledge.background) by
# MARGIN_HIGH, or by MARGIN_LOW with rare corpus words in common (CONTENT_IDF, sum of their log N/df), or
# by MARGIN_NAMED when it names a public service or paper of the NLU lexicons (`nlu.lexicon.named_services`): short
# questions such as "TVA" or "numero 3737" are as close to chit-chat as to anything, yet name the service
# (half A: recall@5 0.93 -> 0.96, every off-topic question still refused; it relies on the lexicons keeping
# their variants specific, as nlu/lexicon/service.yml asks).
MARGIN_HIGH = 0.04
MARGIN_LOW = 0.0125
MARGIN_NAMED = 0.0
CONTENT_IDF = 8.0
RARE_SHARE = 0.1  # a word in at most this share of the documents is a "rare" (content) word


@dataclass
class Signals:
    """What the refusal rule looks at for one question."""

    dense: float = 0.0  # best cosine to a passage or FAQ line
    background: float = 0.0  # best cosine to a generic chit-chat question
    content_idf: float = 0.0  # sum of log(N/df) over rare corpus words of the question
    named: bool = False  # names a service or paper of the lexicons (nlu/lexicon/*.yml)

    @property
    def margin(self) -> float:
        return self.dense - self.background


@dataclass
class Hit:
    """One passage to answer with, and where it comes from."""

    doc_id: str
    chunk_id: str
    title: str
    text: str
    lang: str
    source: list[str]
    url: str | None
    section: str
    topic: str
    service: str | None
    provisional: bool
    score: float
    office: str | None


LexicalLoader = Callable[[Path, list[str]], LexicalIndex]  # (version's lexical folder, entry texts)


class LoadedVersion:
    """One index version in memory: documents, passages, vectors and the lexical index."""

    def __init__(self, root: Path, name: str, lexical: LexicalLoader = LexicalIndex.load) -> None:
        path = root / name
        catalogue = store.read_json(path / "catalogue.json")
        self.name = name
        self.manifest = store.read_json(path / "manifest.json")
        self.documents = {d["id"]: Document.from_dict(d) for d in catalogue["documents"]}
        self.chunks = [Chunk(**c) for c in catalogue["chunks"]]
        self.entry_rows = [row for row, _ in catalogue["entries"]]
        # One query at a time over a few thousand vectors: OpenMP threads cost far more than they save
        # (5 ms with two threads against 0.03 ms with one at 1k vectors). Set when an index is served, not
        # on import, so code that only imports the package (the benchmark) keeps its own setting.
        faiss.omp_set_num_threads(1)
        self.index = faiss.read_index(str(path / "index.faiss"))
        self.lexical = lexical(path / "lexical", [text for _, text in catalogue["entries"]])
        background = path / "background.npy"
        self.background = np.load(background) if background.exists() else np.zeros((0, self.index.d), np.float32)
        self.rare_idf = _rare_word_idf(catalogue["entries"], [c.doc_id for c in self.chunks])
        self.doc_of = {chunk.row: chunk.doc_id for chunk in self.chunks}
        self.topic_of = {doc.id: doc.topic for doc in self.documents.values()}
        self.faq_rows = {chunk.row for chunk in self.chunks if chunk.is_faq}
        self.section_rows: dict[tuple[str, str], int] = {}
        for chunk in self.chunks:
            self.section_rows.setdefault((chunk.doc_id, chunk.section), chunk.row)
        self.lead_of = {
            doc.id: self.section_rows[(doc.id, lead_section(doc))]
            for doc in self.documents.values()
            if (doc.id, lead_section(doc)) in self.section_rows
        }


def load_version(
    root: Path, name: str, embedder: Embedder | None, lexical: LexicalLoader = LexicalIndex.load
) -> LoadedVersion:
    """Version `name` in memory, or a one-line KnowledgeError saying why it cannot serve.

    Its files must match the checksums of its manifest (when it records them); then any failure to read
    them (a FAISS, NumPy, bm25s or JSON error of whatever type) means the same thing to the admin."""
    path = root / name
    manifest = store.read_json(path / store.MANIFEST)
    require_embedder(manifest, name, embedder)
    store.check_files(path, manifest, required=False)
    try:
        return LoadedVersion(root, name, lexical)
    except KnowledgeError:
        raise
    except Exception as error:
        reason = (str(error).strip().splitlines() or [""])[0][:160]
        raise KnowledgeError(f"index {name} cannot be loaded ({type(error).__name__}: {reason})") from None


def _rare_word_idf(entries: list[list], chunk_docs: list[str]) -> dict[str, float]:
    """log(N/df) of the words found in few documents (N documents, df documents containing the word)."""
    words_of: dict[str, set[str]] = {}
    for row, text in entries:
        words_of.setdefault(chunk_docs[row], set()).update(word for word in tokens(text) if len(word) > 1)
    total = len(words_of)
    frequency: dict[str, int] = {}
    for words in words_of.values():
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    limit = max(1.0, RARE_SHARE * total)
    return {word: math.log(total / df) for word, df in frequency.items() if df <= limit}


class KnowledgeBase:
    """The knowledge index as actions, bot and CLI use it (docs/architecture.md "Knowledge Python API")."""

    def __init__(
        self, root: Path, embedder: Embedder | None = None, lexical: LexicalLoader = LexicalIndex.load
    ) -> None:
        self.root = root
        self._embedder = embedder
        self._lexical = lexical
        self._version: LoadedVersion | None = None
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._problem: str | None = None
        self._pinned = False
        self._recent: dict[str, np.ndarray] = {}  # query form -> its e5 row, newest last (RECENT_QUERIES)
        self._recent_lock = threading.Lock()

    @classmethod
    def open(
        cls, root: Path | None = None, embedder: Embedder | None = None, lexical: LexicalLoader = LexicalIndex.load
    ) -> KnowledgeBase:
        """The serving version under `root` (default `var/kb`); it is re-read when `CURRENT` changes.

        `lexical` makes a version's lexical index (the benchmark passes its pre-bm25s baseline to compare)."""
        kb = cls(root or store.kb_root(), embedder, lexical)
        kb._refresh(force=True)
        return kb

    @classmethod
    def of_version(cls, root: Path, name: str, embedder: Embedder | None = None) -> KnowledgeBase:
        """Version `name` alone, whatever `CURRENT` says (to verify a version before it is served)."""
        kb = cls(root, embedder)
        kb._version = load_version(root, name, embedder, kb._lexical)
        kb._pinned = True
        return kb

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    @property
    def version(self) -> str | None:
        self._refresh()
        return self._version.name if self._version else None

    def _refresh(self, force: bool = False) -> LoadedVersion | None:
        """Reload when `CURRENT` was replaced; looks at its stat at most once per second (cheap).

        A version that cannot be loaded (missing, damaged, other embedder) is an error when opening; later
        the last good version keeps serving and the log says so once (`_report`), not per question."""
        now = time.monotonic()
        if self._pinned or (not force and now - self._checked < RELOAD_CHECK_SECONDS):
            return self._version
        with self._lock:
            self._checked = now
            try:
                info = os.stat(store.current_file(self.root))
                stamp = (info.st_ino, info.st_mtime_ns)
            except OSError:
                stamp = None
            if stamp == self._stamp and not force:
                return self._version
            self._stamp = stamp
            name = store.current_version(self.root)
            if name is None:
                self._report(f"no index version under {self.root} (build one with `make index`)")
            elif self._version is None or self._version.name != name:
                try:
                    self._version = load_version(self.root, name, self._embedder, self._lexical)
                except KnowledgeError as error:
                    if self._version is None:
                        raise
                    self._report(str(error))
                else:
                    self._problem = None
                    log.info("knowledge version loaded", extra={"version": name})
            else:
                self._report(None)
        return self._version

    def _report(self, problem: str | None) -> None:
        """Log a problem with the index once (and once when it is over), whatever the number of questions."""
        if problem == self._problem:
            return
        serving = self._version.name if self._version else None
        if problem:
            log.error("knowledge index unusable", extra={"problem": problem, "still_serving": serving})
        else:
            log.info("knowledge index usable again", extra={"version": serving})
        self._problem = problem

    # ----- documents -----
    def document(self, doc_id: str) -> Document | None:
        version = self._refresh()
        return version.documents.get(doc_id) if version else None

    def documents(self, topic: str | None = None, lang: str | None = None) -> list[Document]:
        version = self._refresh()
        if not version:
            return []
        return [
            doc
            for doc in version.documents.values()
            if (topic is None or _topic_matches(doc.topic, topic)) and (lang is None or doc.lang == lang)
        ]

    def programme(self, day: object = None, time: str | None = None) -> list[ProgrammeItem]:
        return programme(day, time)

    # ----- search -----
    def search(
        self,
        text: str,
        lang: str | None = None,
        k: int = 5,
        topic: str | None = None,
        mode: str | None = None,
        hint: QueryVector | None = None,
    ) -> list[Hit]:
        """Best passages for `text` (the citizen's own words), [] when nothing is good enough.

        `lang` is the question's language (detected when None); `topic` keeps one topic (`service:passport`)
        or a family (`service`), and then the refusal rule is skipped: the caller already knows what the
        question is about (a follow-up such as "w ch7al?" after a passport question); `mode` is hybrid
        (default, env `BERKANE_RETRIEVAL`), dense or lexical. `hint` is the NLU's e5 vector of the message,
        used instead of embedding when it is the vector of this search's dense form (`_query_vectors`).
        """
        version = self._refresh()
        mode = mode or settings.get().retrieval
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if version is None or not text or not text.strip() or not version.chunks:
            return []
        lang = lang or identify(text)
        allowed = self._allowed_rows(version, topic)
        passages, signals = self._rank(version, text, lang, mode, allowed, hint)
        if not passages or (topic is None and not _confident(signals, mode)):
            log.info(
                "knowledge refused",
                extra={"mode": mode, "margin": round(signals.margin, 4), "content_idf": round(signals.content_idf, 2)},
            )
            return []
        ranked = sorted(passages.values(), key=lambda c: (c.fused, c.dense), reverse=True)
        ranked = self._prefer_language(version, ranked, lang, allowed)
        # score 1.0: first in every ranking, and so is its twin in another language (`support_twins`)
        return self._hits(version, ranked, k, (1 + TWIN_SUPPORT) * max_fused(_weights(mode)))

    def signals(self, text: str, lang: str | None = None) -> Signals:
        """What the refusal rule sees for `text` (to calibrate it: `python -m knowledge.evaluate`)."""
        version = self._refresh()
        if version is None or not text.strip():
            return Signals()
        return self._rank(version, text, lang or identify(text), "hybrid", None)[1]

    def _rank(
        self,
        version: LoadedVersion,
        text: str,
        lang: str,
        mode: str,
        allowed: set[int] | None,
        hint: QueryVector | None = None,
    ) -> tuple[dict[int, Candidate], Signals]:
        """Passages (FAQ matches handed over) with fused scores, and the refusal signals."""
        query_forms, dense = search_forms(text, lang)
        candidates, signals = self._candidates(version, query_forms, dense, mode, allowed, hint)
        signals.content_idf = sum(
            version.rare_idf.get(word, 0.0) for word in {w for form in query_forms for w in tokens(form)}
        )
        signals.named = bool(named_services(text))
        ceiling = max_fused(_weights(mode))
        passages = hand_over_faq(candidates, version.faq_rows, version.doc_of, version.lead_of, ceiling)
        return support_twins(passages, version.doc_of, version.topic_of), signals

    def _allowed_rows(self, version: LoadedVersion, topic: str | None) -> set[int] | None:
        if topic is None:
            return None
        return {chunk.row for chunk in version.chunks if _topic_matches(version.documents[chunk.doc_id].topic, topic)}

    def _candidates(
        self,
        version: LoadedVersion,
        query_forms: list[str],
        dense: str,
        mode: str,
        allowed: set[int] | None,
        hint: QueryVector | None,
    ) -> tuple[dict[int, Candidate], Signals]:
        """Fused candidates (chunk row -> Candidate) and the dense signals: `dense` is embedded (or the NLU's
        vector of it used), the word `query_forms` feed the word and n-gram rankings."""
        keep = (lambda row: True) if allowed is None else allowed.__contains__
        dense_scores: dict[int, float] = {}
        rankings: list[tuple[list[int], float]] = []
        signals = Signals()
        if mode != "lexical" and version.index.ntotal:
            vectors = self._query_vectors(dense, hint)
            pool = version.index.ntotal if allowed is not None else min(DENSE_POOL, version.index.ntotal)
            scores, entries = version.index.search(vectors, pool)
            for row_scores, row_entries in zip(scores, entries):
                for score, entry in zip(row_scores, row_entries):
                    if entry >= 0 and keep(row := version.entry_rows[entry]):
                        dense_scores[row] = max(float(score), dense_scores.get(row, -1.0))
            rankings.append((_top(dense_scores), WEIGHTS["dense"]))
            signals.dense = max(dense_scores.values(), default=0.0)
            if len(version.background):
                signals.background = float((vectors @ version.background.T).max())
        if mode != "dense":
            by_words, by_grams, word_scores = version.lexical.rank(query_forms, version.index.ntotal)
            word_rows = _best_per_row(by_words, word_scores, version.entry_rows, keep)
            gram_rows = _rows_in_order(by_grams, version.entry_rows, keep)
            rankings += [(_top(word_rows), WEIGHTS["words"]), (gram_rows[:POOL], WEIGHTS["grams"])]
        fused = rrf(rankings)
        return {row: Candidate(row, score, dense_scores.get(row, 0.0)) for row, score in fused.items()}, signals

    def _query_vectors(self, form: str, hint: QueryVector | None = None) -> np.ndarray:
        """The embedding of `form` (one row): the NLU's when `hint` is the one of `form` by our model, else
        computed once for the last RECENT_QUERIES distinct forms.

        A hint serves its own search only and never enters the cache: it comes with the action call, and a
        wrong vector sent there must not answer other citizens' questions."""
        if "queries" not in settings.get().fast_steps:
            return self.embedder.embed_queries([form])
        if hint is not None and hint.fits(form, self.embedder.name, self.embedder.dim):
            return hint.vector
        with self._recent_lock:
            vectors = self._recent.pop(form, None)
        if vectors is None:
            vectors = self.embedder.embed_queries([form])
        with self._recent_lock:
            self._recent[form] = vectors
            while len(self._recent) > RECENT_QUERIES:
                del self._recent[next(iter(self._recent))]
        return vectors

    def _prefer_language(
        self, version: LoadedVersion, ranked: list[Candidate], lang: str, allowed: set[int] | None
    ) -> list[Candidate]:
        """Swap each passage for the same passage of the same-topic document in the citizen's language."""
        wanted = document_languages(lang)
        result: list[Candidate] = []
        seen: set[int] = set()
        for cand in ranked:
            row = self._counterpart(version, cand.row, wanted, ranked)
            if allowed is not None and row not in allowed:
                row = cand.row
            if row not in seen:
                seen.add(row)
                result.append(Candidate(row, cand.fused, cand.dense))
        return result

    def _counterpart(self, version: LoadedVersion, row: int, wanted: list[str], ranked: list[Candidate]) -> int:
        chunk = version.chunks[row]
        doc = version.documents[chunk.doc_id]
        if doc.lang == wanted[0]:
            return row
        for lang in wanted:
            if doc.lang == lang:
                return row
            twins = [d for d in version.documents.values() if d.topic == doc.topic and d.lang == lang]
            ranked_twins = [version.doc_of[c.row] for c in ranked if version.doc_of[c.row] in {d.id for d in twins}]
            twin_id = ranked_twins[0] if ranked_twins else (twins[0].id if len(twins) == 1 else None)
            if twin_id:
                return version.section_rows.get((twin_id, chunk.section), version.lead_of.get(twin_id, row))
        return row

    def _hits(self, version: LoadedVersion, ranked: list[Candidate], k: int, scale: float) -> list[Hit]:
        hits: list[Hit] = []
        per_doc: dict[str, int] = {}
        for cand in ranked:
            chunk = version.chunks[cand.row]
            if per_doc.get(chunk.doc_id, 0) >= MAX_PER_DOC:
                continue
            per_doc[chunk.doc_id] = per_doc.get(chunk.doc_id, 0) + 1
            doc = version.documents[chunk.doc_id]
            hits.append(
                Hit(
                    doc.id,
                    chunk.chunk_id,
                    doc.title,
                    chunk.text,
                    doc.lang,
                    doc.source,
                    doc.url,
                    chunk.section,
                    doc.topic,
                    doc.service,
                    doc.provisional,
                    round(min(cand.fused / scale, 1.0), 4),
                    doc.office,
                )
            )
            if len(hits) >= k:
                break
        return hits


def _weights(mode: str) -> list[float]:
    """Weights of the rankings a mode fuses (dense; words and n-grams)."""
    return [WEIGHTS["dense"]] * (mode != "lexical") + [WEIGHTS["words"], WEIGHTS["grams"]] * (mode != "dense")


def _confident(signals: Signals, mode: str) -> bool:
    """Whether the question is about something in the documents at all (see MARGIN_HIGH above)."""
    if mode == "lexical":
        return signals.content_idf >= CONTENT_IDF
    if signals.margin >= MARGIN_HIGH or (signals.named and signals.margin >= MARGIN_NAMED):
        return True
    return mode == "hybrid" and signals.margin >= MARGIN_LOW and signals.content_idf >= CONTENT_IDF


def _topic_matches(doc_topic: str, wanted: str) -> bool:
    return doc_topic == wanted or doc_topic.startswith(wanted.rstrip(":") + ":")


def _top(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=scores.__getitem__, reverse=True)[:POOL]


def _best_per_row(entries: list[int], entry_scores: dict[int, float], entry_rows: list[int], keep) -> dict[int, float]:
    rows: dict[int, float] = {}
    for entry in entries:
        row = entry_rows[entry]
        if keep(row):
            rows[row] = max(entry_scores[entry], rows.get(row, 0.0))
    return rows


def _rows_in_order(entries: list[int], entry_rows: list[int], keep) -> list[int]:
    seen: dict[int, None] = {}
    for entry in entries:
        row = entry_rows[entry]
        if keep(row):
            seen.setdefault(row, None)
    return list(seen)
