"""What makes `make train` retrain a component: the plain modules and lexicons it uses (its Rasa fingerprint
addon, `nlu.fingerprint.code_digest`), and nothing else. Edits are made in a copy of nlu/, never in the tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nlu.fingerprint import ROOT, code_digest

COMPONENTS = (
    "text_normaliser",
    "language_identifier",
    "arabizi_transliterator",
    "sentence_embedder",
    "intent_classifier",
    "lexicon_extractor",
)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "nlu", root / "nlu", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def digests(root: Path) -> dict[str, str]:
    return {name: code_digest(f"nlu.components.{name}", root=root) for name in COMPONENTS}


@pytest.mark.parametrize(
    "edited,retrained",
    [
        # the lexicons: the entity extractor, and the classifier (it reads the services a text names)
        ("nlu/lexicon/service.yml", {"intent_classifier", "lexicon_extractor"}),
        # normalisation: every component that normalises, directly or through langid / arabizi / lexicon, and
        # the sentence embedder (it embeds nlu.query.dense_form, the knowledge search's normalised form)
        (
            "nlu/text.py",
            {
                "text_normaliser",
                "language_identifier",
                "arabizi_transliterator",
                "sentence_embedder",
                "intent_classifier",
                "lexicon_extractor",
            },
        ),
        # a function outside the class (Rasa's own fingerprint reads only the class source)
        ("nlu/components/sentence_embedder.py", {"sentence_embedder", "intent_classifier"}),
        ("nlu/e5.py", {"sentence_embedder", "intent_classifier"}),
        # modules no component uses
        ("nlu/dates.py", set()),
        ("nlu/evaluate.py", set()),
    ],
)
def test_an_edit_retrains_the_components_that_use_it(checkout: Path, edited: str, retrained: set[str]) -> None:
    """A line of code added to `edited` changes the fingerprints of exactly the `retrained` components."""
    before = digests(checkout)
    assert before == digests(ROOT)
    path = checkout / edited
    original = path.read_text(encoding="utf-8")
    path.write_text(original + ("\nEDITED = 1\n" if path.suffix == ".py" else "\n# edited\n"), encoding="utf-8")
    try:
        after = digests(checkout)
    finally:
        path.write_text(original, encoding="utf-8")
    assert {name for name in COMPONENTS if after[name] != before[name]} == retrained


def test_comments_docstrings_and_layout_retrain_nothing(checkout: Path) -> None:
    """Lint and format passes, or a better comment, leave every component as trained."""
    path = checkout / "nlu" / "text.py"
    original = path.read_text(encoding="utf-8")
    before = digests(checkout)
    assert original.startswith('"""')
    reformatted = '"""Edited. ' + original[3:].replace("\n\n\n", "\n# a comment\n\n\n\n")
    path.write_text(reformatted, encoding="utf-8")
    try:
        assert digests(checkout) == before
    finally:
        path.write_text(original, encoding="utf-8")
