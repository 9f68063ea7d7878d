"""Language identification: the answer language follows it, so a miss is felt in every reply.
Measured on the held-out sentences (never seen by the n-gram model, which learns from data/nlu)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nlu.langid import VARIETIES, identify, read_examples

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "data" / "heldout"
TARGET = 0.97


@pytest.mark.parametrize("variety", VARIETIES)
def test_heldout_accuracy_per_variety(variety: str) -> None:
    sentences = [text for _, text in read_examples(HELDOUT / variety)]
    assert sentences, f"no held-out sentences for {variety}"
    wrong = [(s, identify(s)) for s in sentences if identify(s) != variety]
    accuracy = 1 - len(wrong) / len(sentences)
    assert accuracy >= TARGET, f"{variety}: {accuracy:.3f} < {TARGET}; misses: {wrong[:10]}"


@pytest.mark.parametrize(
    "text,variety",
    [
        ("ما هي الوثائق المطلوبة لجواز السفر؟", "ar"),
        ("شنو خاصني باش ندير الباسبور؟", "ary"),
        ("kifach nakhod 3a9d l izdiyad?", "ary_Latn"),
        ("Quels sont les papiers pour le passeport ?", "fr"),
        ("What documents do I need for a passport?", "en"),
        ("wach l forum f berkane?", "ary_Latn"),
        ("شحال كيسوا جواز السفر", "ary"),
    ],
)
def test_typical_questions(text: str, variety: str) -> None:
    assert identify(text) == variety


@pytest.mark.parametrize("text", ["", "   ", "👍", "🙏🙏", "2025", "?!", None])
def test_no_letters_gets_the_default(text: object) -> None:
    """No letters to judge: Arabic unless the caller knows better (the component passes the chosen one)."""
    assert identify(text) == "ar"
    assert identify(text, default="fr") == "fr"


@pytest.mark.parametrize(
    "text,variety",
    [
        ("تصبح على خير", "ar"),
        ("بارك الله فيك يا أخي", "ar"),
        ("مع السلامة يا صديقي", "ar"),
        ("لا شكرا", "ar"),
        ("جزاك الله خيرا", "ar"),
        ("كلام مفهوم", "ar"),
        ("ما فهمتش", "ary"),
        ("صافي شكرا", "ary"),
        ("عاود شرح", "ary"),
        ("الله يعطيك الصحة", "ary"),
        ("مزيان بزاف", "ary"),
    ],
)
def test_short_phrases_not_in_the_data(text: str, variety: str) -> None:
    """Short replies are where MSA and Darija are closest; none of these is a training sentence."""
    assert identify(text) == variety


def test_mixed_scripts_follow_the_main_script() -> None:
    assert identify("بغيت نعرف واش الفوروم فيه inscription") == "ary"
    assert identify("c'est quoi le programme du forum") == "fr"


@pytest.mark.parametrize("bad", ["x" * 5000, "مرحبا hello 3afak ✨" * 300, "\ud800", "ـــــ"])
def test_never_raises(bad: str) -> None:
    assert identify(bad) in VARIETIES


def test_a_restarted_identifier_gives_every_sentence_the_same_language() -> None:
    """The answer language must not change when the assistant restarts: a new process (another hash seed)
    trains its own model and must judge every held-out sentence as this one does, near-ties included."""
    sentences = [text for variety in VARIETIES for _, text in read_examples(HELDOUT / variety)]
    code = (
        "import json, sys; from nlu.langid import identify; "
        "print(json.dumps([identify(text) for text in json.load(sys.stdin)]))"
    )
    restarted = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(sentences),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "1"},
        check=True,
    )
    after = json.loads(restarted.stdout)
    changed = [(text, identify(text), again) for text, again in zip(sentences, after) if identify(text) != again]
    assert not changed, f"{len(changed)} sentences change language after a restart: {changed[:5]}"


# 5-fold cross-validation of the identifier alone on data/nlu (each fold's model never saw its test part).
# Measured 2026-11-26 with the MSA/Darija discriminator: ar 0.972, ary 0.975, ary_Latn 0.979, fr 0.977,
# en 0.982 (naive Bayes alone: ar 0.962). The floors are the target, 0.97, in every variety.
CV_FLOOR = dict.fromkeys(VARIETIES, 0.97)


def test_cross_validated_accuracy_per_variety() -> None:
    from nlu.evaluate import langid_cross_validation

    measured = langid_cross_validation(folds=5)
    below = {v: a for v, a in measured.items() if a < CV_FLOOR[v]}
    assert not below, f"cross-validated language id fell below its floor: {below} (floors {CV_FLOOR})"
