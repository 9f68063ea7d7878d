"""Where the benchmark finds its questions: the project's own sets under tests/data (never ../shared)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

import yaml

from bench.answers import VARIETIES, Item, load_set
from settings import ROOT

DATA = ROOT / "tests" / "data"


class HasLang(Protocol):
    lang: str


T = TypeVar("T", bound=HasLang)


def answer_sets(extra: list[Path]) -> list[Path]:
    """tests/data/e2e/*.yml plus the sets given with --set."""
    return sorted((DATA / "e2e").glob("*.yml")) + list(extra)


def answer_items(extra: list[Path]) -> list[Item]:
    return [item for path in answer_sets(extra) for item in load_set(path)]


def retrieval_sets() -> list[Path]:
    """tests/data/retrieval/*.yml: questions labelled with the topic that must answer them."""
    return sorted((DATA / "retrieval").glob("*.yml"))


def off_topic_set() -> Path:
    """Questions about nothing in the documents (chit-chat): search must refuse them."""
    return ROOT / "tests" / "knowledge" / "data" / "off_topic.yml"


def _heldout_examples() -> list[str]:
    texts: list[str] = []
    for path in sorted((DATA / "heldout").rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            texts.extend(
                line[2:].strip() for line in str(block.get("examples", "")).splitlines() if line.startswith("- ")
            )
    return texts


def sample_questions(limit: int, extra: list[Path] | None = None) -> list[str]:
    """Up to `limit` realistic user messages, spread over the sets (answer sets, then held-out NLU examples).

    Taking every n-th text keeps all varieties and topics in a small sample.
    """
    texts = [item.text for item in answer_items(extra or [])] or _heldout_examples()
    step = max(1, len(texts) // limit) if texts else 1
    return texts[::step][:limit]


def per_variety(items: Sequence[T], count: int) -> list[T]:
    """Up to `count` items of each variety (anything with a `lang`), spread over each variety's list.

    --quick runs use it so that a small sample still covers every variety and several topics.
    """
    chosen: list[T] = []
    for lang in VARIETIES:
        mine = [item for item in items if item.lang == lang]
        chosen += mine[:: max(1, len(mine) // count)][:count]
    return chosen
