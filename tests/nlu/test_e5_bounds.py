"""A long message costs the sentence embedder no more than a question of 64 tokens: before the cap, 4096
characters took 16 s of the NLU's single event loop, so every other citizen waited."""

from __future__ import annotations

import time

import numpy as np
import pytest

from nlu import e5


def best_of(text: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        e5.embed_queries([text])
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.parametrize("long_text", ["a." * 2048, "bonjour " * 512, "ب" * 100_000, "مرحبا بكم في الملتقى " * 200])
def test_a_long_message_costs_what_a_64_token_question_costs(long_text: str) -> None:
    e5.embed_queries(["warm up"])
    question = "kifach nakhod passport jdid w chhal kay khlas " * 8  # well over 64 tokens, ordinary words
    assert best_of(long_text) < 3 * best_of(question)


def test_the_meaning_of_a_long_message_comes_from_its_start() -> None:
    start = "Quel est le prix du passeport biométrique pour un adulte ?"
    padded, alone = e5.embed_queries([start + " merci" * 2000, start])
    other = e5.embed_queries(["Où se tient le forum des villes intelligentes ?"])[0]
    assert float(np.dot(padded, alone)) > float(np.dot(padded, other)) + 0.05
