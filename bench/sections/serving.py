"""Section 4e: the message path, fast against old, side by side in one run (issue 13).

Two systems on the same code, index and machine: `old path` is this checkout with BERKANE_FAST_PATH=none and a
model with the policies of main 2400039 (bench.servers.OLD_PATH: RulePolicy + MemoizationPolicy + TEDPolicy,
Rasa's validator built per action response, the `action_validate_slot_mappings` round trip on every message,
one e5 forward per search); `fast path` is the default. For each system:
- one citizen, a fresh sender per question, over a mixed set (forum, services, programme, small talk in every
  variety, tests/data/e2e): p50/p95;
- one 300-turn conversation (one sender, 50 of those questions over and over, so turns 1-50 and 251-300 ask
  the same ones): p95 of turns 1-50 against turns 251-300, and the tracker's size;
- 1, 8 and 32 citizens sending as fast as replies come, 60 s each (10 s with --quick): msg/s, p50/p95, errors
  (an HTTP error, an empty reply or the channel's "try again"), CPU ms per message of each server process
  (its whole process group, from /proc), and RSS at the end;
- cold start: from launching both servers to the first answer.
The two systems run one after the other (never at the same time: they share 2 cores with other work).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.answers import VARIETIES, Item, load_set
from bench.context import Options, Result, Skip, Table
from bench.measure import group_cpu_s, percentile, problem, summary_ms
from bench.questions import answer_sets
from bench.servers import Fleet, Running

# Their own names and state directories (bench/work/var-<name>/): another run's `ours` is never touched.
SYSTEMS = {"oldpath": "old path", "fastpath": "fast path"}
LEVELS = (1, 8, 32)
LONG_TURNS = 300
WINDOW = 50  # turns compared at the start and the end of the long conversation


def mixed_questions(options: Options) -> list[Item]:
    """Every set of tests/data/e2e (forum with its programme, services, small talk), every variety, spread."""
    per_set = options.bound(8, 2)
    chosen: list[Item] = []
    for path in answer_sets(options.extra_sets):
        mine = load_set(path)
        for lang in VARIETIES:
            of_lang = [item for item in mine if item.lang == lang]
            chosen += of_lang[:: max(1, len(of_lang) // per_set)][:per_set]
    return chosen


def send(running: Running, text: str, sender: str, timeout: float = 60) -> tuple[float, str]:
    """One REST message: its duration (s) and why it is not an answer ("" when it is)."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(running.webhook, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            code, replies = response.status, json.loads(response.read().decode("utf-8") or "[]")
    except urllib.error.HTTPError as error:
        code, replies = error.code, []
    except OSError:
        code, replies = 0, []
    return time.perf_counter() - started, problem(code, replies if isinstance(replies, list) else [])


def one_user(running: Running, items: list[Item]) -> dict[str, Any]:
    durations, errors = [], 0
    for item in items:
        seconds, why = send(running, item.text, f"bench-one-{uuid.uuid4().hex[:10]}")
        durations.append(seconds)
        errors += bool(why)
    return {**summary_ms(durations), "errors": errors}


def tracker_kib(running: Running, sender: str) -> float | None:
    """The size of a conversation's tracker as Rasa sends it to the action server (all events, JSON)."""
    url = f"http://127.0.0.1:{running.rasa_port}/conversations/{sender}/tracker?token={running.rasa.token}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return round(len(response.read()) / 1024, 1)
    except OSError:
        return None


