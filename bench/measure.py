"""Small measuring tools shared by the sections: percentiles, bounded timing loops, process memory."""

from __future__ import annotations

import ast
import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.answers import reply_text
from settings import ROOT


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


def group_cpu_s(leader: int) -> float:
    """CPU time (user + system, seconds) used so far by every process in the process group `leader`."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == leader:
                fields = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
        except (ProcessLookupError, PermissionError, FileNotFoundError, IndexError, ValueError):
            continue
    return total / ticks


def _try_again_texts() -> frozenset[str]:
    """What the REST channel says when the assistant produced no reply (channels.whole_replies.TRY_AGAIN), read
    from its source: that module imports Rasa, which this environment does not have."""
    tree = ast.parse((ROOT / "channels" / "whole_replies.py").read_text(encoding="utf-8"))
    value = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TRY_AGAIN" for t in node.targets)
    )
    return frozenset(ast.literal_eval(value).values())


TRY_AGAIN = _try_again_texts()


def problem(code: int, replies: list[dict[str, Any]]) -> str:
    """Why a reply is not an answer ("" when it is): no response, an HTTP error, nothing said, or only the
    channel's "try again" (the assistant produced no reply in time: the citizen got no answer either)."""
    if code != 200:
        return f"HTTP {code}" if code else "no response"
    texts = [str(reply.get("text") or "").strip() for reply in replies]
    if not reply_text(replies).strip():
        return "empty reply"
    return "asked to try again" if all(text in TRY_AGAIN for text in texts if text) else ""
