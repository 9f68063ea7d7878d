"""Which documents answer a user, and which language a reply falls back to (docs/architecture.md, "Languages").

Users write in five varieties; documents exist in three languages. The rule that maps one to the other was
written in five modules, so a change to one (a new variety, English documents) silently left the others
behind: the search, the actions, the document converter and the bot all read it from here now.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOCUMENT_LANGUAGES",
    "VARIETIES",
    "document_language",
    "document_languages",
    "localised",
    "reply_chain",
    "written_variety",
]

VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
DOCUMENT_LANGUAGES = ("ar", "fr", "en")
DEFAULT_LANGUAGE = "fr"  # an unknown variety is answered in French, the administration's second language

# Darija, in either script, is answered from the Modern Standard Arabic documents: it has no written standard.
_DOCUMENTS_OF = {"ar": "ar", "ary": "ar", "ary_Latn": "ar", "fr": "fr", "en": "en"}
# Few documents are written in English: an English reader gets the French one rather than nothing.
_DOCUMENT_FALLBACK = {"en": "fr"}
# Answers quote Arabic-script documents: an Arabizi reader gets Darija in Arabic script around them, so that one
# reply never mixes Latin labels with an Arabic body (which also lays out badly right to left).
_WRITTEN = {"ary_Latn": "ary"}
# A reply string missing in one variety is taken from the closest one the user can still read.
_REPLY_FALLBACK = {"ary_Latn": "ary", "ary": "ar", "ar": "fr", "fr": "ar", "en": "fr"}


def document_language(variety: str | None) -> str:
    """The language of the documents that answer a user writing in `variety` (French when unknown)."""
    return _DOCUMENTS_OF.get(variety or "", DEFAULT_LANGUAGE)


def document_languages(variety: str | None) -> list[str]:
    """The document languages to search for `variety`, preferred first (["en", "fr"] for English)."""
    first = document_language(variety)
    return [first] + ([_DOCUMENT_FALLBACK[first]] if first in _DOCUMENT_FALLBACK else [])


def localised(texts: Mapping[str, str], variety: str | None) -> str:
    """A text given per document language ({ar, fr, en}) for a user of `variety`: French when its language
    is missing, else whichever language there is ("" for none)."""
    return texts.get(document_language(variety)) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")


def reply_chain(variety: str | None) -> list[str]:
    """The varieties to try, in order, for a reply string: ary_Latn -> ary -> ar -> fr (unknown: from French)."""
    code = variety if variety in _REPLY_FALLBACK else DEFAULT_LANGUAGE
    chain: list[str] = []
    while code not in chain:
        chain.append(code)
        code = _REPLY_FALLBACK[code]
    return chain


def written_variety(variety: str | None) -> str | None:
    """The variety an answer's own words (labels, dates, questions, buttons) are written in for a user of
    `variety`: Arabizi users get Arabic-script Darija, everyone else their own variety."""
    return _WRITTEN.get(variety or "", variety)
