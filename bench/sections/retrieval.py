"""Section 3: retrieval quality (recall@1, recall@5, MRR) per variety for dense, lexical and hybrid search,
and the word/n-gram BM25 through bm25s against the BM25 we wrote before it, side by side in the same run.

The measuring is knowledge/evaluate.py's (also used by the knowledge tests): a query is found at rank r when
the r-th hit's document has the expected topic, and a refusal counts as a miss. This section runs it on
tests/data/retrieval/*.yml against the built index. The comparison opens the same index version twice, once
with each lexical implementation (`KnowledgeBase.open(lexical=...)`), and times the searches, the lexical
ranking alone (both implementations on each query in turn, so machine load hits both alike) and the
lexical index's load: rebuilt from the texts, or read from the version folder (bm25s only).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.answers import VARIETIES
from bench.context import Chart, Options, Result, Skip, Table
from bench.kb import open_knowledge
from bench.questions import off_topic_set, per_variety, retrieval_sets

QUICK_PER_VARIETY = 1
COMPARED_MODES = ("lexical", "hybrid")
LOAD_REPEATS = 3
METRICS = ("recall@1", "recall@5", "mrr")
K = 5  # hits searched per query, as knowledge/evaluate.py does


def run(options: Options, fleet: object) -> Result:
    result = Result("retrieval", "3. Retrieval: recall@1, recall@5, MRR per variety (dense, lexical, hybrid)")
    kb = open_knowledge()
    try:
        from knowledge.evaluate import MODES, evaluate, load_queries, refusal_rate
    except ImportError as missing:
        raise Skip(f"knowledge/evaluate.py is not importable yet ({missing})") from missing
    sets = retrieval_sets()
    queries = load_queries(sets)
    if not queries:
        raise Skip("no retrieval sets yet (tests/data/retrieval/*.yml)")
    if options.quick:
        queries = per_variety(queries, QUICK_PER_VARIETY)
        result.notes.append(f"--quick: {QUICK_PER_VARIETY} query per variety only")
    modes = tuple(m for m in ("dense", "lexical", "hybrid") if m in MODES)
    scores = evaluate(kb, queries, modes)
    result.data = {"scores": scores, "sets": [p.name for p in sets]}
    off_topic = off_topic_set()
    if off_topic.exists() and not options.quick:
        result.data["off_topic_refused"] = refusal_rate(kb, load_queries([off_topic]), modes)
        result.notes.append(
            "off-topic questions correctly refused: "
            + ", ".join(f"{mode} {share:.0%}" for mode, share in result.data["off_topic_refused"].items())
        )
    langs = [lang for lang in (*VARIETIES, "all") if lang in scores[modes[0]]]
    rows = [
        [lang, scores[modes[0]][lang]["n"]] + [scores[mode][lang][metric] for mode in modes for metric in METRICS]
        for lang in langs
    ]
    columns = ["variety", "queries"] + [f"{mode} {metric}" for mode in modes for metric in ("R@1", "R@5", "MRR")]
    result.tables.append(Table("Topic of the hit at rank 1 / in the top 5 (refusals count as misses)", columns, rows))
    result.notes.append(
        "sets: "
        + ", ".join(f"tests/data/retrieval/{p.name}" for p in sets)
        + "; queries searched with their labelled variety, as knowledge/evaluate.py does"
    )
    result.charts.append(
        Chart(
            "Retrieval recall@1",
            "recall@1",
            langs,
            {mode: [scores[mode][lang]["recall@1"] for lang in langs] for mode in modes},
        )
    )
    _compare_bm25(result, kb, queries)
    return result


def _compare_bm25(result: Result, kb: Any, queries: list) -> None:
    """bm25s (served) against the pre-bm25s baseline: recall, ms per search and per lexical ranking, load ms.

    The two systems search each query in turn, so a busy moment of the machine slows both alike.
    """
    from bench.baseline_bm25 import SparseBM25
    from knowledge import store
    from knowledge.evaluate import rank_of, summary
    from knowledge.lexical import LexicalIndex
    from knowledge.search import KnowledgeBase

    def baseline(folder: Path, texts: list[str]) -> LexicalIndex:
        return LexicalIndex.build(texts, scorer=SparseBM25)

    systems = {"bm25s": kb, "baseline": KnowledgeBase.open(kb.root, embedder=kb.embedder, lexical=baseline)}
    rows, data = [], {}
    for mode in COMPARED_MODES:
        ranks: dict[str, list[int | None]] = {name: [] for name in systems}
        spent = dict.fromkeys(systems, 0.0)
        for query in queries:
            for name, system in systems.items():
                started = time.perf_counter()
                ranks[name].append(rank_of(system, query, mode, K))
                spent[name] += time.perf_counter() - started
        for name in systems:
            score, ms = summary(ranks[name]), spent[name] * 1000 / len(queries)
            data[f"{name}_{mode}"] = {**score, "ms_per_search": round(ms, 2)}
            rows.append([name, mode, score["n"], *(score[metric] for metric in METRICS), ms])
    texts = [text for _, text in store.read_json(kb.root / kb.version / "catalogue.json")["entries"]]
    indexes = {"bm25s": LexicalIndex.build(texts), "baseline": LexicalIndex.build(texts, scorer=SparseBM25)}
    data["rank_ms"] = _rank_ms(indexes, queries)
    data["load_ms"] = _load_ms(texts)
    result.data["bm25_comparison"] = data
    result.tables.append(
        Table(
            "Word and n-gram BM25: bm25s (served) vs our pre-bm25s implementation (baseline), same index and run",
            ["implementation", "mode", "queries", "R@1", "R@5", "MRR", "ms/search"],
            rows,
            note="Lexical ranking alone (both rankings, every query form): "
            + ", ".join(f"{name} {ms:.2f} ms/query" for name, ms in data["rank_ms"].items())
            + f". Lexical index ready at load ({len(texts)} rows, best of {LOAD_REPEATS}): "
            + ", ".join(f"{what} {ms:.0f} ms" for what, ms in data["load_ms"].items())
            + ".",
        )
    )


def _rank_ms(indexes: dict[str, Any], queries: list) -> dict[str, float]:
    """Mean ms of `LexicalIndex.rank` per query for each index, the indexes taking turns on each query."""
    from knowledge.textprep import forms

    spent = dict.fromkeys(indexes, 0.0)
    query_forms = [forms(query.text, query.lang) for query in queries]
    for each in query_forms:
        for name, index in indexes.items():
            started = time.perf_counter()
            index.rank(each, 10_000)
            spent[name] += time.perf_counter() - started
    return {name: round(seconds * 1000 / len(queries), 3) for name, seconds in spent.items()}


def _load_ms(texts: list[str]) -> dict[str, float]:
    """Best-of ms to have a lexical index: bm25s rebuilt, bm25s read from a saved folder, the baseline rebuilt."""
    from bench.baseline_bm25 import SparseBM25
    from knowledge.lexical import LexicalIndex

    with tempfile.TemporaryDirectory(prefix="bench-lexical-") as folder:
        LexicalIndex.build(texts).save(Path(folder))
        ways = {
            "bm25s rebuilt": lambda: LexicalIndex.build(texts),
            "bm25s loaded from the version folder": lambda: LexicalIndex.load(Path(folder), texts),
            "baseline rebuilt": lambda: LexicalIndex.build(texts, scorer=SparseBM25),
        }
        return {what: round(min(_seconds(way) for _ in range(LOAD_REPEATS)) * 1000, 1) for what, way in ways.items()}


def _seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
