"""Arabizi to Arabic script: an Arabizi question must share words with Arabic-script Darija and with the
Arabic documents ("3a9d l izdiyad" -> "عقد الازدياد"). Expected forms are normalised (ة -> ه, ى -> ي)."""

from __future__ import annotations

import pytest

from nlu.arabizi import ArabicVocabulary, is_foreign_word, skeleton, transliterate

WORDS = {
    # frequent Darija words (lexicon)
    "kifach": "كيفاش",
    "fin": "فين",
    "imta": "امتي",
    "ch7al": "شحال",
    "bghit": "بغيت",
    "dyal": "ديال",
    "wach": "واش",
    "chno": "شنو",
    "3afak": "عافاك",
    "salam": "سلام",
    "bslama": "بسلامه",
    "mzyan": "مزيان",
    "bzaf": "بزاف",
    "daba": "دابا",
    "ghadi": "غادي",
    "kayn": "كاين",
    "3andi": "عندي",
    "khoya": "خويا",
    "3lach": "علاش",
    "chkoun": "شكون",
    "nakhod": "ناخد",
    "3a9d": "عقد",
    "izdiyad": "ازدياد",
    "l3chiya": "العشيه",
    "lmoltaqa": "الملتقي",
    "jawaz": "جواز",
    "berkane": "بركان",
    # letter rules: digits, digraphs, article, short o, feminine ending
    "jdid": "جديد",
    "9rib": "قريب",
    "b3id": "بعيد",
    "7na": "حنا",
    "sba7": "صباح",
    "lbit": "البيت",
    "dar": "دار",
    "mchit": "مشيت",
    "jit": "جيت",
    "drari": "دراري",
    "5dam": "خدام",
    "lkhobz": "الخبز",
    "3omri": "عمري",
    "khdma": "خدمه",
    "wa7da": "واحده",
    "lmdina": "المدينه",
    "tomobil": "توموبيل",
    "ghir": "غير",
    "chouf": "شوف",
    "sma3": "سماع",
}


@pytest.mark.parametrize("latin,arabic", sorted(WORDS.items()))
def test_word(latin: str, arabic: str) -> None:
    assert transliterate(latin) == arabic


@pytest.mark.parametrize(
    "latin,arabic",
    [
        ("kifach nakhod 3a9d l izdiyad?", "كيفاش ناخد عقد الازدياد?"),  # separate article joined
        ("fin kayn lmoltaqa dyal berkane?", "فين كاين الملتقي ديال بركان?"),
        ("imta ghadi ykoun lmoltaqa?", "امتي غادي يكون الملتقي?"),
        ("chno khassni bach ndir lbtaqa", "شنو خاصني باش ندير البطاقه"),
        ("bghit jawaz jdid 3afak", "بغيت جواز جديد عافاك"),
        ("wach 9rib mn lmdina?", "واش قريب من المدينه?"),
        ("daba fin nmchi?", "دابا فين نمشي?"),
        ("salam khoya, bslama", "سلام خويا, بسلامه"),  # punctuation kept in place
    ],
)
def test_citizens_questions_read_as_arabic_script_darija(latin: str, arabic: str) -> None:
    """Whole questions as citizens type them: every word, in order, as an Arabic-script Darija text has it."""
    assert transliterate(latin) == arabic


def test_french_english_and_addresses_left_alone() -> None:
    out = transliterate("wach kayn rendez-vous f watiqa.ma, formulaire dyal passport online?")
    assert "rendez-vous" in out and "watiqa.ma" in out and "formulaire" in out
    assert "passport" in out and "online" in out and "واش" in out and "ديال" in out


def test_arabic_script_and_numbers_kept() -> None:
    assert transliterate("شنو هو 2025 wach") == "شنو هو 2025 واش"


@pytest.mark.parametrize("word", ["passeport", "inscription", "démarches", "document", "the", "meeting"])
def test_foreign_words_recognised(word: str) -> None:
    assert is_foreign_word(word)


@pytest.mark.parametrize("word", ["axes", "panels", "timbre", "conferences", "posters", "photo", "procedure"])
def test_foreign_words_beyond_the_list_and_endings(word: str) -> None:
    """No list entry and no typical ending: the language identifier's n-grams tell them French/English."""
    assert is_foreign_word(word)
    assert transliterate(f"wach kayn {word} f l forum").split()[2] == word


@pytest.mark.parametrize("word", ["3afak", "ch7al", "bghit", "lmdina", "kidayr", "mahawir", "khadamat", "tsjil"])
def test_darija_words_not_foreign(word: str) -> None:
    assert not is_foreign_word(word)


@pytest.mark.parametrize("bad", ["", None, "👍", "123", "x" * 5000, "salam مرحبا é ✨ " * 200, "\ud800"])
def test_never_raises(bad: object) -> None:
    assert isinstance(transliterate(bad), str)


# Snapping to a vocabulary of Arabic-script words: the rules write every vowel ("mahawir" -> "ماهاوير"), Arabic
# does not; the known word with the same consonant skeleton is used instead.
VOCABULARY = ArabicVocabulary.from_texts(
    [
        "شنو هي المحاور ديال الملتقى",
        "هاد المعلومة غالطة",
        "شكون الفائزين بالجوائز",
        "المدن الذكية",
        "الحمد لله",
        "رعاية الملتقى",
    ]
)


@pytest.mark.parametrize(
    "latin,rules,snapped",
    [
        ("mahawir", "ماهاوير", "محاور"),  # medial vowels Arabic leaves unwritten
        ("l mahawir", "الماهاوير", "المحاور"),  # separate article joined, noun snapped
        ("ma3louma", "ماعلوما", "معلومه"),
        ("ri3aya", "ريعايا", "رعايه"),
        ("dakiya", "داكييا", "ذكيه"),  # d/ذ and k/ك share a skeleton class
        ("lmodon", "المودون", "المدن"),
    ],
)
def test_rule_spellings_snap_to_known_words(latin: str, rules: str, snapped: str) -> None:
    assert transliterate(latin) == rules
    assert transliterate(latin, VOCABULARY) == snapped


def test_unknown_words_and_lexicon_words_keep_their_spelling() -> None:
    assert transliterate("tomobil jdida", VOCABULARY) == transliterate("tomobil jdida")
    assert transliterate("kifach dyal 3a9d", VOCABULARY) == "كيفاش ديال عقد"
    assert transliterate("passport f la poste", VOCABULARY) == transliterate("passport f la poste")


def test_short_words_are_not_snapped() -> None:
    """Two Latin letters fit too many Arabic words."""
    assert transliterate("ma", VOCABULARY) == transliterate("ma")


def test_skeleton_merges_what_latin_cannot_tell_apart() -> None:
    assert skeleton("محاور") == skeleton("ماهاوير") == "مHر"
    assert skeleton("معلومه") == skeleton("ماعلوما")


def test_vocabulary_round_trips_through_its_counts() -> None:
    """The Rasa component saves `counts` as JSON and rebuilds the vocabulary from it."""
    rebuilt = ArabicVocabulary(dict(VOCABULARY.counts))
    assert transliterate("chno homa l mahawir", rebuilt) == transliterate("chno homa l mahawir", VOCABULARY)
