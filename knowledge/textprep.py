"""The forms of a text that the index sees, built only from the shared nlu functions.

A Latin-Darija text ("ch7al l passport") is matched in two forms: as typed (for French loan words, names,
acronyms) and transliterated to Arabic script (to meet the Arabic documents). Nothing here normalises on its
own: `nlu.text.normalise` and `nlu.arabizi.transliterate` do the work.
"""
from __future__ import annotations

import re

from nlu.arabizi import transliterate
from nlu.langid import identify
from nlu.text import normalise, strip_accents

TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def index_form(text: str) -> str:
    """Normalised, French accents dropped too: citizens mostly type "cout", "biometrique", "reclamation"."""
    return strip_accents(normalise(text))


def forms(text: str, lang: str | None = None) -> list[str]:
    """The index form of `text`, plus its transliteration when it is Latin Darija (no duplicates)."""
    base = index_form(text)
    variety = lang if lang == "ary_Latn" else identify(text)
    result = [base]
    if variety == "ary_Latn":
        arabic = index_form(transliterate(text))
        if arabic and arabic != base:
            result.append(arabic)
    return result


def tokens(text: str) -> list[str]:
    """Word tokens of an already normalised text."""
    return TOKEN_RE.findall(text)


def char_grams(words: list[str], low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams inside word boundaries: they catch acronyms, names and inflected forms (CNIE, rokhas)."""
    grams: list[str] = []
    for word in words:
        padded = f"<{word}>"
        for size in range(low, high + 1):
            grams.extend(padded[i:i + size] for i in range(max(len(padded) - size + 1, 1)))
    return grams
