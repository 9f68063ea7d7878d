"""The flood guard remembers a bounded number of users, and forgets a user once their window has passed,
without letting a flooding user through while others write."""

from __future__ import annotations

from bot.flood import MAX_USERS, FloodGuard, Verdict


def test_memory_stays_bounded_with_many_users() -> None:
    now = [0.0]
    guard = FloodGuard(limit=8, window=10.0, clock=lambda: now[0])
    for user in range(100_000):
        assert guard.check(user) == Verdict.ALLOW
        now[0] += 0.00001  # 100,000 users within one second
    assert len(guard) <= MAX_USERS
    now[0] += 10.0  # everyone's window has passed
    assert guard.check(1) == Verdict.ALLOW and len(guard) == 1


def test_a_flooding_user_stays_silenced_while_others_write() -> None:
    now = [0.0]
    guard = FloodGuard(limit=8, window=10.0, clock=lambda: now[0])
    verdicts = [guard.check(1) for _ in range(9)]
    assert verdicts[-1] == Verdict.WARN
    for user in range(2, 5_000):
        guard.check(user)
    now[0] = 9.0
    assert guard.check(1) == Verdict.DROP  # still within the window of the first messages
    now[0] = 19.5  # the window after the last message passes: heard again
    assert guard.check(1) == Verdict.ALLOW
