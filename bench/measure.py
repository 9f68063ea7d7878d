"""Small measuring tools shared by the sections: percentiles, bounded timing loops, process memory."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50/p95/p99/mean in milliseconds and the count, from durations in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": sum(ms) / len(ms) if ms else None,
    }


def time_calls(call: Callable[[int], object], max_calls: int, max_seconds: float, warmup: int = 1) -> list[float]:
    """Durations (s) of `call(i)`, stopping after `max_calls` calls or `max_seconds`, whichever comes first.

    The first `warmup` calls are made but not counted (lazy loading and caches would skew the median).
    """
    for i in range(warmup):
        call(i)
    durations: list[float] = []
    deadline = time.monotonic() + max_seconds
    for i in range(max_calls):
        started = time.perf_counter()
        call(i)
        durations.append(time.perf_counter() - started)
        if time.monotonic() > deadline:
            break
    return durations


def _status_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def group_rss_mib(leader: int) -> float:
    """Resident memory (MiB) of every process in the process group `leader` (a server and its children).

    The servers are started in their own session, so their process group id is the leader's pid.
    """
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == leader:
                total += _status_rss_kib(int(entry.name))
        except (ProcessLookupError, PermissionError):
            continue
    return total / 1024
