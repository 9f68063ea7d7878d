"""Section 3: retrieval quality (recall@1, recall@5, MRR) per variety for dense, lexical and hybrid search.

The measuring is knowledge/evaluate.py's (also used by the knowledge tests): a query is found at rank r when
the r-th hit's document has the expected topic, and a refusal counts as a miss. This section runs it on
tests/data/retrieval/*.yml against the built index and lays the modes out side by side.
"""
from __future__ import annotations

from bench.answers import VARIETIES
from bench.context import Chart, Options, Result, Skip, Table
from bench.kb import open_knowledge
from bench.questions import per_variety

QUICK_PER_VARIETY = 1


def run(options: Options, fleet: object) -> Result:
    result = Result("retrieval", "3. Retrieval: recall@1, recall@5, MRR per variety (dense, lexical, hybrid)")
    kb = open_knowledge()
    try:
        from knowledge.evaluate import MODES, OFF_TOPIC_SET, default_sets, evaluate, load_queries, refusal_rate
    except ImportError as missing:
        raise Skip(f"knowledge/evaluate.py is not importable yet ({missing})") from missing
    sets = default_sets()
    queries = load_queries(sets)
    if not queries:
        raise Skip("no retrieval sets yet (tests/data/retrieval/*.yml)")
    if options.quick:
        queries = per_variety(queries, QUICK_PER_VARIETY)
        result.notes.append(f"--quick: {QUICK_PER_VARIETY} query per variety only")
    modes = tuple(m for m in ("dense", "lexical", "hybrid") if m in MODES)
    scores = evaluate(kb, queries, modes)
    result.data = {"scores": scores, "sets": [p.name for p in sets]}
    if OFF_TOPIC_SET.exists() and not options.quick:
        result.data["off_topic_refused"] = refusal_rate(kb, load_queries([OFF_TOPIC_SET]), modes)
        result.notes.append("off-topic questions correctly refused: " + ", ".join(
            f"{mode} {share:.0%}" for mode, share in result.data["off_topic_refused"].items()))
    langs = [lang for lang in (*VARIETIES, "all") if lang in scores[modes[0]]]
    rows = [[lang, scores[modes[0]][lang]["n"]]
            + [scores[mode][lang][metric] for mode in modes for metric in ("recall@1", "recall@5", "mrr")]
            for lang in langs]
    columns = ["variety", "queries"] + [f"{mode} {metric}" for mode in modes for metric in ("R@1", "R@5", "MRR")]
    result.tables.append(Table("Topic of the hit at rank 1 / in the top 5 (refusals count as misses)", columns,
                               rows))
    result.notes.append("sets: " + ", ".join(f"tests/data/retrieval/{p.name}" for p in sets)
                        + "; queries searched with their labelled variety, as knowledge/evaluate.py does")
    result.charts.append(Chart("Retrieval recall@1", "recall@1", langs,
                               {mode: [scores[mode][lang]["recall@1"] for lang in langs] for mode in modes}))
    return result
