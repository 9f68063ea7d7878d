"""The forms of a text that the index sees, built only from the shared nlu functions.

A Latin-Darija text ("ch7al l passport") is matched in two forms: as typed (for French loan words, names,
acronyms) and transliterated to Arabic script (to meet the Arabic documents). Nothing here normalises on its
own: `nlu.text.normalise` and `nlu.arabizi.transliterate` do the work.
"""
from __future__ import annotations

import re

from nlu.arabizi import transliterate
from nlu.langid import identify
from nlu.text import has_latin, normalise, strip_accents

TOKEN_RE = re.compile(r"\w+", re.UNICODE)

# Function words of the five varieties (in index form: normalised, no accents). They say how a question is
# asked, not what it is about (question words such as "fin", "imta", "chkoun", "ch7al", "where" are kept:
# they tell the venue from the dates); Darija and Arabizi ones are frequent on the FAQ lines (short
# rows, so BM25 rewards them) and pulled the wrong document ("l forum ghadi ...", "chkoun li ..."). They are
# left out of the lexical query and of the refusal rule's content words; the dense ranking still reads them.
STOP_WORDS = frozenset("""
    ديال ديالي ديالك ديالو ديالها ديالنا ديالكم ديالهم ديالهوم شنو شنوا اشنو اش واش
    غادي غاد اللي لي هاد هادي هادا هادو هادشي بغيت بغينا نبغي نعرف بغيت عافاك كاين
    كاينه كاينين شي حاجه ولا علي في من الي و ف ل ب مع عند عندي هو هي ما هل التي الذي الذين هذا
    هذه ذلك تلك عن او ان لا انا انت ليا ليه ليك فيه فيها عليه عليها دابا بزاف راه راني نقدر واقيلا يعني ماشي
    هاذ هاذي هاذا
    dyal dial dyali dyalek dyalk dyalo dyalha dyalna dyalkom dyalhom chno chnou chnu chnow achno ach wach
    wash ghadi ghad gha li lli
    had hadi hada hadou hadchi bghit bghina nbghi n3ref n3rf 3afak kayn kayna kaynin chi wla 3la 3lih 3liha fi
    f l b m3a 3nd 3ndi howa hiya ana nta lia lik fih fiha ma mn men o w daba bzaf rah rani n9der nqder ya3ni
    machi
    le la les de du des un une et ou a au aux en est sont que qui quoi quel quelle quels quelles comment pour
    par sur dans avec ce cet cette ces je j tu il elle on nous vous me moi mon ma mes ton ta tes se sa son ses
    leur leurs y ne pas plus c qu s n t m
    the a an of to in on at for and or is are was were be been what which do does did
    i me my you your it its this that these those there can could with about s from by will would should
""".split())


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


def tokens(text: str) -> list[str]:
    """Word tokens of an already normalised text."""
    return TOKEN_RE.findall(text)


def content_words(words: list[str]) -> list[str]:
    """`words` without the function words (all of them when nothing else is left: "chno howa" still matches)."""
    kept = [word for word in words if word not in STOP_WORDS]
    return kept or words


def char_grams(words: list[str], low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams inside word boundaries: they catch acronyms, names and inflected forms (CNIE, rokhas)."""
    grams: list[str] = []
    for word in words:
        padded = f"<{word}>"
        for size in range(low, high + 1):
            grams.extend(padded[i:i + size] for i in range(max(len(padded) - size + 1, 1)))
    return grams
