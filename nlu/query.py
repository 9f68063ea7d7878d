"""A citizen's question as e5 reads it, and the NLU's vector of it handed to the action server (issue 13).

Two processes embed the question with multilingual-e5 (`nlu.e5`): Rasa's NLU for its sentence feature
(`nlu.components.sentence_embedder`) and the action server for the dense ranking of the knowledge search
(`knowledge.search`), where that forward was 56 % of the CPU under 32 users. So the NLU writes its vector into
the message's parse data (`QueryVector`, under QUERY_VECTOR), Rasa sends it to the actions with the latest
message, and the search takes it instead of embedding, but only for the very text and model it came from.
That works where both embed the same text, hence both texts are defined here, side by side.

Which text, measured on both sides (tests/data/retrieval; intent macro-F1 on tests/data/heldout and 5-fold
cross-validation on data/nlu; the conversation tests): French and English differ. The search reads them in
the knowledge index's form (`index_form`), the one its refusal margins were calibrated on (French as typed,
accents kept, answered questions it must refuse: a fishing licence got a watiqa.ma answer); the NLU reads them
as typed (`feature_form`: accents tell intents apart). Darija in Arabic script in the index form, on both
sides (as typed cost recall@1 0.885 -> 0.808; the NLU is as good either way). MSA as typed, on both sides (the
index form costs it 0.037 recall@1, 0.011 held-out F1 and 0.022 cross-validated). Latin Darija in Arabic
script spelt with the vocabulary of the Arabic-script examples, on both sides (`training_vocabulary`, the
one the Rasa model's transliterator learns: ary_Latn recall@1 0.904 -> 0.923; the letter rules alone cost the
NLU 0.013 cross-validated F1). The word rankings keep their own forms (`forms`: index form, transliteration
by the letter rules alone).

Plain module (no Rasa, no settings): both environments import it.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from nlu.arabizi import ArabicVocabulary, transliterate
from nlu.langid import DATA, VARIETIES, identify, read_examples
from nlu.text import has_arabic, has_latin, normalise, strip_accents

__all__ = [
    "QUERY_VECTOR",
    "QueryVector",
    "dense_form",
    "feature_form",
    "forms",
    "index_form",
    "search_forms",
    "training_vocabulary",
]

# The parse-data key (Rasa's latest_message of the action call). The tracker store drops it
# (`privacy.events`): it is derived from what the citizen wrote, and of no use once the turn is answered.
QUERY_VECTOR = "query_vector"


def index_form(text: str) -> str:
    """Normalised, French accents dropped too: citizens mostly type "cout", "biometrique", "reclamation"."""
    return strip_accents(normalise(text))


def _is_arabizi(text: str, lang: str | None) -> bool:
    # Only Latin letters can be Arabizi: Arabic script skips the language model (its MSA/Darija step is the
    # costly part of `identify`, ~1.4 ms, and which of the two it is does not matter here).
    return lang == "ary_Latn" or (has_latin(text) and identify(text) == "ary_Latn")


def _word_forms(text: str, arabizi: bool) -> list[str]:
    base = index_form(text)
    arabic = index_form(transliterate(text)) if arabizi else ""
    return [base, arabic] if arabic and arabic != base else [base]


def forms(text: str, lang: str | None = None) -> list[str]:
    """The index form of `text`, plus its transliteration when it is Latin Darija (no duplicates): what the
    word rankings and the index's FAQ lines are made of."""
    return _word_forms(text, _is_arabizi(text, lang))


def _as_typed(text: str) -> str:
    return " ".join(text.split())


def dense_form(text: str, lang: str | None, arabic: str | None = None) -> str:
    """What the knowledge search embeds for the question `text` in variety `lang` (see the module doc).
    `arabic` is the Arabic-script form of a Latin Darija text (`transliterate` with the training vocabulary),
    None otherwise."""
    if arabic:
        return index_form(arabic)
    return _as_typed(text) if lang == "ar" else index_form(text)


def feature_form(text: str, lang: str | None, arabic: str | None = None) -> str:
    """What the NLU's sentence feature embeds: the search's `dense_form` in Arabic script and Latin Darija,
    French and English as typed, because their accents tell intents apart: in the index form "Et où
    exactement ?" (where) reads "et ou exactement ?" (or) and lost its venue answer. Where the two forms
    are one text (every Arabic-script or Latin Darija question, a French or English one typed plainly), the
    NLU's vector is handed to the search."""
    if arabic or lang in ("ar", "ary"):
        return dense_form(text, lang, arabic)
    return _as_typed(text)


def search_forms(text: str, lang: str) -> tuple[list[str], str]:
    """The word forms (`forms`) and the dense form of a question, as the knowledge search reads it."""
    arabizi = _is_arabizi(text, lang)
    arabic = transliterate(text, training_vocabulary()) if arabizi else None
    return _word_forms(text, arabizi), dense_form(text, lang, arabic)


@cache
def training_vocabulary() -> ArabicVocabulary:
    """The Arabic words of the Arabic-script examples of data/nlu: what the Rasa model's ArabiziTransliterator
    learns from the same examples (tests/rasa_env/test_nlu_query_vector.py), for the processes without it."""
    examples = (sentence for variety in VARIETIES for _, sentence in read_examples(DATA / variety))
    return ArabicVocabulary.from_texts(sentence for sentence in examples if has_arabic(sentence))


@dataclass(frozen=True)
class QueryVector:
    """The e5 query vector of `text` (a `dense_form`) by `model`, as the NLU computed it.

    In the parse data it is {"text", "model", "vector"}, the vector as base64 of its float32 values
    (little-endian): 2 KiB for e5-small's 384. float32 and not float16 (half that) because the search then
    ranks with the very numbers it would compute itself, so a hint cannot move an answer or the refusal
    rule's margins (calibrated to 0.0125); the message it rides with weighs more anyway."""

    text: str
    model: str
    vector: np.ndarray  # one float32 row

    def as_parse_data(self) -> dict[str, str]:
        values = np.ascontiguousarray(self.vector, dtype="<f4").reshape(-1)
        return {"text": self.text, "model": self.model, "vector": base64.b64encode(values.tobytes()).decode("ascii")}

    @classmethod
    def from_parse_data(cls, parse_data: Any) -> QueryVector | None:
        """The vector a parse result carries; None when it has none or it is not one (the search then embeds)."""
        data = parse_data.get(QUERY_VECTOR) if isinstance(parse_data, dict) else None
        if not isinstance(data, dict):
            return None
        text, model, encoded = data.get("text"), data.get("model"), data.get("vector")
        if not (isinstance(text, str) and isinstance(model, str) and isinstance(encoded, str)):
            return None
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return None
        if not raw or len(raw) % 4:
            return None
        vector = np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(1, -1)
        return cls(text, model, vector) if np.isfinite(vector).all() else None

    def fits(self, form: str, model: str, dim: int) -> bool:
        """Whether this is the embedding of `form` by `model` (of `dim` values): the only case it may replace one."""
        return self.text == form and self.model == model and self.vector.shape == (1, dim)
