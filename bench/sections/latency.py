"""Section 4a: REST latency and throughput of our assistant at 1, 8 and 32 concurrent users.

Each level is bounded in requests and in time. Every virtual user keeps its own sender id (a conversation)
and sends realistic questions from the project's sets, one after the other, as fast as replies come.
"""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.context import Chart, Options, Result, Skip, Table
from bench.measure import summary_ms
from bench.questions import sample_questions
from bench.servers import Fleet, Running

LEVELS = (1, 8, 32)


def _load(running: Running, users: int, texts: list[str], max_requests: int, max_seconds: float) -> dict:
    """Run `users` senders until `max_requests` replies or `max_seconds`; durations, errors, msg/s."""
    tickets = itertools.count()
    lock = threading.Lock()
    durations: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + max_seconds

    def user(number: int) -> None:
        sender = f"bench-load-{users}-{number}-{time.monotonic_ns()}"
        while time.monotonic() < deadline:
            with lock:
                ticket = next(tickets)
            if ticket >= max_requests:
                return
            started = time.perf_counter()
            try:
                running.say(texts[ticket % len(texts)], sender=sender, timeout=60)
                with lock:
                    durations.append(time.perf_counter() - started)
            except OSError as error:
                with lock:
                    errors.append(type(error).__name__)

    started = time.monotonic()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    wall = time.monotonic() - started
    return {
        **summary_ms(durations),
        "errors": len(errors),
        "wall_s": round(wall, 1),
        "msg_per_s": round(len(durations) / wall, 2) if wall else None,
    }


def run(options: Options, fleet: Fleet) -> Result:
    result = Result("latency", "4a. REST latency and throughput (our assistant)")
    texts = sample_questions(100, options.extra_sets)
    if not texts:
        raise Skip("no questions in tests/data yet")
    running = fleet.get("ours")
    max_requests, max_seconds = options.bound(200, 16), options.bound(60, 10)
    result.notes.append(
        f"each level: at most {max_requests} requests or {max_seconds} s; "
        f"{len(texts)} distinct questions from tests/data; one sender per user"
    )
    for users in LEVELS:
        result.data[str(users)] = _load(running, users, texts, max_requests, max_seconds)
    rows = [
        [users, d["n"], d["p50_ms"], d["p95_ms"], d["p99_ms"], d["msg_per_s"], d["errors"]]
        for users, d in ((u, result.data[str(u)]) for u in LEVELS)
    ]
    result.tables.append(
        Table(
            "Latency per request (ms) and throughput",
            ["concurrent users", "requests", "p50", "p95", "p99", "msg/s", "errors"],
            rows,
        )
    )
    result.charts.append(
        Chart(
            "REST latency (ms)",
            "ms",
            [f"{u} concurrent" for u in LEVELS],
            {"p50": [r[2] for r in rows], "p95": [r[3] for r in rows], "p99": [r[4] for r in rows]},
        )
    )
    return result
