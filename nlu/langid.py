"""Which of the five varieties a message is written in: ar, ary, ary_Latn, fr or en.

The answer language follows it, so a wrong guess is felt at once by the citizen. The script decides the
family (Arabic letters -> ar/ary, Latin -> ary_Latn/fr/en); inside a family a character n-gram naive Bayes
model, trained from the project's own NLU examples (data/nlu/<variety>/*.yml), is helped by
marker words that only one variety uses ("wach", "dyal", "كيفاش", "ديال" ...) and by Arabizi digits inside
words ("3afak", "ch7al"). The same data always gives the same model: files are read in sorted order.

Between MSA and Darija, naive Bayes alone is weakest on short phrases ("جواب كامل", "بارك الله فيكم"): it
misfiled 4 % of MSA examples under 5-fold cross-validation. A logistic regression over the same evidence
(character n-grams, words, marker and hamza counts), trained on the same examples, is added to the Darija
score (`_ArabicDiscriminator`): cross-validated accuracy ar 0.962 -> 0.972, ary 0.972 -> 0.975.

Labelling rule of the data (training and held-out alike): a sentence is filed under `ary` only when something
in it is Darija (a word, a spelling such as "جايزة", the ma-...-sh negation); phrases that Darija and Modern
Standard Arabic share ("شكرا", "السلام عليكم", "المحاور الخمسة") are filed under `ar`, the variety every reader
of Arabic script is answered in. Otherwise the same string would carry two labels and no model could learn it.

Where the trained model comes from (`default_model`): the Rasa component `LanguageIdentifier` trains it at
`make train` and saves it in the Rasa model (`LanguageModel.save`: JSON and NumPy arrays, no pickle); the
Rasa server loads it from there (`use`), and `make train` also copies it to models/langid/ for the processes
without a Rasa model (the knowledge index, the action server), which load it once. When that copy is missing
or was trained from other examples or code than the checkout's (`training_digest`), the model is trained
from data/nlu at first use (about 4 s; files are read in sorted order, so the same data and code give the
same model). The copy is preferred because the two environments' scikit-learn versions fit the MSA/Darija
discriminator slightly differently (log-odds within 0.45; not one of the 4,928 examples and held-out
sentences is judged differently), and the copy is the very model the Rasa server uses.

A message without letters (empty, emoji, digits) gets `default`, `ar` unless the caller says otherwise: Arabic
is the first official language and the one every citizen can be answered in; callers that know the
conversation's language (the Rasa component reads the client's metadata) pass it instead.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from nlu.fingerprint import code_digest
from nlu.text import normalise

if TYPE_CHECKING:
    from nlu.tfidf import LinearModel, TfidfFeatures

__all__ = [
    "DATA",
    "DEFAULT",
    "SAVED",
    "VARIETIES",
    "LanguageModel",
    "default_model",
    "foreign_odds",
    "identify",
    "read_examples",
    "saved_model",
    "scores",
    "training_digest",
    "use",
]

VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
DEFAULT = "ar"
ARABIC_FAMILY = ("ar", "ary")
LATIN_FAMILY = ("ary_Latn", "fr", "en")
DATA = Path(__file__).resolve().parents[1] / "data" / "nlu"
SAVED = Path(__file__).resolve().parents[1] / "models" / "langid"  # copied there by `make train`
MODEL_FILE, ARRAYS_FILE = "langid.json", "langid.npz"
ORDERS = (1, 2, 3, 4)
SMOOTHING = 0.3
# Log-likelihood added per marker word found: strong evidence, but several n-grams can still outvote one.
MARKER_WEIGHT = 10.0
_MARKER_WORDS: dict[str, str] = {
    "ary": """
        شنو اشنو اش واش كيفاش فين فينا امتى وقتاش فوقاش شحال علاش شكون ديال ديالي ديالك ديالو بغيت بغينا
        باغي كاين كاينه ماكاينش عندي عندك دابا غادي غاد بزاف مزيان واخا عافاك هاد هادي هادا هادشي ليا ليك
        خاص خاصني خصني كنبغي كيخص نعرف نقدر تقدر نمشي نخلص ندير ناخد عطيني قوليا قولي كولي هضر تاع
        والو لاباس بسلامه ف ايه صاحبي اصاحبي خويا اخويا صافي حنا نتا نتي نتوما هوما شي شوية ماشي مابغيتش ماعرفتش الفوروم
        كيداير كيدايره كيدايرين داير دايره اللي معايا عليا فيا بيا براسي براسك كثر يوماين اينا اوكي اييه زعما ياك
        مازال مزال كاع بحال دغيا
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
# Darija morphology no MSA sentence uses: the negation circumfix ma-...-sh ("ماحتاجش", "ما فهمتش") and
# "f" glued to the article ("فالمدرسة" where MSA writes "في المدرسة"). Each match counts as a marker word.
_DARIJA_FORMS = re.compile(r"(?:^|\s)(?:ما ?(?!ال)\S{2,}ش|فال\S{3,})(?=\s|$)")
_ARABIZI_DIGIT = re.compile(r"[a-z][2-9]|[2-9][a-z]")
_DIGIT_WORD = re.compile(r"\b\d+(?:[.:h]\d+)?\b")
# Hamza seats are folded away by `normalise`, yet writing them is a habit of Modern Standard Arabic (half of
# our MSA examples carry one, a tenth of the Darija ones): counted on the raw text as one more feature.
_HAMZA = re.compile("[\u0621-\u0626]")
HAMZA_FEATURE, HAMZA_WEIGHT = "<hamza>", 6
# The discriminator's log-odds (Darija over MSA) count DISCRIMINATOR_WEIGHT naive-Bayes units each, shifted by
# DISCRIMINATOR_BIAS; both chosen under 5-fold cross-validation (the neighbours tried, weights 3.3-6.7 and
# shifts 0.5-1.0, give ar and ary 0.971-0.976 alike).
DISCRIMINATOR_WEIGHT, DISCRIMINATOR_BIAS = 4.0, 0.75


