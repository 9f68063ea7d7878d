"""Rasa's Redis lock store made safe for several Rasa servers: every change of a conversation's ticket lock
is done under a short Redis mutex.

Rasa 3.6's `RedisLockStore` issues a ticket by reading the lock, adding a ticket and writing it back, with no
atomicity between processes (RasaHQ/rasa#9213; the atomic "ConcurrentRedisLockStore" went to Rasa Pro, its
open-source version was reverted in #11428). Two servers taking messages of one sender at the same moment
both read the same lock and one overwrites the other's ticket: both turns then run at once, and the SQL
tracker store, which saves the events beyond the count already stored, drops the first turn's message
(found by tests/cluster: 18 of 20 messages sent at once were stored). Here issuing, refreshing and releasing
a ticket each hold `<prefix><sender>:mutex` (SET NX with a 5 s expiry, so a killed server cannot block a
conversation), which makes the read-modify-write atomic across servers.

A message waiting for its turn looks again every 50 ms instead of Rasa's 1 s: with 1 s, one sender's turns
were taken about one a second whatever their cost, and of 20 messages sent at once the last ones passed
Rasa's 30 s response timeout (`--response-timeout`) and were answered "try again", not stored.

Loaded by Rasa from the endpoints file (`lock_store: type: stack.cluster_lock.AtomicRedisLockStore`, the same
keys as `type: redis`; stack.cluster writes it). Rasa environment (imports Rasa).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.05  # how often a message waiting for its conversation's lock looks again
MUTEX_SECONDS = 5.0  # longest a server may hold a conversation's mutex (it holds it for a few Redis calls)


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket changes are atomic across processes (see the module docstring)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_SECONDS,
            sleep=0.005,
            blocking_timeout=MUTEX_SECONDS,
        )

    def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = POLL_SECONDS
    ) -> AbstractAsyncContextManager:
        return super().lock(conversation_id, lock_lifetime, min(wait_time_in_seconds, POLL_SECONDS))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
