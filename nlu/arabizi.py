"""Latin-script Darija ("Arabizi": `kifach nakhod 3a9d l izdiyad?`) to Arabic script.

Many Moroccans write Darija with Latin letters and digits (3 = ع, 7 = ح, 9 = ق ...). Writing it back in
Arabic script lets the Arabizi sentence share words with Arabic-script Darija and with the Arabic
documents (`عقد الازدياد`). Frequent words come from a lexicon (their vowels are not predictable), the rest
from letter rules; French and English words inside Darija ("passport", "rendez-vous") are left as they are.
The output is normalised with `nlu.text.normalise`.

Letter rules cannot know which vowels Arabic leaves unwritten: "mahawir" becomes "ماهاوير" where Arabic writes
"محاور". Given an `ArabicVocabulary` (words seen in Arabic script, e.g. the Arabic-script NLU examples), a
rule-spelt word is replaced by the known word with the same consonant skeleton that differs least from it
("mahawir" -> "محاور", "ma3louma" -> "معلومه"): tf-idf and e5 then see the words the Arabic examples use.

French words are recognised by a list, by their endings, and beyond those by the language identifier's
character n-grams (`nlu.langid.foreign_odds`): "axes", "panels", "timbre" stay Latin instead of becoming
"اكسس"; the multilingual embedding knows them in Latin.

Together the two took the Arabizi intent macro-F1 under 5-fold cross-validation (`nlu.evaluate --folds 5`)
from 0.890 to 0.928 (vocabulary alone: 0.89 -> 0.92 in a faster offline replica of the pipeline).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from nlu.langid import foreign_odds
from nlu.text import normalise

__all__ = ["ArabicVocabulary", "is_foreign_word", "skeleton", "transliterate"]

# Frequent Darija words whose short vowels the letter rules would get wrong. Keys are normalised Latin.
LEXICON: dict[str, str] = {
    # question words
    "kifach": "كيفاش",
    "kifash": "كيفاش",
    "kifech": "كيفاش",
    "kif": "كيف",
    "kifax": "كيفاش",
    "fin": "فين",
    "fen": "فين",
    "fine": "فين",
    "mnin": "منين",
    "imta": "امتى",
    "emta": "امتى",
    "imeta": "امتى",
    "fo9ach": "فوقاش",
    "fou9ach": "فوقاش",
    "w9tach": "وقتاش",
    "wa9tach": "وقتاش",
    "ch7al": "شحال",
    "che7al": "شحال",
    "sh7al": "شحال",
    "chhal": "شحال",
    "wach": "واش",
    "wash": "واش",
    "chno": "شنو",
    "chnou": "شنو",
    "chnu": "شنو",
    "achno": "اشنو",
    "ach": "اش",
    "chkoun": "شكون",
    "chkon": "شكون",
    "3lach": "علاش",
    "3lah": "علاه",
    "ina": "اينا",
    "aina": "اينا",
    "ayna": "اينا",
    "chi": "شي",
    "chwiya": "شوية",
    # verbs and pronouns
    "bghit": "بغيت",
    "bghina": "بغينا",
    "nbghi": "نبغي",
    "baghi": "باغي",
    "bgha": "بغا",
    "3andi": "عندي",
    "3andek": "عندك",
    "3ndi": "عندي",
    "3ndk": "عندك",
    "3ndek": "عندك",
    "kayn": "كاين",
    "kayna": "كاينة",
    "kaynin": "كاينين",
    "makaynch": "ماكاينش",
    "ana": "انا",
    "nta": "نتا",
    "nti": "نتي",
    "howa": "هو",
    "hiya": "هي",
    "7na": "حنا",
    "ntouma": "نتوما",
    "huma": "هوما",
    "homa": "هوما",
    "ndir": "ندير",
    "dir": "دير",
    "ndiro": "نديرو",
    "nakhod": "ناخد",
    "nakhed": "ناخد",
    "nekhod": "ناخد",
    "nkhalas": "نخلص",
    "nkhles": "نخلص",
    "nkhless": "نخلص",
    "nkhalles": "نخلص",
    "khlas": "خلاص",
    "n3ref": "نعرف",
    "n3rf": "نعرف",
    "na3ref": "نعرف",
    "3ref": "عرف",
    "gol": "كول",
    "goli": "كولي",
    "golia": "كولي",
    "9oli": "قولي",
    "9ol": "قول",
    "3tini": "عطيني",
    "3atini": "عطيني",
    "3awni": "عاوني",
    "3awnini": "عاونني",
    "sme7li": "سمحلي",
    "sma7li": "سمحلي",
    "mchi": "مشي",
    "nmchi": "نمشي",
    "ghadi": "غادي",
    "gha": "غا",
    "ghan": "غان",
    "ykoun": "يكون",
    "ikon": "يكون",
    "ikoun": "يكون",
    "kayen": "كاين",
    "jib": "جيب",
    "njib": "نجيب",
    "ndfa3": "ندفع",
    "khass": "خاص",
    "khasni": "خاصني",
    "khassni": "خاصني",
    "t9dar": "تقدر",
    "n9der": "نقدر",
    "n9dar": "نقدر",
    "tsawal": "تسول",
    "tchouf": "تشوف",
    "nchouf": "نشوف",
    "chouf": "شوف",
    # particles and frequent words
    "dyal": "ديال",
    "dial": "ديال",
    "diyal": "ديال",
    "dyali": "ديالي",
    "dyalek": "ديالك",
    "d": "د",
    "l": "ل",
    "el": "ال",
    "al": "ال",
    "f": "ف",
    "fi": "في",
    "b": "ب",
    "w": "و",
    "wa": "و",
    "ou": "و",
    "m3a": "مع",
    "3la": "على",
    "3el": "عل",
    "mn": "من",
    "men": "من",
    "min": "من",
    "hta": "حتى",
    "7ta": "حتى",
    "had": "هاد",
    "hadi": "هادي",
    "hada": "هادا",
    "hadak": "هاداك",
    "hadchi": "هادشي",
    "li": "اللي",
    "lli": "اللي",
    "illi": "اللي",
    "walo": "والو",
    "bzaf": "بزاف",
    "bezaf": "بزاف",
    "mzyan": "مزيان",
    "mezyan": "مزيان",
    "mzyana": "مزيانة",
    "wakha": "واخا",
    "iyeh": "ايه",
    "ih": "ايه",
    "eh": "ايه",
    "la": "لا",
    "lla": "لا",
    "safi": "صافي",
    "daba": "دابا",
    "db": "دابا",
    "ghda": "غدا",
    "lyoum": "اليوم",
    "lyom": "اليوم",
    "lbare7": "البارح",
    "nhar": "نهار",
    "sba7": "صباح",
    "sbah": "صباح",
    "l3chiya": "العشية",
    "l3achiya": "العشية",
    "lil": "الليل",
    "3afak": "عافاك",
    "3fak": "عافاك",
    "afak": "عافاك",
    "choukran": "شكرا",
    "chokran": "شكرا",
    "shukran": "شكرا",
    "baraka": "بارك",
    "allah": "الله",
    "llah": "الله",
    "salam": "سلام",
    "slm": "سلام",
    "bslama": "بسلامة",
    "beslama": "بسلامة",
    "labas": "لاباس",
    "khoya": "خويا",
    "khouya": "خويا",
    "okhti": "اختي",
    "sahbi": "صاحبي",
    "flous": "فلوس",
    "lflous": "الفلوس",
    "tomobil": "توموبيل",
    "tonobil": "توموبيل",  # borrowed from French, spelt the Darija way
    "wra9": "وراق",
    "lwra9": "الوراق",
    "lwera9": "الوراق",
    "lkaghit": "الكاغيط",
    "kaghit": "كاغيط",
    "wa9t": "وقت",
    "lwa9t": "الوقت",
    "9ad": "قد",
    "9dach": "قداش",
    "gadach": "قداش",
    "mdina": "مدينة",
    "lmdina": "المدينة",
    "berkane": "بركان",
    "barkan": "بركان",
    "brkan": "بركان",
    "lmoltaqa": "الملتقى",
    "moltaqa": "ملتقى",
    "lmolta9a": "الملتقى",
    "molta9a": "ملتقى",
    # citizen services words
    "3a9d": "عقد",
    "3qd": "عقد",
    "l3a9d": "العقد",
    "izdiyad": "ازدياد",
    "lizdiyad": "الازدياد",
    "ezdiyad": "ازدياد",
    "lazdiyad": "الازدياد",
    "tabi3a": "البطاقة",
    "lbita9a": "البطاقة",
    "bita9a": "بطاقة",
    "lbtaqa": "البطاقة",
    "btaqa": "بطاقة",
    "lbta9a": "البطاقة",
    "bta9a": "بطاقة",
    "wataniya": "الوطنية",
    "lwataniya": "الوطنية",
    "jawaz": "جواز",
    "ljawaz": "الجواز",
    "safar": "السفر",
    "sfar": "السفر",
    "chikaya": "شكاية",
    "chakwa": "شكاية",
    "rokhsa": "رخصة",
    "rokhas": "رخص",
    "lbni": "البني",
    "bni": "بني",
    "ssakan": "السكن",
    "sokna": "سكنى",
    "chahada": "شهادة",
    "cha7ada": "شهادة",
    "l9iyada": "القيادة",
    "moqata3a": "مقاطعة",
    "lmoqata3a": "المقاطعة",
    "l3amala": "العمالة",
    "lbaladiya": "البلدية",
    "lbaladia": "البلدية",
}

# Common French and English words that also appear inside Darija sentences; left in Latin script.
FOREIGN_WORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "bonjour",
        "bonsoir",
        "c",
        "ca",
        "ça",
        "carte",
        "ce",
        "cette",
        "cest",
        "c'est",
        "combien",
        "comment",
        "de",
        "des",
        "du",
        "en",
        "est",
        "et",
        "faire",
        "je",
        "j'ai",
        "la",
        "le",
        "les",
        "mon",
        "ma",
        "mes",
        "merci",
        "ne",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "quand",
        "que",
        "quel",
        "quelle",
        "qui",
        "rendez",
        "rendez-vous",
        "sur",
        "un",
        "une",
        "vous",
        "votre",
        "passport",
        "passeport",
        "permis",
        "forum",
        "smart",
        "city",
        "cities",
        "ville",
        "villes",
        "programme",
        "inscription",
        "inscrire",
        "site",
        "internet",
        "portail",
        "en",
        "ligne",
        "online",
        "application",
        "app",
        "formulaire",
        "dossier",
        "demande",
        "document",
        "documents",
        "papier",
        "papiers",
        "copie",
        "acte",
        "extrait",
        "certificat",
        "attestation",
        "bureau",
        "service",
        "services",
        "prix",
        "frais",
        "delai",
        "délai",
        "jours",
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "what",
        "how",
        "where",
        "when",
        "which",
        "who",
        "can",
        "i",
        "you",
        "my",
        "your",
        "for",
        "with",
        "on",
        "at",
        "it",
        "do",
        "does",
        "please",
        "thanks",
        "thank",
        "hello",
        "hi",
        "yes",
        "no",
        "ok",
        "okay",
        "id",
        "card",
        "fee",
        "fees",
        "cost",
        "price",
        "office",
        "day",
        "date",
        "time",
        "email",
        "mail",
        "pdf",
        "rdv",
        "cin",
        "cnie",
        "rsu",
        "rnp",
        "cnss",
        "dgi",
        "cndp",
        "idarati",
        "watiqa",
        "chikaya",
        "rokhas",
        "chafafiya",
        "damancom",
        "simpl",
    ]
)
_FRENCH_SHAPE = re.compile(
    r"[éèêëàâîïôûùç]|(?:tion|tions|ment|ments|eur|eurs|ique|iques|aire|eau|eaux|ette|elle|oire|ance|ence)$"
)
_ENGLISH_SHAPE = re.compile(r"(?:ing|ness|ship|ity|ed|ly)$")
# The look-behinds start a match only where its run of characters starts (the same matches: a match inside a
# run implies one from the run's start), so a long run without a space costs linear, not quadratic, time.
_ADDRESS = re.compile(r"(?<![\w.-])[\w.-]+\.(?:ma|com|org|net|gov|fr)\b|www\.\S+|https?://\S+|(?<!\S)\S+@\S+")
_LATIN_WORD = re.compile(r"(?<![a-zà-ÿ0-9'])[a-zà-ÿ0-9']*[a-zà-ÿ][a-zà-ÿ0-9']*|[0-9]+[a-zà-ÿ0-9']*")
# Letter rules, longest first. Vowels: a/i/ou/o/u are written (long in Darija), e is a short vowel and dropped.
_RULES: tuple[tuple[str, str], ...] = (
    ("ch", "ش"),
    ("sh", "ش"),
    ("gh", "غ"),
    ("kh", "خ"),
    ("ou", "و"),
    ("oo", "و"),
    ("ee", "ي"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("3'", "غ"),
    ("7'", "خ"),
    ("9'", "ق"),
    ("2", "ء"),
    ("3", "ع"),
    ("5", "خ"),
    ("7", "ح"),
    ("8", "ه"),
    ("9", "ق"),
    ("a", "ا"),
    ("b", "ب"),
    ("c", "ك"),
    ("d", "د"),
    ("e", ""),
    ("f", "ف"),
    ("g", "ك"),
    ("h", "ه"),
    ("i", "ي"),
    ("j", "ج"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("o", "و"),
    ("p", "ب"),
    ("q", "ق"),
    ("r", "ر"),
    ("s", "س"),
    ("t", "ت"),
    ("u", "و"),
    ("v", "ف"),
    ("w", "و"),
    ("x", "كس"),
    ("y", "ي"),
    ("z", "ز"),
    ("'", ""),
)
_RULE_PATTERN = re.compile("|".join(re.escape(latin) for latin, _ in _RULES))
_RULE_MAP = dict(_RULES)
_DOUBLED = re.compile(r"([^\W\d_])\1")
_CONSONANT = r"[^aeiouy\W]"
# "o" before two consonants is a short vowel, not written: "lkhobz" -> الخبز, "3omri" -> عمري.
_SHORT_O = re.compile(rf"o(?={_CONSONANT}{_CONSONANT})")
# A final "a" after two consonants is the feminine ending: "khdma" -> خدمة (normalised خدمه), "wa7da" -> واحدة.
_FEMININE = re.compile(rf"(?<=.{_CONSONANT}{_CONSONANT})a$")


# Consonant skeleton: letters a Latin spelling cannot tell apart share a class (h = ه or ح, s = س or ص, g = ك
# or ق ...); long vowels, alef and hamza seats are dropped (Arabizi writes short vowels Arabic does not).
_SKELETON_CLASSES = {
    letter: key
    for letters, key in (("هح", "H"), ("سصث", "S"), ("تط", "T"), ("دضذ", "D"), ("زظ", "Z"), ("كق", "K"))
    for letter in letters
}
_SKELETON_DROPPED = frozenset("اويءئؤأإآى")
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
SNAP_MIN_LENGTH = 3  # Latin letters; shorter words are too ambiguous to snap
# A word of FOREIGN_MIN_LENGTH letters or more whose n-grams are this much likelier (per n-gram, natural log)
# French or English than Arabizi is left in Latin; chosen under cross-validation (0.3: +0.016 macro-F1, one
# Darija word in 760 sentences misjudged, "thella").
FOREIGN_MARGIN, FOREIGN_MIN_LENGTH = 0.3, 4


def skeleton(arabic_word: str) -> str:
    """The consonant skeleton of a normalised Arabic word (a final ه, the feminine ending, dropped)."""
    letters: list[str] = []
    for letter in arabic_word:
        if letter in _SKELETON_DROPPED:
            continue
        key = _SKELETON_CLASSES.get(letter, letter)
        if not letters or letters[-1] != key:
            letters.append(key)
    if len(letters) > 1 and arabic_word.endswith("ه"):
        letters.pop()
    return "".join(letters)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


class ArabicVocabulary:
    """Arabic-script words with their counts, looked up by consonant skeleton (see the module doc)."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        self._by_skeleton: dict[str, list[str]] = {}
        for word in sorted(self.counts):
            key = skeleton(word)
            if len(key) >= 2:
                self._by_skeleton.setdefault(key, []).append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> ArabicVocabulary:
        """Count the Arabic words of `texts` (and of the Arabizi lexicon); a word with the article also counts
        without it, so "الخدمات" lets "khadamat" be found."""
        counts: Counter[str] = Counter()
        for text in [*texts, *LEXICON.values()]:
            for word in _ARABIC_WORD.findall(normalise(text)):
                counts[word] += 1
                if word.startswith("ال") and len(word) > 3:
                    counts[word[2:]] += 1
        return cls(counts)

    def snap(self, ruled: str) -> str | None:
        """The known word closest to the rule spelling `ruled` with the same skeleton; None if there is none."""
        candidates = self._by_skeleton.get(skeleton(ruled))
        if not candidates:
            return None
        return min(candidates, key=lambda word: (_edit_distance(word, ruled), -self.counts[word]))


