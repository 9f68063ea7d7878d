"""Login attempts slowed after failures: a guesser gets a few tries, then waits longer and longer.

Failures are counted per account name and per client address (either one reaching the limit blocks), in
memory: a restart forgets them, which costs a guesser a restart of our server, not a way in.
"""

from __future__ import annotations

import threading
import time

FREE_FAILURES = 3  # wrong passwords allowed before the first wait
FIRST_WAIT = 2.0  # seconds after the first failure beyond the free ones, doubled each time
MAX_WAIT = 300.0
MAX_KEYS = 10_000


class LoginThrottle:
    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, time of the last failure)
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> float:
        """Seconds left before `keys` may try again (0: now)."""
        now = self._clock()
        with self._lock:
            return max((self._left(key, now) for key in keys), default=0.0)

    def _left(self, key: str, now: float) -> float:
        count, last = self._failures.get(key, (0, 0.0))
        if count < FREE_FAILURES:
            return 0.0
        delay = min(FIRST_WAIT * 2 ** (count - FREE_FAILURES), MAX_WAIT)
        return max(0.0, last + delay - now)

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:
                self._failures.clear()
            for key in keys:
                count, _ = self._failures.get(key, (0, 0.0))
                self._failures[key] = (count + 1, now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
