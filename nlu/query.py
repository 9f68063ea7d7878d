"""A citizen's question as e5 reads it, and the NLU's vector of it handed to the action server (issue 13).

Two processes embed the question with multilingual-e5 (`nlu.e5`): Rasa's NLU for its sentence feature
(`nlu.components.sentence_embedder`) and the action server for the dense ranking of the knowledge search
(`knowledge.search`), where that forward was 56 % of the CPU under 32 users. So the NLU writes its vector into
the message's parse data (`QueryVector`, under QUERY_VECTOR), Rasa sends it to the actions with the latest
message, and the search takes it instead of embedding, but only for the very text and model it came from.
That works when both embed the same text, hence one definition of that text, `dense_form`, used by both.

The text is the knowledge index's own form (`index_form`: normalised, French accents dropped, the form the
passages were embedded in), for Latin Darija its transliteration to Arabic script: e5 reads "chno howa" as
noise (+0.06 recall@1 for ary_Latn). The letter rules alone spell it, not the vocabulary the Rasa model's
transliterator learnt, since the action server has no Rasa model.

Plain module (no Rasa, no settings): both environments import it.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlu.arabizi import transliterate
from nlu.langid import identify
from nlu.text import has_latin, normalise, strip_accents

__all__ = ["QUERY_VECTOR", "QueryVector", "dense_form", "forms", "index_form"]

# The parse-data key (Rasa's latest_message of the action call). The tracker store drops it
# (`privacy.events`): it is derived from what the citizen wrote, and of no use once the turn is answered.
QUERY_VECTOR = "query_vector"


def index_form(text: str) -> str:
    """Normalised, French accents dropped too: citizens mostly type "cout", "biometrique", "reclamation"."""
    return strip_accents(normalise(text))


def forms(text: str, lang: str | None = None) -> list[str]:
    """The index form of `text`, plus its transliteration when it is Latin Darija (no duplicates)."""
    base = index_form(text)
    result = [base]
    # Only Latin letters can be Arabizi: Arabic script skips the language model (its MSA/Darija step is the
    # costly part of `identify`, ~1.4 ms, and which of the two it is does not matter here).
    if lang == "ary_Latn" or (has_latin(text) and identify(text) == "ary_Latn"):
        arabic = index_form(transliterate(text))
        if arabic and arabic != base:
            result.append(arabic)
    return result


def dense_form(text: str, lang: str | None = None) -> str:
    """What e5 embeds for the question `text` in variety `lang` (detected when None): its last form,
    so Latin Darija in Arabic script only (its Latin form still feeds the word rankings)."""
    return forms(text, lang)[-1]


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
