"""The benchmark runs on a tiny setting and writes its three result files with real numbers in them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench.answers import Item, failures
from settings import ROOT

pytestmark = pytest.mark.servers  # runs the benchmark (`python -m bench --quick`)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "faiss,retrieval", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return {
        "out": out,
        "json": json.loads((out / "results.json").read_text(encoding="utf-8")),
        "md": (out / "results.md").read_text(encoding="utf-8"),
    }


def test_quick_run_writes_report_table_and_plot(quick_run: dict) -> None:
    md = quick_run["md"]
    assert "| cores |" in md and "Python (Rasa, .venv-rasa)" in md
    assert "## 4c. FAISS search and index build" in md
    assert (quick_run["out"] / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_faiss_figures_are_measured_numbers(quick_run: dict) -> None:
    faiss = quick_run["json"]["sections"]["faiss"]
    assert not faiss["skipped"]
    small, large = faiss["data"]["synthetic_1000"], faiss["data"]["synthetic_10000"]
    for data in (small, large):
        assert data["threads_1"]["n"] > 0 and data["threads_1"]["p50_ms"] > 0 and data["add_per_s"] > 0
    assert faiss["data"]["real_search"]["with_hits"] > 0.5, "the real index answered too few questions"


def test_retrieval_is_scored_per_variety_for_each_mode(quick_run: dict) -> None:
    retrieval = quick_run["json"]["sections"]["retrieval"]
    assert not retrieval["skipped"]
    scores = retrieval["data"]["scores"]
    assert set(scores) == {"dense", "lexical", "hybrid"}
    assert {"ar", "ary", "ary_Latn", "fr", "all"} <= set(scores["hybrid"])
    assert 0 < scores["hybrid"]["all"]["recall@5"] <= 1
    assert "| variety | queries | dense R@1" in quick_run["md"]


def test_bm25s_and_the_earlier_bm25_are_compared_in_the_same_run(quick_run: dict) -> None:
    compared = quick_run["json"]["sections"]["retrieval"]["data"]["bm25_comparison"]
    for mode in ("lexical", "hybrid"):
        ours, baseline = compared[f"bm25s_{mode}"], compared[f"baseline_{mode}"]
        assert ours["n"] == baseline["n"] > 0 and ours["ms_per_search"] > 0 and baseline["ms_per_search"] > 0
    assert set(compared["rank_ms"]) == {"bm25s", "baseline"} and min(compared["rank_ms"].values()) > 0
    assert len(compared["load_ms"]) == 3 and min(compared["load_ms"].values()) > 0
    assert "| bm25s | hybrid |" in quick_run["md"] and "| baseline | hybrid |" in quick_run["md"]


def test_scoring_follows_the_evaluation_rules() -> None:
    item = Item(id="x", lang="ar", text="متى؟", expect=(("10",), ("أبريل", "نيسان")), none=("2023",), script="arab")
    assert failures(item, "ينعقد الملتقى يومي 10 و11 ابريل 2025") == []  # hamza folded, any one of a group
    assert failures(item, "ينعقد الملتقى يومي 10 و11 ابريل 2023")  # a forbidden string
    assert failures(item, "Le forum a lieu les 10 et 11 avril, أبريل")  # mostly Latin letters
    assert failures(item, "") == ["empty reply"]


def test_a_run_of_some_sections_keeps_the_other_sections_of_the_report(tmp_path) -> None:
    """`--only latency` must not wipe the accuracy figures measured an hour earlier, and says when each ran."""
    from bench import report
    from bench.context import Result, Table

    earlier = [
        Result("accuracy", "Accuracy", tables=[Table("answers", ["set", "%"], [["e2e", 98.4]])], measured="then"),
        Result("latency", "Latency", tables=[Table("old", ["p50"], [[146.0]])], measured="then"),
    ]
    report.write(tmp_path, {"cores": 2}, earlier, "python -m bench")
    now = [Result("latency", "Latency", tables=[Table("new", ["p50"], [[40.0]])], measured="now")]
    sections = report.merged(tmp_path, now, ["accuracy", "conversations", "latency"])
    report.write(tmp_path, {"cores": 2}, sections, "python -m bench --only latency")
    md = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert md.index("## Accuracy") < md.index("## Latency")
    assert "| e2e | 98.4 |" in md and "| 40.0 |" in md and "| 146.0 |" not in md
    assert "measured then" in md and "measured now" in md