def is_foreign_word(word: str) -> bool:
    """True for a French or English word (list, typical ending, or n-grams) that Arabizi rules must not touch."""
    if any(ch.isdigit() for ch in word) or word in LEXICON:
        return False
    return (
        word in FOREIGN_WORDS
        or bool(_FRENCH_SHAPE.search(word))
        or (len(word) > 5 and bool(_ENGLISH_SHAPE.search(word)))
        or (len(word) >= FOREIGN_MIN_LENGTH and foreign_odds(word) > FOREIGN_MARGIN)
    )


def _by_rules(word: str) -> str:
    """Spell one Darija word in Arabic letters: initial vowel becomes alef, doubled consonants single."""
    word = _DOUBLED.sub(r"\1", word)
    initial_vowel = word[:1] in "aeiou"
    word = _SHORT_O.sub("", _FEMININE.sub("ة", word))
    body = _RULE_PATTERN.sub(lambda m: _RULE_MAP.get(m.group(), m.group()), word)
    if initial_vowel and not body.startswith("ا"):
        body = "ا" + body
    return body


def _spell(word: str, vocabulary: ArabicVocabulary | None) -> str:
    """Letter rules, snapped to a known word when a vocabulary is given and the word is long enough."""
    ruled = _by_rules(word)
    if vocabulary is None or len(word) < SNAP_MIN_LENGTH:
        return ruled
    return vocabulary.snap(ruled) or ruled


