"""A long message cannot stall the server: the text steps every message goes through take time proportional
to its length. Measured as the time for twice the text over the time for the text (about 2 when linear, 4
when quadratic), never as an absolute time the machine's load would decide."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from channels.cleaning import clean_text
from nlu.arabizi import transliterate
from nlu.sentences import split_sentences
from nlu.text import normalise
from privacy.redact import redact

# Shapes that made a pattern retry a whole word from each of its letters (100,000 letters without a space
# and a 1 MiB message were the probe's), and ordinary text.
SHAPES = {
    "letters": "a",
    "dots": ".",
    "digits": "1",
    "letters and dots": "a.",
    "at signs": "@",
    "address-like": "ab.c-d+",
    "arabic": "بركان",
    "apostrophes": "'",
    "ordinary": "Bonjour, mon numéro est 06 12 34 56 78 et ma CIN AB123456. ",
}
STEPS: dict[str, Callable[[str], object]] = {
    "normalise": normalise,
    "redact": redact,
    "clean_text": clean_text,
    "transliterate": transliterate,
    "split_sentences": split_sentences,
}


def fastest(step: Callable[[str], object], text: str, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        step(text)
        best = min(best, time.perf_counter() - started)
    return best


def text_of(shape: str, size: int, tail: str = "") -> str:
    return (SHAPES[shape] * (size // len(SHAPES[shape]) + 1))[: size - len(tail)] + tail


def ratio_of_doubling(step: str, shape: str, size: int, tail: str = "", attempts: int = 3) -> float:
    """time(2 * size) / time(size), the best of a few attempts: the machine's other work can only slow one
    measurement down, while a quadratic step is slow in every attempt."""
    ratios = []
    for _ in range(attempts):
        small, large = text_of(shape, size, tail), text_of(shape, 2 * size, tail)
        ratios.append(fastest(STEPS[step], large) / max(fastest(STEPS[step], small), 1e-6))
        if ratios[-1] < 3:
            break
    return min(ratios)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("tail", ["", "@x"])
def test_time_grows_linearly_with_long_words(step: str, shape: str, tail: str) -> None:
    """100,000 letters without a space, and the like: 2**17 then 2**18 characters."""
    ratio = ratio_of_doubling(step, shape, 2**17, tail)
    assert ratio < 3, f"{step} on {shape!r}{tail!r}: twice the text takes {ratio:.1f} times as long"


@pytest.mark.parametrize("shape", ["letters", "dots", "ordinary"])
@pytest.mark.parametrize("step", STEPS)
def test_time_grows_linearly_up_to_a_mebibyte(step: str, shape: str) -> None:
    ratio = ratio_of_doubling(step, shape, 2**19, "@x")
    assert ratio < 3, f"{step} on {shape!r}: 1 MiB takes {ratio:.1f} times as long as 512 KiB"


def test_addresses_still_keep_their_letters_and_identifiers_are_still_masked() -> None:
    assert (
        normalise("Visitez WWW.WATIQAAA.MA ou ecrivez a aaa@gmaiil.com, c'est gratuiiit")
        == "visitez www.watiqaaa.ma ou ecrivez a aaa@gmaiil.com, c'est gratuit"
    )
    assert redact("x a@b.ma+c@d.ma, 0612345678 AB123456") == "x [email][email], [phone] [id]"