def _ngrams(text: str) -> Counter[str]:
    """Character n-grams (orders 1-4) of each word padded with spaces, digits-only words dropped."""
    grams: Counter[str] = Counter()
    for word in _WORD.findall(_DIGIT_WORD.sub(" ", text)):
        padded = f" {word} "
        for n in ORDERS:
            grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _features(raw: str) -> Counter[str]:
    """The n-grams of the normalised text plus the hamza count of the raw text."""
    grams = _ngrams(normalise(raw))
    hamzas = len(_HAMZA.findall(raw))
    if hamzas:
        grams[HAMZA_FEATURE] += HAMZA_WEIGHT * hamzas
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


def _evidence(raw: str) -> list[float]:
    """Counts naive Bayes also weighs: Darija and MSA marker words, Darija forms, hamzas of the raw text."""
    text = normalise(raw)
    words = _WORD.findall(text)
    return [
        sum(w in MARKERS["ary"] for w in words),
        sum(w in MARKERS["ar"] for w in words),
        len(_DARIJA_FORMS.findall(text)),
        len(_HAMZA.findall(raw)),
    ]


class _ArabicDiscriminator:
    """Logistic regression MSA (0) vs Darija (1) over tf-idf character 1-4-grams, words and `_evidence`."""

    EVIDENCE_SCALE = 0.5  # counts next to unit-length tf-idf rows
    C = 30.0

    def __init__(self, grams: Any, words: Any, classifier: Any) -> None:
        self.grams, self.words, self.classifier = grams, words, classifier

    @staticmethod
    def _vectorisers(grams: dict[str, int] | None = None, words: dict[str, int] | None = None) -> tuple[Any, Any]:
        """The character and word tf-idf vectorisers, unfitted or over the given vocabularies."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        return (
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, vocabulary=grams),
            TfidfVectorizer(analyzer="word", sublinear_tf=True, token_pattern=r"[\w']+", vocabulary=words),
        )

    @classmethod
    def fit(cls, msa: list[str], darija: list[str]) -> _ArabicDiscriminator:
        from sklearn.linear_model import LogisticRegression

        texts = msa + darija
        normalised = [normalise(t) for t in texts]
        grams, words = (vectoriser.fit(normalised) for vectoriser in cls._vectorisers())
        model = cls(grams, words, LogisticRegression(C=cls.C, max_iter=3000))
        model.classifier.fit(model._matrix(texts), [0] * len(msa) + [1] * len(darija))
        return model

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Vocabularies (JSON) and weights (arrays) that `from_state` rebuilds the discriminator from."""
        vocabularies = {
            name: {term: int(column) for term, column in vectoriser.vocabulary_.items()}
            for name, vectoriser in (("grams", self.grams), ("words", self.words))
        }
        return vocabularies, {
            "grams_idf": self.grams.idf_,
            "words_idf": self.words.idf_,
            "coef": self.classifier.coef_,
            "intercept": self.classifier.intercept_,
        }

    @classmethod
    def from_state(cls, vocabularies: dict[str, Any], arrays: Any) -> _ArabicDiscriminator:
        from sklearn.linear_model import LogisticRegression

        grams, words = cls._vectorisers(vocabularies["grams"], vocabularies["words"])
        grams.idf_, words.idf_ = arrays["grams_idf"], arrays["words_idf"]
        classifier = LogisticRegression(C=cls.C)
        classifier.classes_ = np.array([0, 1])
        classifier.coef_, classifier.intercept_ = arrays["coef"], arrays["intercept"]
        return cls(grams, words, classifier)

    def _matrix(self, texts: list[str]) -> Any:
        """The classifier's input as scikit-learn builds it (for `fit`)."""
        from scipy.sparse import csr_matrix, hstack

        normalised = [normalise(t) for t in texts]
        evidence = csr_matrix([[x * self.EVIDENCE_SCALE for x in _evidence(t)] for t in texts])
        return hstack([self.grams.transform(normalised), self.words.transform(normalised), evidence]).tocsr()

    @cached_property
    def _fast(self) -> tuple[TfidfFeatures, LinearModel]:
        from nlu.tfidf import LinearModel, TfidfFeatures  # scipy only where a discriminator is used

        return TfidfFeatures([self.grams, self.words]), LinearModel(self.classifier)

    def log_odds(self, raw: str) -> float:
        """Log-odds that `raw` is Darija rather than MSA: `decision_function` of `_matrix`, one text at a time
        without scikit-learn's per-call overhead (`nlu.tfidf`)."""
        sparse, linear = self._fast
        evidence = np.array(_evidence(raw), dtype=np.float64) * self.EVIDENCE_SCALE
        return float(linear.decision(sparse.row(normalise(raw)), evidence)[0])