def _word(word: str, vocabulary: ArabicVocabulary | None = None) -> str:
    """Transliterate one Latin token (lexicon, then the article `l`+word, then letter rules)."""
    if word in LEXICON:
        return LEXICON[word]
    if word.isdigit() or is_foreign_word(word):
        return word
    if len(word) > 3 and word[0] == "l" and word[1] not in "aeiouy":
        noun = word[1:]
        return "ال" + (LEXICON[noun] if noun in LEXICON else _spell(noun, vocabulary)).removeprefix("ال")
    return _spell(word, vocabulary)


def transliterate(text: object, vocabulary: ArabicVocabulary | None = None) -> str:
    """Return `text` with its Latin Darija words in Arabic script, normalised.

    Arabic-script words, numbers, web addresses and French/English words are kept. The separate article
    ("l izdiyad", "el bita9a") is joined to its noun as Arabic writes it ("الازدياد"). With a `vocabulary`,
    rule-spelt words become the known words they match (see the module doc). Never raises.
    """
    text = normalise(text)
    out: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        out.append(_convert(text[last : match.start()], vocabulary))
        out.append(match.group())
        last = match.end()
    out.append(_convert(text[last:], vocabulary))
    return normalise("".join(out))


def _convert(chunk: str, vocabulary: ArabicVocabulary | None) -> str:
    """Transliterate the Latin words of a chunk that holds no web address."""
    converted = _LATIN_WORD.sub(lambda m: _word(m.group(), vocabulary), chunk)
    # join the article to its noun: "ال ازدياد" -> "الازدياد", "ل ازدياد" -> "الازدياد"
    return re.sub(r"(?<!\S)(?:ال|ل) (?=[\u0621-\u064a])", "ال", converted)
