"""Writing the results: results.md (tables), results.json (everything) and results.png (the key figures)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from bench.context import Chart, Result

MACHINE_LABELS = {
    "date_utc": "date",
    "cpu": "CPU",
    "cores": "cores",
    "ram_gib": "RAM (GiB)",
    "load_avg_1m": "load average at start (1 min)",
    "os": "OS",
    "python_app": "Python (app, .venv)",
    "python_rasa": "Python (Rasa, .venv-rasa)",
}


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return str(value).replace("|", "\\|")


def markdown(machine: dict[str, Any], results: list[Result], command: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` (bench/). Do not edit by hand.",
        "",
        "| machine | |",
        "| --- | --- |",
    ]
    lines += [f"| {MACHINE_LABELS.get(k, k)} | {_cell(v)} |" for k, v in machine.items()]
    for result in results:
        lines += ["", f"## {result.title}", ""]
        if result.skipped:
            lines += [f"Skipped: {result.skipped}"]
            continue
        for table in result.tables:
            lines += [
                f"**{table.title}**",
                "",
                "| " + " | ".join(table.columns) + " |",
                "|" + " --- |" * len(table.columns),
            ]
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows]
            lines += [table.note] if table.note else []
            lines.append("")
        lines += [f"- {note}" for note in result.notes]
        lines.append(
            f"- section time: {result.seconds:.0f} s" + (f", measured {result.measured}" if result.measured else "")
        )
    return "\n".join(lines) + "\n"


def _draw(axis: Any, chart: Chart) -> None:
    series = list(chart.series.items())
    width = 0.8 / max(1, len(series))
    for i, (label, values) in enumerate(series):
        xs = [g + i * width - 0.4 + width / 2 for g in range(len(chart.groups))]
        heights = [v if isinstance(v, (int, float)) else math.nan for v in values]
        axis.bar(xs, heights, width, label=label)
    axis.set_xticks(range(len(chart.groups)))
    axis.set_xticklabels(
        chart.groups,
        rotation=20 if max(map(len, chart.groups), default=0) > 8 else 0,
        fontsize=8,
        ha="right" if max(map(len, chart.groups), default=0) > 8 else "center",
    )
    axis.set_title(chart.title, fontsize=10)
    axis.set_ylabel(chart.ylabel)
    if chart.log_scale:
        axis.set_yscale("log")
    if len(series) > 1:
        axis.legend(fontsize=7)
    axis.grid(axis="y", alpha=0.3)


def plot(results: list[Result], path: Path) -> bool:
    """One panel per chart of the sections that ran; False when there is nothing to draw."""
    charts = [chart for result in results for chart in result.charts]
    if not charts:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = min(3, len(charts))
    rows = math.ceil(len(charts) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(5.5 * columns, 4 * rows), squeeze=False)
    for axis, chart in zip(axes.flat, charts):
        _draw(axis, chart)
    for axis in list(axes.flat)[len(charts) :]:
        axis.set_visible(False)
    figure.suptitle("Berkane Assistant benchmark")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def merged(out: Path, results: list[Result], order: list[str]) -> list[Result]:
    """This run's sections plus the other sections of the last report in `out`, in the canonical order.

    A full `make bench` takes most of an hour on 2 cores; `--only` re-measures one section without throwing
    the others' figures away (each section says when it was measured, and under which load)."""
    previous: dict[str, Result] = {}
    try:
        saved = json.loads((out / "results.json").read_text(encoding="utf-8"))["sections"]
        previous = {name: Result.from_dict(data) for name, data in saved.items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no report yet, or one from an older layout: this run's sections alone
    fresh = {result.name: result for result in results}
    by_name = {**previous, **fresh}
    return [by_name[name] for name in order if name in by_name]


def write(out: Path, machine: dict[str, Any], results: list[Result], command: str) -> list[Path]:
    """Write the three files into `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "results.md", out / "results.json"]
    written[0].write_text(markdown(machine, results, command), encoding="utf-8")
    written[1].write_text(
        json.dumps(
            {"machine": machine, "command": command, "sections": {r.name: dataclasses.asdict(r) for r in results}},
            ensure_ascii=False,
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    if plot(results, out / "results.png"):
        written.append(out / "results.png")
    return written
