"""What every section receives (options, paths, the shared running servers) and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from settings import MODELS, ROOT

WORK = ROOT / "bench" / "work"


class Skip(Exception):
    """Raised by a section whose part is not there yet (or not wanted in this run); the message says why."""


@dataclass
class Table:
    """One table of the report: a title, column names and rows (numbers are formatted by the report)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class Chart:
    """A grouped bar chart for results.png: one bar per series in each group (None = not measured)."""

    title: str
    ylabel: str
    groups: list[str]
    series: dict[str, list[float | None]]
    log_scale: bool = False


@dataclass
class Result:
    """A section's outcome: tables for results.md, data for results.json, or the reason it was skipped."""

    name: str
    title: str
    tables: list[Table] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    skipped: str = ""
    seconds: float = 0.0
    measured: str = ""  # when, and under which load, this section ran (sections of earlier runs are kept)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        """A section read back from results.json (a run of some sections keeps the others' last figures)."""
        fields = dict(data)
        fields["tables"] = [Table(**table) for table in fields.get("tables", [])]
        fields["charts"] = [Chart(**chart) for chart in fields.get("charts", [])]
        return cls(**fields)


@dataclass
class Options:
    """The command-line choices the sections read."""

    quick: bool = False
    extra_sets: list[Path] = field(default_factory=list)
    out: Path = ROOT / "bench"
    work: Path = WORK
    model: Path = MODELS
    soak_s: int = 0  # the load section's soak (s); 0: its default (600, 60 with --quick)

    def bound(self, full: int, quick: int) -> int:
        """A loop bound: `full` normally, `quick` with --quick."""
        return quick if self.quick else full
