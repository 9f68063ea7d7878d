"""Per-user flood limit: more than `limit` messages in `window` seconds and the bot says "slow down" once,
then ignores that user until the window frees up (protects Rasa from one noisy chat).

The users are kept in a cachetools TTLCache: a user is forgotten `window` seconds after their last message
(nothing of it counts any more by then), and at most `max_users` are kept at once (least recently seen go
first), so the guard's memory stays bounded however many people write to the bot.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from cachetools import TTLCache

MAX_USERS = 10_000  # users writing within one window; past it the least recent start afresh


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # first message over the limit: answer "slow down"
    DROP = "drop"  # still over the limit: stay silent


@dataclass
class _Window:
    times: deque[float]  # the last `limit + 1` message times: enough to tell "over the limit"
    warned: bool = False


@dataclass
class FloodGuard:
    """Sliding window of message times per user id."""

    limit: int = 8
    window: float = 10.0
    clock: Callable[[], float] = time.monotonic
    max_users: int = MAX_USERS
    _users: TTLCache = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._users = TTLCache(self.max_users, self.window, timer=self.clock)

    def __len__(self) -> int:
        """Users currently remembered."""
        return len(self._users)

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        state = self._users.get(user_id) or _Window(deque(maxlen=self.limit + 1))
        while state.times and now - state.times[0] > self.window:
            state.times.popleft()
        state.times.append(now)
        self._users[user_id] = state  # (re)starts the user's time to live
        if len(state.times) <= self.limit:
            state.warned = False
            return Verdict.ALLOW
        if state.warned:
            return Verdict.DROP
        state.warned = True
        return Verdict.WARN
