"""The one text normaliser of the project.

Citizens type the same word many ways: with or without hamza and diacritics, with tatweel or stretched
letters ("bzzzaaaf", "بززززاف"), Arabic-Indic digits, mixed case. Folding all of that to one form lets the
classifier, the lexicons and the knowledge search see one word instead of ten. Every part calls
`normalise`; nobody writes a second one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["ascii_digits", "has_arabic", "has_latin", "normalise", "strip_accents"]

# Arabic-Indic and Extended Arabic-Indic (Persian) digits
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ة": "ه",
        "ۃ": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        **_DIGITS,
    }
)
_DIGIT_FOLD = str.maketrans(_DIGITS)
# Harakat, superscript alef, Quranic marks, tatweel; and invisible direction / joiner marks that
# copy-paste from web pages leaves inside words.
_REMOVED = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
# A letter written three or more times in a row is emphasis ("bzzzaaaf", "شكرااااا"), never spelling.
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
# URLs and e-mail addresses keep their letters ("www.watiqa.ma" must stay a working address). A match starts
# only where a word starts (`(?<!\S)`), as it always did, so a long word without an address is tried once, not
# from each of its letters (which was quadratic: 8,000 dots took 9 s).
_ADDRESS = re.compile(r"(?<!\S)(?:\S*(?:www\.|://|@)\S*|\S+\.(?:ma|com|org|net|gov|fr)\b\S*)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile("[a-zA-Z\u00c0-\u024f]")


def _squeeze(text: str) -> str:
    """Squeeze elongated letters everywhere except inside web and e-mail addresses."""
    pieces, last = [], 0
    for match in _ADDRESS.finditer(text):
        pieces.append(_ELONGATION.sub(r"\1", text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_ELONGATION.sub(r"\1", text[last:]))
    return "".join(pieces)


def normalise(text: object) -> str:
    """Return the canonical form of a user's text (see docs/architecture.md, "Shared text functions").

    NFKC, Arabic letter folding, diacritics/tatweel/invisible marks removed, Arabic-Indic digits to ASCII,
    letters repeated 3+ times squeezed to one, lower case, whitespace collapsed. French accents are kept
    (use `strip_accents`). Accepts anything (None -> ""), never raises, linear in the length.
    """
    if text is None:
        return ""
    text = text if type(text) is str else str(text)
    return _normalise_short(text) if len(text) <= CACHED_LENGTH else _normalise(text)


# One message is normalised whole and word by word a few dozen times by the NLU's parts (language model,
# lexicons, Arabizi, the search's forms), 10 us each: short texts are remembered (issue 13).
CACHED_LENGTH = 256


@lru_cache(maxsize=8192)
def _normalise_short(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
    # Lone surrogates (broken emoji from some clients) cannot be normalised or encoded: drop them.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", text)
    text = _REMOVED.sub("", text.translate(_ARABIC_FOLD))
    text = _squeeze(text.lower())
    return _SPACES.sub(" ", text).strip()


def ascii_digits(text: str) -> str:
    """Arabic-Indic digits as ASCII, character for character: positions and every other character unchanged.

    For code that must read numbers (phone and ID numbers to mask) in text it keeps as the citizen wrote it.
    """
    return text.translate(_DIGIT_FOLD)


def strip_accents(text: str) -> str:
    """Remove Latin accents ("été" -> "ete") for loose French matching; Arabic letters are untouched."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = [c for c in decomposed if not (unicodedata.combining(c) and "\u0300" <= c <= "\u036f")]
    return unicodedata.normalize("NFC", "".join(kept))


def has_arabic(text: str) -> bool:
    """True when the text contains at least one Arabic letter."""
    return bool(_ARABIC_LETTER.search(text))


def has_latin(text: str) -> bool:
    """True when the text contains at least one Latin letter."""
    return bool(_LATIN_LETTER.search(text))
