"""The built knowledge base, opened in-process for the retrieval-only system and the search timings."""

from __future__ import annotations

from typing import Any

from bench.context import Skip
from settings import var_dir


def open_knowledge() -> Any:
    """`KnowledgeBase.open()` on the index `make index` built; Skip when the package or the index is missing."""
    try:
        from knowledge import KnowledgeBase
    except ImportError as missing:
        raise Skip(f"knowledge not importable yet ({missing})") from missing
    if not (var_dir() / "kb" / "CURRENT").exists():
        raise Skip(f"no knowledge index in {var_dir() / 'kb'}: run `make index`")
    return KnowledgeBase.open()
