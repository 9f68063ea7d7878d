"""Locust users for the load section (bench/sections/load.py): citizens holding whole conversations over REST.

Each user is one citizen with its own sender id, writing in one of the five varieties (users take them in
turn, so every variety gets the same share), and plays the held-out conversations of that variety one after
the other (tests/data/conversations/heldout.yml, the benchmark's own set): typed turns as written, a `press`
turn as the payload of the offered button it names, so follow-ups and choices hit the dialogue state as a real
conversation does. A reply counts as an error when it is not HTTP 200 or holds no text.

Started by the load section as
`locust -f bench/locustfile.py --headless --host http://127.0.0.1:PORT --journal FILE [--pace R] ...`;
at the end it writes FILE (JSON): every request's duration and outcome and, per sender, the messages sent and
the ones answered 200, which the section compares with the user turns the tracker store holds.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from locust import HttpUser, events, task
from locust.exception import StopTest
from locust.user.wait_time import constant_throughput

from bench.answers import VARIETIES
from bench.measure import problem as reply_problem
from bench.sections.conversations import HELDOUT, Conversation, Turn, load, pressed

WEBHOOK = "/webhooks/rest/webhook"
# Filled by the users, written to --journal when the test stops.
JOURNAL: dict[str, Any] = {"durations_ms": [], "errors": Counter(), "sent": Counter(), "answered": Counter()}
_numbers = itertools.count()


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--journal", default="", help="where to write the requests and per-sender counts (JSON)")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="messages per second per user (constant_throughput); 0: as fast as replies come",
    )
    parser.add_argument("--max-messages", type=int, default=0, help="stop the whole test after this many messages")
    parser.add_argument("--sender-prefix", default="load", help="start of every sender id (one phase, one prefix)")
    parser.add_argument("--conversations", default=str(HELDOUT), help="conversation file (tests/conversations format)")


@events.test_start.add_listener
def _started(**_: Any) -> None:
    JOURNAL["started_at"] = time.time()


@events.test_stop.add_listener
def _write_journal(environment: Any, **_: Any) -> None:
    path = environment.parsed_options.journal
    if path:
        Path(path).write_text(json.dumps({**JOURNAL, "stopped_at": time.time()}), encoding="utf-8")


class Citizen(HttpUser):
    """One citizen: one sender id, one variety, its conversations in a loop, one message per task run."""

    def wait_time(self) -> float:
        pace = self.environment.parsed_options.pace
        return self._paced(self) if pace else 0.0

    def on_start(self) -> None:
        options = self.environment.parsed_options
        number = next(_numbers)
        lang = VARIETIES[number % len(VARIETIES)]
        mine = [c for c in load(Path(options.conversations)) if c.lang == lang]
        if not mine:
            raise StopTest(f"no conversation in {lang} in {options.conversations}")
        start = (number // len(VARIETIES)) % len(mine)  # users of one variety start at different conversations
        self.conversations = itertools.cycle(mine[start:] + mine[:start])
        self.turns: list[Turn] = []
        self.previous: list[dict[str, Any]] = []
        self.sender = f"{options.sender_prefix}-{number}-{uuid.uuid4().hex[:8]}"
        self._paced = constant_throughput(options.pace) if options.pace else None

    def _next_text(self) -> str:
        """The next message of the conversation; a new conversation when this one ends or its button is missing."""
        while True:
            if not self.turns:
                conversation: Conversation = next(self.conversations)
                self.turns, self.previous = list(conversation.turns), []
            turn = self.turns.pop(0)
            text = turn.user or pressed(turn, self.previous)
            if text is not None:
                return text
            self.turns = []

    @task
    def say(self) -> None:
        limit = self.environment.parsed_options.max_messages
        if limit and sum(JOURNAL["sent"].values()) >= limit:
            raise StopTest(f"{limit} messages sent")
        text = self._next_text()
        JOURNAL["sent"][self.sender] += 1
        started = time.perf_counter()
        with self.client.post(
            WEBHOOK, json={"sender": self.sender, "message": text}, name="webhook", timeout=60, catch_response=True
        ) as response:
            self.previous = _replies(response)
            code = response.status_code
            problem = reply_problem(code, self.previous)
            if code == 200:
                JOURNAL["answered"][self.sender] += 1
            if problem:
                JOURNAL["errors"][problem] += 1
                response.failure(problem)
            else:
                response.success()
        JOURNAL["durations_ms"].append(round((time.perf_counter() - started) * 1000, 1))


def _replies(response: Any) -> list[dict[str, Any]]:
    """Rasa's REST replies, or none when the body is not the JSON list it should be."""
    try:
        body = response.json()
    except (ValueError, TypeError):  # not JSON, or no body at all (the connection failed)
        return []
    return body if isinstance(body, list) else []