def long_conversation(running: Running, texts: list[str], turns: int) -> dict[str, Any]:
    """One sender for `turns` turns, asking WINDOW questions (spread over the mixed set) over and over, so the
    first and the last WINDOW turns ask the same questions and differ only by the conversation behind them."""
    sender = f"bench-long-{uuid.uuid4().hex[:10]}"
    cycle = [texts[index * len(texts) // WINDOW] for index in range(WINDOW)] if len(texts) > WINDOW else texts
    durations, errors = [], 0
    for turn in range(turns):
        seconds, why = send(running, cycle[turn % len(cycle)], sender)
        durations.append(seconds * 1000)
        errors += bool(why)
    first, last = durations[:WINDOW], durations[-WINDOW:]
    p95_first, p95_last = percentile(first, 95), percentile(last, 95)
    return {
        "turns": turns,
        "errors": errors,
        "p95_first_ms": p95_first,
        "p95_last_ms": p95_last,
        "ratio": round(p95_last / p95_first, 2) if p95_first else None,
        "tracker_kib": tracker_kib(running, sender),
    }


def concurrent(running: Running, users: int, texts: list[str], seconds: float) -> dict[str, Any]:
    """`users` senders, each sending as soon as its reply came, for `seconds`; CPU per message per server."""
    tickets, lock = itertools.count(), threading.Lock()
    durations: list[float] = []
    problems: list[str] = []
    deadline = time.monotonic() + seconds

    def user(number: int) -> None:
        sender = f"bench-serving-{users}-{number}-{uuid.uuid4().hex[:8]}"
        while time.monotonic() < deadline:
            with lock:
                ticket = next(tickets)
            took, why = send(running, texts[ticket % len(texts)], sender)
            with lock:
                durations.append(took)
                if why:
                    problems.append(why)

    cpu_before = {name: group_cpu_s(server.process.pid) for name, server in servers(running).items()}
    started = time.monotonic()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    wall = time.monotonic() - started
    answered = len(durations) - len(problems)
    cpu = {
        f"cpu_ms_{name}": round((group_cpu_s(server.process.pid) - cpu_before[name]) * 1000 / max(1, len(durations)), 1)
        for name, server in servers(running).items()
    }
    return {
        **summary_ms(durations),
        "errors": len(problems),
        "msg_per_s": round(answered / wall, 2) if wall else None,
        **cpu,
        **{f"rss_{name}": round(mib) for name, mib in running.rss_mib().items()},
    }


def servers(running: Running) -> dict[str, Any]:
    return {"rasa": running.rasa, "actions": running.actions}


def measure(running: Running, options: Options, items: list[Item]) -> dict[str, Any]:
    texts = [item.text for item in items]
    data: dict[str, Any] = {"cold_start_s": round(running.cold_start_s, 1), "one_user": one_user(running, items)}
    data["long"] = long_conversation(running, texts, options.bound(LONG_TURNS, 60))
    for users in LEVELS:
        data[str(users)] = concurrent(running, users, texts, options.bound(60, 10))
    return data


def _ratio(new: float | None, old: float | None) -> str:
    return f"{new / old:.2f}x" if new is not None and old else "-"


def run(options: Options, fleet: Fleet) -> Result:
    result = Result("serving", "4f. Message path: fast against old (issue 13)")
    items = mixed_questions(options)
    if not items:
        raise Skip("no answer sets in tests/data/e2e yet")
    for name in SYSTEMS:
        running = fleet.get(name)
        result.data[name] = measure(running, options, items)
        running.stop()  # never two systems at once on the shared cores
        fleet.running.pop(name, None)
    old, new = result.data["oldpath"], result.data["fastpath"]
    turns = new["long"]["turns"]
    rows = [
        ["one user p50 (ms)", old["one_user"]["p50_ms"], new["one_user"]["p50_ms"]],
        ["one user p95 (ms)", old["one_user"]["p95_ms"], new["one_user"]["p95_ms"]],
        ["turns 1-50 p95 (ms)", old["long"]["p95_first_ms"], new["long"]["p95_first_ms"]],
        [f"turns {turns - 49}-{turns} p95 (ms)", old["long"]["p95_last_ms"], new["long"]["p95_last_ms"]],
        [f"turns {turns - 49}-{turns} p95 / turns 1-50 p95", old["long"]["ratio"], new["long"]["ratio"]],
        ["tracker at the last turn (KiB)", old["long"]["tracker_kib"], new["long"]["tracker_kib"]],
        ["cold start (s)", old["cold_start_s"], new["cold_start_s"]],
    ]
    for users in LEVELS:
        for key, label in (
            ("msg_per_s", "msg/s"),
            ("p50_ms", "p50 (ms)"),
            ("p95_ms", "p95 (ms)"),
            ("errors", "errors"),
            ("cpu_ms_rasa", "Rasa CPU ms/msg"),
            ("cpu_ms_actions", "actions CPU ms/msg"),
            ("rss_rasa", "Rasa RSS (MiB)"),
            ("rss_actions", "actions RSS (MiB)"),
        ):
            rows.append([f"{users} users: {label}", old[str(users)][key], new[str(users)][key]])
    result.tables.append(
        Table(
            "Old path (2400039's message path) and fast path, same code, index and machine",
            ["measure", "old path", "fast path", "fast / old"],
            [[*row, _ratio(row[2], row[1])] for row in rows],
        )
    )
    result.notes.append(
        f"{len(items)} mixed questions (tests/data/e2e, every set and variety), a fresh sender each; one "
        f"{options.bound(LONG_TURNS, 60)}-turn conversation cycling over {WINDOW} of them (its first and last "
        f"{WINDOW} turns ask the same questions); {options.bound(60, 10)} s per concurrency level; "
        "errors = HTTP error, empty reply or the channel's 'try again'; CPU and RSS of each server's process group"
    )
    return result