class LanguageModel:
    """Multinomial naive Bayes over character n-grams, one class per variety, plus `_ArabicDiscriminator`
    between ar and ary.

    Built from {variety: sentences}; the evaluation builds one per cross-validation fold so that a test
    sentence is never judged by a model that learnt it. `trained_from` identifies the examples and code of
    the model trained on data/nlu (`training_digest`), "" for others."""

    def __init__(self, examples: dict[str, list[str]], trained_from: str = "") -> None:
        counts: dict[str, Counter[str]] = {}
        for variety in VARIETIES:
            grams: Counter[str] = Counter()
            for sentence in examples.get(variety, []):
                grams.update(_features(sentence))
            counts[variety] = grams
        msa, darija = examples.get("ar", []), examples.get("ary", [])
        self._set(counts, _ArabicDiscriminator.fit(msa, darija) if msa and darija else None, trained_from)

    def _set(
        self, counts: dict[str, Counter[str]], discriminator: _ArabicDiscriminator | None, trained_from: str
    ) -> None:
        self.counts, self.discriminator, self.trained_from = counts, discriminator, trained_from
        self.vocabulary = len(set().union(*self.counts.values())) or 1
        self.totals = {v: sum(c.values()) for v, c in self.counts.items()}
        self._log_probabilities = {v: self._log_probability_table(v) for v in self.counts}

    def _log_probability_table(self, variety: str) -> tuple[dict[str, float], float]:
        """log P(gram | variety) of each gram seen in `variety`, and of an unseen gram: taken once, not per
        gram of every message (the same floats `log_likelihood` summed before)."""
        counts, denominator = self.counts[variety], self.totals[variety] + SMOOTHING * self.vocabulary
        table = {gram: math.log((n + SMOOTHING) / denominator) for gram, n in counts.items()}
        return table, math.log(SMOOTHING / denominator)

    @classmethod
    def from_data(cls, folder: Path = DATA) -> LanguageModel:
        """The model of the NLU examples under `folder` (<variety>/*.yml)."""
        examples = {variety: [s for _, s in read_examples(folder / variety)] for variety in VARIETIES}
        return cls(examples, training_digest() if folder == DATA else "")

    def save(self, directory: Path) -> None:
        """n-gram counts and vocabularies as JSON, weights as NumPy arrays: plain data, no pickle to trust."""
        vocabularies, arrays = self.discriminator.state() if self.discriminator else ({}, {})
        (directory / MODEL_FILE).write_text(
            json.dumps(
                {"trained_from": self.trained_from, "counts": self.counts, "discriminator": vocabularies},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        np.savez(directory / ARRAYS_FILE, **arrays)

    @classmethod
    def load(cls, directory: Path) -> LanguageModel:
        """The model `save` wrote to `directory`."""
        meta = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        vocabularies = meta["discriminator"]
        discriminator = None
        if vocabularies:
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
                discriminator = _ArabicDiscriminator.from_state(vocabularies, arrays)
        model = cls.__new__(cls)
        model._set({v: Counter(meta["counts"].get(v, {})) for v in VARIETIES}, discriminator, meta["trained_from"])
        return model

    def log_likelihood(self, variety: str, grams: Counter[str]) -> float:
        """Log P(text | variety) under add-`SMOOTHING` smoothing (grams summed in their order)."""
        table, unseen = self._log_probabilities[variety]
        return sum(map(operator.mul, grams.values(), map(table.get, grams, repeat(unseen))))


def training_digest() -> str:
    """Identifies the examples (data/nlu) and the code (this module and what it imports) a model is made of."""
    return code_digest(__name__, extra=(DATA,))


_default: LanguageModel | None = None


def default_model() -> LanguageModel:
    """The model of data/nlu, once per process: the one `use` installed, else the saved copy of the Rasa
    model's when it matches the checkout, else trained now (see the module doc)."""
    global _default
    if _default is None:
        _default = saved_model(SAVED) or LanguageModel.from_data()
    return _default


def saved_model(directory: Path) -> LanguageModel | None:
    """The model saved in `directory` if it was trained on the checkout's examples and code, else None."""
    if not (directory / MODEL_FILE).is_file():
        return None
    model = LanguageModel.load(directory)
    return model if model.trained_from == training_digest() else None


def use(model: LanguageModel) -> None:
    """Make `model` the default of this process (the Rasa component installs the model it loaded, so the
    Arabizi transliterator, which asks `foreign_odds`, judges with the same one)."""
    global _default
    _default = model


def scores(text: str, model: LanguageModel | None = None) -> dict[str, float]:
    """Per-variety score of the candidate family (higher is better); {} when the text has no letters."""
    raw, text = text, normalise(text)
    arabic, latin = len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
    if not arabic and not latin:
        return {}
    family = ARABIC_FAMILY if arabic >= latin else LATIN_FAMILY
    grams = _features(raw)
    words = _WORD.findall(text)
    model = model or default_model()
    result: dict[str, float] = {}
    for variety in family:
        score = model.log_likelihood(variety, grams)
        score += MARKER_WEIGHT * sum(word in MARKERS[variety] for word in words)
        if variety == "ary":
            score += MARKER_WEIGHT * len(_DARIJA_FORMS.findall(text))
            if model.discriminator is not None:
                score += DISCRIMINATOR_WEIGHT * (model.discriminator.log_odds(raw) + DISCRIMINATOR_BIAS)
        if variety == "ary_Latn":
            score += MARKER_WEIGHT * len(_ARABIZI_DIGIT.findall(text))
        result[variety] = score
    return result


def foreign_odds(word: str, model: LanguageModel | None = None) -> float:
    """How much more French or English than Arabizi a single Latin word looks: the best of the fr and en
    log-likelihoods minus the ary_Latn one, per character n-gram (0 for a word without n-grams)."""
    grams = _ngrams(normalise(word))
    count = sum(grams.values())
    if not count:
        return 0.0
    model = model or default_model()
    foreign = max(model.log_likelihood("fr", grams), model.log_likelihood("en", grams))
    return (foreign - model.log_likelihood("ary_Latn", grams)) / count


def identify(text: object, default: str = DEFAULT, model: LanguageModel | None = None) -> str:
    """The variety of `text`: one of ar, ary, ary_Latn, fr, en; `default` when it has no letters.
    `model` defaults to the one trained on all of data/nlu."""
    ranked = scores(text if isinstance(text, str) else normalise(text), model)
    if not ranked:
        return default
    return max(sorted(ranked), key=lambda variety: ranked[variety])
