"""Section 4c: FAISS search and build speed at 1k, 10k and 100k chunks, and the real corpus.

Synthetic corpora are random unit vectors of the embedding dimension in the index type the knowledge base
uses (IndexIDMap2 over IndexFlatIP: exact inner product); they show how search time grows with the corpus.
The real corpus figures are the knowledge base itself: a full index build from the documents into a
temporary state directory (chunks/s, embeddings included) and `KnowledgeBase.search` end to end
(query embedding + dense + lexical + fusion) on questions from tests/data.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from bench.context import Chart, Options, Result, Skip, Table
from bench.kb import open_knowledge
from bench.measure import summary_ms, time_calls
from bench.questions import sample_questions
from settings import APP_VENV, ROOT

DIM = 384  # multilingual-e5-small, the knowledge base's default embedder
K = 5


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.standard_normal((n, DIM), dtype=np.float32)
    faiss.normalize_L2(vectors)
    return vectors


def _synthetic(size: int, queries: int, max_seconds: float, threads: int) -> dict:
    """Build time and single-query search percentiles for `size` random chunks, with 1 and `threads` threads.

    Both thread counts are measured because OpenMP's spinning threads make one small query slower on a
    busy machine: the knowledge base should search single queries with one thread if that shows here.
    """
    rng = np.random.default_rng(size)
    vectors, probes = _unit(rng, size), _unit(rng, queries)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    started = time.perf_counter()
    index.add_with_ids(vectors, np.arange(size, dtype=np.int64))
    build_s = time.perf_counter() - started
    data: dict = {"chunks": size, "add_per_s": round(size / build_s) if build_s else None}
    for count in sorted({1, threads}):
        faiss.omp_set_num_threads(count)
        data[f"threads_{count}"] = summary_ms(
            time_calls(lambda i: index.search(probes[i % queries : i % queries + 1], K), queries, max_seconds)
        )
    faiss.omp_set_num_threads(threads)
    return data


def _real_build() -> dict:
    """Time `python -m knowledge rebuild` from the documents into an empty state dir (no embedding cache)."""
    if not (ROOT / "knowledge" / "__main__.py").exists():
        raise Skip("the knowledge CLI is not written yet")
    with tempfile.TemporaryDirectory(prefix="bench-kb-") as state:
        env = {**os.environ, "BERKANE_VAR": state, "HF_HUB_OFFLINE": "1"}
        started = time.perf_counter()
        build = subprocess.run(
            [str(APP_VENV / "bin" / "python"), "-m", "knowledge", "rebuild"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        seconds = time.perf_counter() - started
        if build.returncode != 0:
            raise Skip("knowledge rebuild failed: " + (build.stderr or build.stdout).strip()[-300:])
        chunks = _chunk_count(Path(state))
    return {
        "seconds": round(seconds, 1),
        "chunks": chunks,
        "chunks_per_s": round(chunks / seconds, 1) if chunks and seconds else None,
    }


def _chunk_count(state: Path) -> int | None:
    """Number of vectors in the index just built (read back with FAISS, whatever the store layout)."""
    for path in sorted(state.glob("kb/**/*.faiss")) + sorted(state.glob("kb/**/*index*")):
        try:
            return faiss.read_index(str(path)).ntotal
        except RuntimeError:
            continue
    return None


def _real_search(options: Options) -> dict:
    """`KnowledgeBase.search` on questions from tests/data, and the share that got at least one passage."""
    kb = open_knowledge()
    texts = sample_questions(options.bound(100, 10), options.extra_sets)
    answered: list[bool] = []
    timings = time_calls(
        lambda i: answered.append(bool(kb.search(texts[i % len(texts)], k=K))), len(texts), options.bound(30, 5)
    )
    counted = answered[-len(timings) :]  # the warm-up call is not counted
    return {**summary_ms(timings), "with_hits": round(sum(counted) / len(counted), 3)}


def run(options: Options, fleet: object) -> Result:
    result = Result("faiss", "4c. FAISS search and index build")
    sizes = (1_000, 10_000) if options.quick else (1_000, 10_000, 100_000)
    queries, max_seconds = options.bound(300, 50), options.bound(20, 3)
    threads = faiss.omp_get_max_threads()
    rows = []
    for size in sizes:
        data = _synthetic(size, queries, max_seconds, threads)
        result.data[f"synthetic_{size}"] = data
        one, many = data["threads_1"], data[f"threads_{threads}"]
        rows.append(
            [
                f"random, {size:,} chunks",
                one["n"],
                one["p50_ms"],
                one["p95_ms"],
                many["p50_ms"],
                many["p95_ms"],
                data["add_per_s"],
            ]
        )
    result.tables.append(
        Table(
            f"FAISS IndexIDMap2(IndexFlatIP), dim {DIM}, top {K}, one query at a time",
            [
                "corpus",
                "queries",
                "p50 ms (1 thread)",
                "p95 ms (1 thread)",
                f"p50 ms ({threads} threads)",
                f"p95 ms ({threads} threads)",
                "vectors added/s",
            ],
            rows,
        )
    )
    result.charts.append(
        Chart(
            "FAISS search, one query (ms)",
            "ms",
            [f"{s:,}" for s in sizes],
            {
                "p50, 1 thread": [r[2] for r in rows],
                "p95, 1 thread": [r[3] for r in rows],
                f"p50, {threads} threads": [r[4] for r in rows],
            },
            log_scale=True,
        )
    )
    for label, measure in (
        ("real_search", lambda: _real_search(options)),
        ("real_build", None if options.quick else _real_build),
    ):
        if measure is None:
            result.notes.append("--quick: real-corpus index build not timed")
            continue
        try:
            result.data[label] = measure()
        except Skip as why:
            result.notes.append(f"{label.replace('_', ' ')}: not measured ({why})")
    if "real_search" in result.data:
        d = result.data["real_search"]
        result.tables.append(
            Table(
                "Real corpus: KnowledgeBase.search end to end (embedding + dense + lexical + fusion)",
                ["queries", "p50 ms", "p95 ms", "share with hits"],
                [[d["n"], d["p50_ms"], d["p95_ms"], d["with_hits"]]],
            )
        )
    if "real_build" in result.data:
        d = result.data["real_build"]
        result.tables.append(
            Table(
                "Real corpus: full index build from the documents (embeddings included)",
                ["vectors (chunks + FAQ lines)", "seconds", "vectors/s"],
                [[d["chunks"], d["seconds"], d["chunks_per_s"]]],
            )
        )
    return result
