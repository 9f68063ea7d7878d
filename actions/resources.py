"""The knowledge base and feedback store the actions share, opened once per action-server process.

Opening loads the embedding model and the FAISS index (seconds), so it happens at the first question and
is then reused; `KnowledgeBase.open()` itself follows new index versions (`CURRENT`).
"""

from __future__ import annotations

from functools import lru_cache

from knowledge import KnowledgeBase
from knowledge.feedback import FeedbackStore


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.open()


@lru_cache(maxsize=1)
def feedback_store() -> FeedbackStore:
    return FeedbackStore()
