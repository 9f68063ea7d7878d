"""Section 1: end-to-end answer accuracy per variety, through REST, ours vs baseline vs retrieval only.

(a) ours: the trained model in models/ with the normal action server; (b) baseline: the `rasa init`
pipeline (nlu/baseline_config.yml) with a dense-only action server (BERKANE_RETRIEVAL=dense); (c) retrieval
only: the best passage `KnowledgeBase.search` returns, as if it were the whole reply. All are scored with
the rules of bench/answers.py, i.e. those of the shared answer_eval.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bench.answers import VARIETIES, Item, Tally, failures, reply_text
from bench.context import Chart, Options, Result, Skip, Table
from bench.kb import open_knowledge
from bench.questions import answer_items, answer_sets, per_variety
from bench.servers import Fleet
from settings import ROOT

log = logging.getLogger(__name__)
SYSTEMS = ("ours", "baseline", "retrieval")
QUICK_PER_VARIETY = 3
LABELS = {"ours": "ours", "baseline": "baseline (rasa init + dense)", "retrieval": "retrieval only"}


def _retrieval_answerer() -> Callable[[str], str]:
    """The knowledge base's best passage for a message (the base detects the message's language itself)."""
    kb = open_knowledge()

    def answer(text: str) -> str:
        hits = kb.search(text, k=1)
        return hits[0].text if hits else ""

    return answer


def _answerer(system: str, fleet: Fleet) -> Callable[[str], str]:
    if system == "retrieval":
        return _retrieval_answerer()
    running = fleet.get(system)
    return lambda text: reply_text(running.say(text))


def _score(answer: Callable[[str], str], items: list[Item], workers: int, budget_s: float) -> dict:
    """Ask every item (a few at a time, within `budget_s`); verdicts tallied per variety and per set."""
    deadline = time.monotonic() + budget_s

    def one(item: Item) -> tuple[Item, str | None, list[str]]:
        if time.monotonic() > deadline:
            return item, None, []
        try:
            reply = answer(item.text)
        except OSError as error:
            return item, "", [f"request failed: {error}"]
        return item, reply, failures(item, reply)

    with ThreadPoolExecutor(workers) as pool:
        verdicts = list(pool.map(one, items))
    by_lang, by_set, failed = Tally(), Tally(), []
    for item, reply, why in verdicts:
        if reply is None:
            continue
        by_lang.add(item.lang, not why)
        by_set.add(item.source, not why)
        if why:
            failed.append({"id": item.id, "lang": item.lang, "text": item.text, "reply": reply[:300], "why": why})
    return {
        "by_lang": by_lang,
        "by_set": by_set,
        "failures": failed,
        "not_asked": sum(reply is None for _, reply, _ in verdicts),
    }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _table(title: str, first: str, groups: list[str | None], tallies: dict[str, Tally]) -> Table:
    """Rows of % passed per group and system, plus ours minus baseline when both ran."""
    systems = list(tallies)
    delta = "ours" in tallies and "baseline" in tallies
    rows = []
    for group in groups:
        rates = [_pct(tallies[s].rate(group)) for s in systems]
        row = [group or "all", max(t.total(group) for t in tallies.values()), *rates]
        if delta:
            ours, base = rates[systems.index("ours")], rates[systems.index("baseline")]
            row.append(None if ours is None or base is None else round(ours - base, 1))
        rows.append(row)
    columns = [first, "items", *(LABELS[s] for s in systems)] + (["ours − baseline (points)"] if delta else [])
    return Table(title, columns, rows)


def run(options: Options, fleet: Fleet) -> Result:
    result = Result("accuracy", "1. End-to-end answer accuracy (REST), per variety")
    items = answer_items(options.extra_sets)
    if not items:
        raise Skip("no answer sets yet (tests/data/e2e/*.yml) and no --set given")
    if options.quick:
        items = per_variety(items, QUICK_PER_VARIETY)
        result.notes.append(f"--quick: {QUICK_PER_VARIETY} items per variety only, baseline not trained nor started")
    result.notes.append(
        "sets: "
        + ", ".join(
            str(p.resolve().relative_to(ROOT)) if p.resolve().is_relative_to(ROOT) else str(p)
            for p in answer_sets(options.extra_sets)
        )
    )
    scored: dict[str, dict] = {}
    for system in SYSTEMS:
        if options.quick and system == "baseline":
            continue
        try:
            answer = _answerer(system, fleet)
        except Skip as why:
            result.notes.append(f"{LABELS[system]}: skipped ({why})")
            continue
        started = time.monotonic()
        scored[system] = _score(
            answer, items, workers=1 if system == "retrieval" else 4, budget_s=options.bound(900, 120)
        )
        result.data[system] = {
            "by_lang": scored[system]["by_lang"].counts,
            "by_set": scored[system]["by_set"].counts,
            "failures": scored[system]["failures"],
            "not_asked": scored[system]["not_asked"],
            "seconds": round(time.monotonic() - started, 1),
        }
        if scored[system]["not_asked"]:
            result.notes.append(f"{LABELS[system]}: {scored[system]['not_asked']} items not asked (time budget)")
        log.info("accuracy %s: %.1f%%", system, 100 * (scored[system]["by_lang"].rate() or 0))
    if not scored:
        raise Skip("no system could be run: " + "; ".join(result.notes[1:]))
    by_lang = {s: scored[s]["by_lang"] for s in scored}
    langs = [v for v in VARIETIES if any(t.total(v) for t in by_lang.values())]
    table = _table("Share of items passed (%), per variety", "variety", [*langs, None], by_lang)
    result.tables.append(table)
    by_set = {s: scored[s]["by_set"] for s in scored}
    result.tables.append(
        _table(
            "Share of items passed (%), per answer set",
            "set",
            [*sorted({k for t in by_set.values() for k in t.counts}), None],
            by_set,
        )
    )
    result.charts.append(
        Chart(
            "End-to-end accuracy (%)",
            "% passed",
            [r[0] for r in table.rows],
            {LABELS[s]: [r[2 + i] for r in table.rows] for i, s in enumerate(scored)},
        )
    )
    return result
