"""Section 4d: load and soak with locust — errors, latency, memory and lost messages under many citizens.

The latency section times bursts of single questions; this one runs the real servers (bench/servers.py) under
locust (headless, 127.0.0.1 only) with users holding whole conversations in the five varieties
(bench/locustfile.py), in two phases:
1. burst: 32 users for 60 s, each sending its next message as soon as the reply comes;
2. soak: a steady 4 msg/s (8 users at 0.5 msg/s each, locust's constant_throughput) for 10 minutes
   (60 s with --quick, or `--soak SECONDS`), to show that memory stays flat and nothing is lost over time.
Each phase is bounded in time (locust's --run-time, then a hard kill) and in messages (--max-messages).
Memory is the RSS of each server's process group, sampled during the phases. After each phase the user turns
the tracker store (SQLite) holds for each sender are counted against the messages it had answered 200:
a message answered but not stored is lost.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import time
import uuid
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.context import Chart, Options, Result, Skip, Table
from bench.measure import summary_ms
from bench.servers import Fleet, Running
from settings import APP_VENV, ROOT

log = logging.getLogger(__name__)
LOCUST = APP_VENV / "bin" / "locust"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
STOP_GRACE_S = 65  # locust --stop-timeout: an in-flight message (Rasa answers within 30 s) completes
RSS_GROWTH_TARGET = 10.0  # %, issue 19: the soak grows RSS by under 10 %
# The phase table's columns and the summary key each shows.
PHASE_COLUMNS = {
    "users": "users",
    "rate": "target",
    "s": "seconds",
    "requests": "n",
    "errors": "errors",
    "p50": "p50_ms",
    "p95": "p95_ms",
    "p99": "p99_ms",
    "msg/s": "msg_per_s",
    "answered 200": "answered",
    "user turns stored": "stored",
    "lost": "lost",
}


@dataclass(frozen=True)
class Phase:
    """One locust run: `users` citizens for `seconds`, each at `pace` msg/s (0: as fast as replies come)."""

    name: str
    users: int
    seconds: int
    pace: float
    max_messages: int

    @property
    def target(self) -> str:
        return f"{self.users * self.pace:g} msg/s" if self.pace else "as fast as replies come"


def phases(options: Options) -> list[Phase]:
    soak = options.soak_s or options.bound(600, 60)
    return [Phase("burst", 32, 60, 0.0, 4000), Phase("soak", 8, soak, 0.5, int(8 * 0.5 * soak * 1.1) + 8)]


def _tracker_db(options: Options, running: Running) -> Path:
    """The tracker store of a system the Fleet started (bench.servers.start: its state is var-<name>/)."""
    return options.work / f"var-{running.name}" / "tracker.db"


def stored_user_turns(db: Path, prefix: str) -> Counter:
    """User turns stored per sender whose id starts with `prefix` (read-only: the server keeps writing)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as connection:
        rows = connection.execute(
            "SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' AND sender_id LIKE ? GROUP BY sender_id",
            (prefix + "-%",),
        ).fetchall()
    return Counter(dict(rows))


def _locust(running: Running, phase: Phase, prefix: str, journal: Path) -> list[str]:
    return [
        str(LOCUST),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        f"http://127.0.0.1:{running.rasa_port}",
        "-u",
        str(phase.users),
        "-r",
        str(min(phase.users, 8)),
        "-t",
        f"{phase.seconds}s",
        "--stop-timeout",
        str(STOP_GRACE_S),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        "--journal",
        str(journal),
        "--pace",
        str(phase.pace),
        "--max-messages",
        str(phase.max_messages),
        "--sender-prefix",
        prefix,
    ]


