"""Per-user flood limit: more than `limit` messages in `window` seconds and the bot says "slow down" once,
then ignores that user until the window frees up (protects Rasa from one noisy chat)."""
from __future__ import annotations

import time
from collections import deque
from enum import Enum
from typing import Callable


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"     # first message over the limit: answer "slow down"
    DROP = "drop"     # still over the limit: stay silent


class FloodGuard:
    """Sliding window of message times per user id."""

    def __init__(self, limit: int = 8, window: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        times.append(now)
        if len(times) <= self.limit:
            self._warned.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN
