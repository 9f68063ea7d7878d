"""Retrieval quality: recall@1, recall@5 and MRR per language variety, for dense, lexical and hybrid search.

A query counts as found at rank r when the r-th hit's document has the expected `topic`. Refusals (the
threshold said "nothing good enough") count as misses, so the numbers are what a citizen gets. Off-topic
questions measure the other side: the share correctly refused.

    python -m knowledge.evaluate tests/data/retrieval --off-topic tests/knowledge/data/off_topic.yml
    python -m knowledge.evaluate tests/data/retrieval --json out.json --misses
    python -m knowledge.evaluate tests/data/retrieval --half A     # tune on half A, check on half B (`half_of`)

The query sets are arguments (files, or folders of *.yml): the callers (tests/knowledge, the benchmark in
bench/, the command line) know where their data lives; this module does not read tests/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.search import MODES, KnowledgeBase

VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
HALVES = ("A", "B")  # fixed split of a query set: tune on A, check on B (no over-fitting)


@dataclass
class Query:
    text: str
    lang: str
    topic: str | None = None


def load_queries(paths: list[Path]) -> list[Query]:
    """Queries from YAML lists of {text, lang, topic} (topic absent for off-topic questions)."""
    queries: list[Query] = []
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            queries.append(Query(str(item["text"]), str(item["lang"]), item.get("topic")))
    return queries


def half_of(text: str) -> str:
    """ "A" or "B": a fixed hash of the query text, so the split never changes between runs or machines."""
    return HALVES[int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2]


def query_files(paths: list[Path]) -> list[Path]:
    """`paths` with each folder replaced by its *.yml files (sorted)."""
    return [file for path in paths for file in (sorted(path.glob("*.yml")) if path.is_dir() else [path])]


def rank_of(kb: KnowledgeBase, query: Query, mode: str, k: int) -> int | None:
    """1-based rank of the first hit on the expected topic, None when absent from the top k."""
    for rank, hit in enumerate(kb.search(query.text, lang=query.lang, k=k, mode=mode), start=1):
        if hit.topic == query.topic:
            return rank
    return None


def evaluate(
    kb: KnowledgeBase,
    queries: list[Query],
    modes: tuple[str, ...] = MODES,
    k: int = 5,
    misses: list[dict[str, Any]] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """mode -> variety (and "all") -> {n, recall@1, recall@5, mrr}; appends missed queries to `misses`."""
    results: dict[str, dict[str, dict[str, float]]] = {}
    for mode in modes:
        ranks: dict[str, list[int | None]] = {}
        for query in queries:
            rank = rank_of(kb, query, mode, k)
            ranks.setdefault(query.lang, []).append(rank)
            ranks.setdefault("all", []).append(rank)
            if misses is not None and rank != 1:
                misses.append(
                    {"mode": mode, "lang": query.lang, "text": query.text, "topic": query.topic, "rank": rank}
                )
        results[mode] = {lang: summary(values) for lang, values in ranks.items()}
    return results


def summary(ranks: list[int | None]) -> dict[str, float]:
    """n, recall@1, recall@5 and MRR of the ranks `rank_of` gave (None: not in the top k, or refused)."""
    n = len(ranks)
    return {
        "n": n,
        "recall@1": round(sum(r == 1 for r in ranks) / n, 3),
        "recall@5": round(sum(r is not None and r <= 5 for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
    }


def refusal_rate(kb: KnowledgeBase, queries: list[Query], modes: tuple[str, ...] = MODES) -> dict[str, float]:
    """mode -> share of off-topic questions for which search returned nothing."""
    return (
        {
            mode: round(sum(not kb.search(q.text, lang=q.lang, mode=mode) for q in queries) / len(queries), 3)
            for mode in modes
        }
        if queries
        else {}
    )


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """A Markdown table: one row per mode and variety."""
    lines = ["| mode | variety | n | recall@1 | recall@5 | MRR |", "| --- | --- | --- | --- | --- | --- |"]
    for mode, by_lang in results.items():
        for lang in [*VARIETIES, "all"]:
            if lang in by_lang:
                s = by_lang[lang]
                lines.append(
                    f"| {mode} | {lang} | {s['n']} | {s['recall@1']:.3f} | {s['recall@5']:.3f} | {s['mrr']:.3f} |"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.evaluate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "sets", nargs="+", type=Path, help="query files, or folders of *.yml files (e.g. tests/data/retrieval)"
    )
    parser.add_argument("--off-topic", type=Path, help="questions that must be refused (a query file)")
    parser.add_argument("--mode", action="append", choices=MODES)
    parser.add_argument("--half", choices=HALVES, help="only the queries of this half (see `half_of`)")
    parser.add_argument("--json", type=Path, help="write the numbers to this file")
    parser.add_argument("--misses", action="store_true", help="print the queries not found at rank 1")
    args = parser.parse_args(argv)
    kb = KnowledgeBase.open()
    if kb.version is None:
        print("no index: run `python -m knowledge rebuild`", file=sys.stderr)
        return 1
    modes = tuple(args.mode or MODES)
    misses: list[dict[str, Any]] = []
    queries = [q for q in load_queries(query_files(args.sets)) if args.half in (None, half_of(q.text))]
    results = evaluate(kb, queries, modes, misses=misses)
    off_topic = load_queries([args.off_topic]) if args.off_topic else []
    refused = refusal_rate(kb, off_topic, modes)
    print(table(results))
    print("off-topic refused:", refused)
    if args.misses:
        for miss in misses:
            print(json.dumps(miss, ensure_ascii=False))
    if args.json:
        args.json.write_text(
            json.dumps({"retrieval": results, "off_topic_refused": refused, "version": kb.version}, indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
