"""Keeping the servers up: one that dies is restarted after a back-off while the other serves on.

Before, `stack serve` stopped both servers when one exited (a crash of Rasa took the action server down
with it, and the reverse) and nothing restarted them. Now each server has its own restart schedule
(1, 2, 4 ... 30 s); a run that lasted longer than `Backoff.quick` resets it, and only `give_up_after`
quick failures in a row stop the stack, with a message naming the server and its log tail. Each event is
one structured log line (`stack.supervise`: server, code, failures, restart_in_s).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from stack.servers import Server, answers

log = logging.getLogger("stack.supervise")


class GaveUp(RuntimeError):
    """A server failed too often in a row; the message says which, how often, and ends with its log tail."""


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0  # seconds before the first restart
    cap: float = 30.0  # longest wait between restarts
    quick: float = 60.0  # a run shorter than this (or never healthy) is a quick failure
    give_up_after: int = 5  # quick failures in a row that stop the stack

    def delay(self, failures: int) -> float:
        return min(self.cap, self.first * 2 ** (failures - 1))


class Supervised:
    """One server and its restart state; `check()` is called about every second by the watch loop."""

    def __init__(self, server: Server, health_timeout: float, backoff: Backoff = Backoff()) -> None:
        self.server, self.health_timeout, self.backoff = server, health_timeout, backoff
        self.failures = 0
        self.started = time.monotonic()
        self.healthy = True  # the stack starts the servers and waits for them first
        self.restart_at: float | None = None

    def check(self, now: float | None = None) -> None:
        """Notice a death or a restart that never became healthy, restart when due; GaveUp when it is hopeless."""
        now = time.monotonic() if now is None else now
        if self.restart_at is not None:
            if now >= self.restart_at:
                self._restart(now)
            return
        process = self.server.process
        if process is not None and process.poll() is None:
            if not self.healthy:
                self._probe(now)
            return
        self._failed(now, code=process.returncode if process is not None else None)

    def _probe(self, now: float) -> None:
        if answers(self.server.health_url):
            self.healthy = True
            log.info("server back", extra={"server": self.server.name, "after_s": round(now - self.started, 1)})
        elif now - self.started > self.health_timeout:
            log.warning(
                "server restarted but not answering: stopping it",
                extra={"server": self.server.name, "waited_s": round(now - self.started, 1)},
            )
            self.server.stop()
            self._failed(now, code=None)

    def _failed(self, now: float, code: int | None) -> None:
        quick = not self.healthy or now - self.started < self.backoff.quick
        self.failures = self.failures + 1 if quick else 1
        if self.failures >= self.backoff.give_up_after:
            log.error(
                "server keeps failing: giving up",
                extra={"server": self.server.name, "code": code, "failures": self.failures},
            )
            raise GaveUp(
                f"{self.server.name} failed {self.failures} times in a row (last exit code {code}); "
                f"see its log {self.server.log_path}\n{self.server.log_tail()}"
            )
        delay = self.backoff.delay(self.failures)
        log.warning(
            "server exited",
            extra={"server": self.server.name, "code": code, "failures": self.failures, "restart_in_s": delay},
        )
        self.restart_at, self.healthy = now + delay, False

    def _restart(self, now: float) -> None:
        log.info("server restarting", extra={"server": self.server.name, "failures": self.failures})
        self.restart_at, self.started = None, now
        self.server.start()
