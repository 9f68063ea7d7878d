"""Checks on the NLU example files that a citizen would feel as wrong answers.

Too few examples of an intent and the classifier misses it; the same sentence under two intents teaches the
model a contradiction; a held-out sentence seen in training makes the measured accuracy a lie. The intent
list is read from docs/architecture.md so a new intent in the contract is checked at once.
Runs with PyYAML only (no Rasa), so it is cheap in either environment.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "data" / "heldout"
VARIETIES = ("ar", "ary", "ary_Latn", "fr", "en")
GROUPS = ("dialogue", "forum", "services")
# Minimum examples per intent: (training, held-out). English is a minority language of the users.
MINIMUM = {"ar": (18, 6), "ary": (18, 6), "ary_Latn": (18, 6), "fr": (18, 6), "en": (8, 3)}
ANNOTATION = re.compile(r"\[[^\]]*\]\s*[({]")


def contract_intents() -> dict[str, list[str]]:
    """Intent names per group as listed in the "Intents (exact names)" part of docs/architecture.md."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = doc.split("Intents (exact names):", 1)[1].split("payload only", 1)[0]
    groups: dict[str, list[str]] = {}
    for part in re.split(r"\n\s*(?=(?:dialogue|forum|services):)", block):
        head = part.strip().split(":", 1)[0]
        if head in GROUPS:
            groups[head] = re.findall(r"`([a-z_]+)`", part)
    return groups


def read_examples(path: Path) -> dict[str, list[str]]:
    """Examples per intent of one Rasa 3 NLU YAML file."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples: dict[str, list[str]] = defaultdict(list)
    for block in content["nlu"]:
        if "intent" not in block:  # synonym / lookup / regex blocks carry no examples of an intent
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples[block["intent"]].append(line[2:].strip())
    return examples


def key(sentence: str) -> str:
    """Compare sentences as a user would read them: case, spacing and end punctuation do not count."""
    return " ".join(sentence.casefold().split()).strip(" ?؟!.,،")


def all_files(root: Path) -> list[tuple[str, str, Path]]:
    """(variety, group, path) of every example file present under `root`."""
    return [(v, g, root / v / f"{g}.yml") for v in VARIETIES for g in GROUPS if (root / v / f"{g}.yml").exists()]


def load(root: Path) -> list[tuple[str, str, str]]:
    """Every example under `root` as (variety, intent, sentence)."""
    return [(v, intent, s) for v, _, path in all_files(root) for intent, ss in read_examples(path).items() for s in ss]


def test_contract_lists_the_intents() -> None:
    groups = contract_intents()
    assert "greet" in groups["dialogue"] and "forum_programme" in groups["forum"]
    assert "service_cost" in groups["services"]


@pytest.mark.parametrize("root", [TRAINING, HELDOUT], ids=["training", "heldout"])
def test_every_variety_has_dialogue_and_forum_files(root: Path) -> None:
    missing = [f"{v}/{g}.yml" for v in VARIETIES for g in ("dialogue", "forum") if not (root / v / f"{g}.yml").exists()]
    assert not missing, f"missing under {root}: {missing}"


@pytest.mark.parametrize("root,column", [(TRAINING, 0), (HELDOUT, 1)], ids=["training", "heldout"])
def test_each_intent_has_enough_examples(root: Path, column: int) -> None:
    groups = contract_intents()
    short = []
    for variety, group, path in all_files(root):
        examples = read_examples(path)
        unknown = set(examples) - set(groups[group])
        assert not unknown, f"{path}: intents not in the contract: {sorted(unknown)}"
        for intent in groups[group]:
            count = len(examples.get(intent, []))
            if count < MINIMUM[variety][column]:
                short.append(f"{variety}/{group}.yml {intent}: {count} < {MINIMUM[variety][column]}")
    assert not short, "\n".join(short)


@pytest.mark.parametrize("root", [TRAINING, HELDOUT], ids=["training", "heldout"])
def test_no_sentence_under_two_intents(root: Path) -> None:
    """Across all varieties: "ok" may be French and Darija, but it cannot be both `affirm` and `thank`."""
    seen: dict[str, set[str]] = defaultdict(set)
    for _, intent, sentence in load(root):
        seen[key(sentence)].add(intent)
    clashes = {s: sorted(intents) for s, intents in seen.items() if len(intents) > 1}
    assert not clashes, "\n".join(f"{s!r}: {labels}" for s, labels in clashes.items())


@pytest.mark.parametrize("root", [TRAINING, HELDOUT], ids=["training", "heldout"])
def test_no_repeated_example(root: Path) -> None:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for variety, _, sentence in load(root):
        counts[(variety, key(sentence))] += 1
    repeated = [f"{v}: {s!r} x{n}" for (v, s), n in counts.items() if n > 1]
    assert not repeated, "\n".join(repeated)


def test_heldout_never_seen_in_training() -> None:
    training = {key(s) for _, _, s in load(TRAINING)}
    leaked = sorted({s for _, _, s in load(HELDOUT) if key(s) in training})
    assert not leaked, "\n".join(leaked)


@pytest.mark.parametrize("root", [TRAINING, HELDOUT], ids=["training", "heldout"])
def test_no_inline_entity_annotation(root: Path) -> None:
    """Entities come from the lexicons; an inline `[x](entity)` would teach a second, drifting source."""
    annotated = [f"{v}/{i}: {s}" for v, i, s in load(root) if ANNOTATION.search(s)]
    assert not annotated, "\n".join(annotated)
