"""Berkane Assistant knowledge base: documents -> passages -> embeddings + words -> FAISS index -> search.

Public API (docs/architecture.md "Knowledge Python API")::

    from knowledge import KnowledgeBase, Hit
    kb = KnowledgeBase.open()
    hits = kb.search("ch7al l passport?", lang="ary_Latn")
    items = knowledge.programme(day="2025-04-10", time="morning")
"""

from knowledge.documents import Document
from knowledge.errors import KnowledgeError
from knowledge.schedule import ProgrammeItem, programme
from knowledge.search import Hit, KnowledgeBase

__all__ = ["Document", "Hit", "KnowledgeBase", "KnowledgeError", "ProgrammeItem", "programme"]
