"""Which of the five varieties a message is written in: ar, ary, ary_Latn, fr or en.

The answer language follows it, so a wrong guess is felt at once by the citizen. The script decides the
family (Arabic letters -> ar/ary, Latin -> ary_Latn/fr/en); inside a family a character n-gram naive Bayes
model, trained at first use from the project's own NLU examples (data/nlu/<variety>/*.yml), is helped by
marker words that only one variety uses ("wach", "dyal", "كيفاش", "ديال" ...) and by Arabizi digits inside
words ("3afak", "ch7al"). The same data always gives the same model: files are read in sorted order.

A message without letters (empty, emoji, digits) gets `default`, `ar` unless the caller says otherwise: Arabic
is the first official language and the one every citizen can be answered in; callers that know the
conversation's language (the Rasa component reads the client's metadata) pass it instead.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.text import normalise

__all__ = ["identify", "scores", "read_examples", "VARIETIES", "DEFAULT"]

VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
DEFAULT = "ar"
ARABIC_FAMILY = ("ar", "ary")
LATIN_FAMILY = ("ary_Latn", "fr", "en")
DATA = Path(__file__).resolve().parents[1] / "data" / "nlu"
ORDERS = (1, 2, 3, 4)
SMOOTHING = 0.1
# Log-likelihood added per marker word found: strong evidence, but several n-grams can still outvote one.
MARKER_WEIGHT = 10.0
_MARKER_WORDS: dict[str, str] = {
    "ary": """
        شنو اشنو اش واش كيفاش فين فينا امتى وقتاش فوقاش شحال علاش شكون ديال ديالي ديالك ديالو بغيت بغينا
        باغي كاين كاينه ماكاينش عندي عندك دابا غادي غاد بزاف مزيان واخا عافاك هاد هادي هادا هادشي ليا ليك
        خاص خاصني خصني كنبغي كيخص نعرف نقدر تقدر نمشي نخلص ندير ناخد عطيني قوليا قولي كولي هضر تاع
        والو لاباس بسلامه ف ايه صاحبي اصاحبي خويا اخويا صافي حنا نتا نتي نتوما هوما شي شوية ماشي مابغيتش ماعرفتش الفوروم
    """,
    "ar": """
        ما ماذا متى كيف اين أين هل لماذا الذي التي هذا هذه ذلك تلك اريد أريد أود اود يمكنني يمكن
        نعم ليس لست سوف سيتم شكرا جزيلا عن إلى الى لكم لي من فضلك رجاء ارجو ارغب هناك ينعقد يقام
    """,
    "ary_Latn": """
        wach wash chno chnou achno kifach kifash fin fine imta emta ch7al chhal 3lach chkoun dyal dial diyal
        bghit bghina baghi kayn kayna 3andi 3ndi daba ghadi bzaf bezaf mzyan wakha 3afak afak had hadi hada
        hadchi khass khassni n3ref nakhod ndir ndiro 3tini goli 9oli salam slm labas bslama safi chi chwiya
        walo lmoltaqa l3chiya lforum nhar m3a 3la mn f l li lli khoya sahbi
    """,
    "fr": """
        je tu il elle nous vous ils est sont le la les un une des du de au aux et ou où qui que quoi quel
        quelle quels quelles comment combien quand pourquoi pour avec sur dans mon ma mes votre vos bonjour
        bonsoir merci oui non c'est est-ce j'ai faut peut puis veux voudrais savoir ce cette
    """,
    "en": """
        i you he she we they is are am the a an and or what which who when where why how much many can could
        would should do does did my your please thanks thank hello hi yes no want need know about is it's
        there this that of to in on at for with
    """,
}
# Compared with normalised words, so the lists are normalised too ("أين" -> "اين").
MARKERS: dict[str, frozenset[str]] = {v: frozenset(normalise(w) for w in ws.split()) for v, ws in _MARKER_WORDS.items()}
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile("[a-zà-ÿ]")
_WORD = re.compile(r"[\w']+")
_ARABIZI_DIGIT = re.compile(r"[a-z][2-9]|[2-9][a-z]")
_DIGIT_WORD = re.compile(r"\b\d+(?:[.:h]\d+)?\b")


def _ngrams(text: str) -> Counter[str]:
    """Character n-grams (orders 1-4) of each word padded with spaces, digits-only words dropped."""
    grams: Counter[str] = Counter()
    for word in _WORD.findall(_DIGIT_WORD.sub(" ", text)):
        padded = f" {word} "
        for n in ORDERS:
            grams.update(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def read_examples(folder: Path) -> list[tuple[str, str]]:
    """(intent, sentence) of every example in the Rasa NLU files of one folder, in sorted file order."""
    examples: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in content.get("nlu", []) or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((str(block["intent"]), line[2:].strip()))
    return examples


class _Model:
    """Multinomial naive Bayes over character n-grams, one class per variety."""

    def __init__(self, examples: dict[str, list[str]]) -> None:
        self.counts: dict[str, Counter[str]] = {}
        for variety in VARIETIES:
            grams: Counter[str] = Counter()
            for sentence in examples.get(variety, []):
                grams.update(_ngrams(normalise(sentence)))
            self.counts[variety] = grams
        self.vocabulary = len(set().union(*self.counts.values())) or 1
        self.totals = {v: sum(c.values()) for v, c in self.counts.items()}

    def log_likelihood(self, variety: str, grams: Counter[str]) -> float:
        """Log P(text | variety) under add-`SMOOTHING` smoothing."""
        counts, denominator = self.counts[variety], self.totals[variety] + SMOOTHING * self.vocabulary
        return sum(n * math.log((counts.get(g, 0) + SMOOTHING) / denominator) for g, n in grams.items())


@lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model({variety: [s for _, s in read_examples(DATA / variety)] for variety in VARIETIES})


def scores(text: str, model: _Model | None = None) -> dict[str, float]:
    """Per-variety score of the candidate family (higher is better); {} when the text has no letters."""
    text = normalise(text)
    arabic, latin = len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
    if not arabic and not latin:
        return {}
    family = ARABIC_FAMILY if arabic >= latin else LATIN_FAMILY
    grams = _ngrams(text)
    words = _WORD.findall(text)
    model = model or _model()
    result: dict[str, float] = {}
    for variety in family:
        score = model.log_likelihood(variety, grams)
        score += MARKER_WEIGHT * sum(word in MARKERS[variety] for word in words)
        if variety == "ary_Latn":
            score += MARKER_WEIGHT * len(_ARABIZI_DIGIT.findall(text))
        result[variety] = score
    return result


def identify(text: object, default: str = DEFAULT) -> str:
    """The variety of `text`: one of ar, ary, ary_Latn, fr, en; `default` when it has no letters."""
    ranked = scores(normalise(text))
    if not ranked:
        return default
    return max(sorted(ranked), key=lambda variety: ranked[variety])
