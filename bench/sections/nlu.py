"""Section 2: NLU on the held-out sets, ours vs the `rasa init` baseline, as measured by nlu/evaluate.py.

nlu/evaluate.py trains both pipelines and writes bench/nlu_results.json; this section reuses that file and
runs the evaluation only when the file is missing (not with --quick: it trains two models).
"""

from __future__ import annotations

import json
import subprocess

from bench.answers import VARIETIES
from bench.context import Chart, Options, Result, Skip, Table
from bench.questions import DATA
from settings import RASA_VENV, ROOT

RESULTS = ROOT / "bench" / "nlu_results.json"
COLUMNS = [
    "variety",
    "n",
    "ours macro-F1",
    "baseline macro-F1",
    "ours accuracy",
    "baseline accuracy",
    "language id accuracy",
]


def _produce() -> None:
    if not (ROOT / "nlu" / "evaluate.py").exists():
        raise Skip("nlu/evaluate.py is not written yet")
    run = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-m", "nlu.evaluate", str(DATA / "heldout"), "--out", str(RESULTS.parent)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if run.returncode != 0 or not RESULTS.exists():
        raise Skip("nlu/evaluate.py failed: " + (run.stderr or run.stdout).strip()[-400:])


def _rows(tables: dict[str, dict[str, dict]]) -> list[list]:
    """One row per variety from {system: {variety: scores}}."""
    ours, base = tables.get("ours", {}), tables.get("baseline", {})
    rows = []
    for variety in (v for v in VARIETIES if v in ours or v in base):
        o, b = ours.get(variety, {}), base.get(variety, {})
        rows.append(
            [
                variety,
                o.get("n", b.get("n")),
                o.get("intent_macro_f1"),
                b.get("intent_macro_f1"),
                o.get("intent_accuracy"),
                b.get("intent_accuracy"),
                o.get("langid_accuracy", b.get("langid_accuracy")),
            ]
        )
    return rows


def run(options: Options, fleet: object) -> Result:
    result = Result("nlu", "2. NLU: intent macro-F1 and language identification, ours vs `rasa init` baseline")
    if not RESULTS.exists():
        if options.quick:
            raise Skip("bench/nlu_results.json is missing and --quick does not train (run `python -m nlu.evaluate`)")
        _produce()
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    result.data = data
    result.notes.append(f"from {RESULTS.relative_to(ROOT)}, written by nlu/evaluate.py (`nlu_fallback` is a miss)")
    heldout = {name: scores.get("varieties", {}) for name, scores in data.get("heldout", {}).items()}
    rows = _rows(heldout)
    if not rows:
        raise Skip(f"{RESULTS.name} has no held-out scores")
    result.tables.append(Table("Held-out sentences (tests/data/heldout), trained on data/nlu", COLUMNS, rows))
    if data.get("cross_validation"):
        result.tables.append(
            Table(f"{data.get('folds')}-fold cross-validation on data/nlu", COLUMNS, _rows(data["cross_validation"]))
        )
    timing = ", ".join(f"{name} {scores.get('train_seconds')} s" for name, scores in data.get("heldout", {}).items())
    result.notes.append(f"NLU training time: {timing}")
    result.charts.append(
        Chart(
            "NLU intent macro-F1 (held-out)",
            "macro-F1",
            [r[0] for r in rows],
            {"ours": [r[2] for r in rows], "baseline": [r[3] for r in rows]},
        )
    )
    return result