def run_phase(running: Running, phase: Phase, work: Path) -> tuple[dict[str, Any], list[dict[str, float]]]:
    """Run locust for one phase, sampling the servers' RSS meanwhile; the journal and the RSS samples."""
    prefix = f"load-{phase.name}-{uuid.uuid4().hex[:6]}"
    journal, log_path = work / f"load-{phase.name}.json", work / f"load-{phase.name}.log"
    journal.unlink(missing_ok=True)
    samples, load_before = [running.rss_mib()], os.getloadavg()[0]
    deadline = time.monotonic() + phase.seconds + STOP_GRACE_S + 60
    log.info("load %s: %d users for %d s (%s), log %s", phase.name, phase.users, phase.seconds, phase.target, log_path)
    with open(log_path, "w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            _locust(running, phase, prefix, journal), cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(min(10.0, max(1.0, phase.seconds / 30)))
                samples.append(running.rss_mib())
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if not journal.exists():
        raise Skip(f"locust wrote no journal for the {phase.name} phase (exit {process.returncode}, log {log_path})")
    data = json.loads(journal.read_text(encoding="utf-8"))
    samples.append(running.rss_mib())
    return {**data, "prefix": prefix, "load_avg_1m": [load_before, os.getloadavg()[0]]}, samples


def _growth(start: float, end: float) -> float | None:
    return round(100 * (end - start) / start, 1) if start else None


def summarise(phase: Phase, journal: dict[str, Any], stored: Counter, samples: list[dict[str, float]]) -> dict:
    """Requests, errors, latency, throughput, lost messages and memory of one phase."""
    durations = [ms / 1000 for ms in journal["durations_ms"]]
    wall = max(1e-9, journal.get("stopped_at", 0) - journal.get("started_at", 0))
    answered, sent = Counter(journal["answered"]), Counter(journal["sent"])
    lost = {sender: n - stored[sender] for sender, n in answered.items() if stored[sender] < n}
    memory = {
        process: {
            "start": samples[0][process],
            "end": samples[-1][process],
            "peak": max(s[process] for s in samples),
            "growth_pct": _growth(samples[0][process], samples[-1][process]),
        }
        for process in samples[0]
    }
    return {
        **summary_ms(durations),
        "users": phase.users,
        "seconds": phase.seconds,
        "target": phase.target,
        "sent": sum(sent.values()),
        "answered": sum(answered.values()),
        "stored": sum(stored.values()),
        "senders": len(sent),
        "errors": sum(journal["errors"].values()),
        "errors_by_kind": journal["errors"],
        "msg_per_s": round(len(durations) / wall, 2),
        "lost": sum(lost.values()),
        "lost_by_sender": lost,
        "memory": memory,
        "rss_samples": samples,
        "load_avg_1m": journal["load_avg_1m"],
    }


def run(options: Options, fleet: Fleet) -> Result:
    if not LOCUST.exists():
        raise Skip(f"locust is not installed in {APP_VENV} (requirements.txt: locust)")
    running = fleet.get("loadtest")  # its own state: the lost-message count reads its tracker store
    work = options.work / "load"
    work.mkdir(parents=True, exist_ok=True)
    result = Result("load", "4d. Load and soak with locust (our assistant, REST)")
    for phase in phases(options):
        journal, samples = run_phase(running, phase, work)
        stored = stored_user_turns(_tracker_db(options, running), journal["prefix"])
        result.data[phase.name] = summarise(phase, journal, stored, samples)
    _tables(result)
    return result


def _tables(result: Result) -> None:
    phases_run = list(result.data.items())
    rows = [[name, *(d[key] for key in PHASE_COLUMNS.values())] for name, d in phases_run]
    result.tables.append(
        Table("Requests, errors, latency (ms), throughput and lost messages", ["phase", *PHASE_COLUMNS], rows)
    )
    result.tables.append(
        Table(
            "Memory (RSS MiB of each server's process group) at the start and end of each phase",
            ["phase", "process", "start", "end", "peak", "growth %"],
            [
                [name, process, m["start"], m["end"], m["peak"], m["growth_pct"]]
                for name, d in phases_run
                for process, m in d["memory"].items()
            ],
        )
    )
    groups = [f"{process} {name}" for name, d in phases_run for process in d["memory"]]
    result.charts.append(
        Chart(
            "RSS at the start and end of each load phase (MiB)",
            "MiB",
            groups,
            {moment: [m[moment] for _, d in phases_run for m in d["memory"].values()] for moment in ("start", "end")},
        )
    )
    soak = result.data.get("soak")
    if soak:
        growth = max(m["growth_pct"] or 0 for m in soak["memory"].values())
        verdict = "flat" if growth < RSS_GROWTH_TARGET else "GROWING"
        result.notes.append(
            f"soak: RSS growth {growth:+.1f} % at most ({verdict}; target < {RSS_GROWTH_TARGET:g} %), "
            f"{soak['lost']} message(s) lost, {soak['errors']} error(s)"
        )
    for name, d in phases_run:
        before, after = d["load_avg_1m"]
        result.notes.append(f"{name}: machine load average (1 min) {before:.1f} before, {after:.1f} after")
        if d["errors_by_kind"]:
            result.notes.append(f"{name} errors: " + ", ".join(f"{k} × {n}" for k, n in d["errors_by_kind"].items()))
    result.notes.append(
        "users hold the held-out conversations (tests/data/conversations/heldout.yml) of their "
        "variety, one sender id each; an error is no response within 60 s, a non-200, an empty reply or only "
        "the channel's 'try again'; lost = answered 200 but no user turn in the tracker store"
    )
