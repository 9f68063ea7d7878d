"""Where index versions live and how the serving one is switched.

Layout under `var/kb/` (`settings.var_dir()`, env `BERKANE_VAR`)::

    CURRENT                 name of the serving version ("v0003"), replaced atomically (tmp + os.replace)
    v0003/manifest.json     what was built: documents hash, embedder, counts, time
    v0003/catalogue.json    documents (front matter + sections) and chunks
    v0003/index.faiss       the vectors (id = entry: one per passage, two for a Latin-Darija FAQ line)
    v0003/background.npy    generic chit-chat questions, embedded (the refusal rule compares to them)
    v0003/documents/        documents added by an admin, as Markdown (the repo's are in knowledge/documents)
    v0003/removed.json      ids removed by an admin (repo documents stay in git but are left out)
    cache/embeddings.sqlite vectors by hash of (embedder, kind, text): a rebuild embeds only what changed
    .lock                   serialises admin commands

A version directory is written under a temporary name and renamed only when complete; CURRENT is switched
last. A killed update therefore leaves the previous version serving. Each version carries its own admin
documents, so rollback brings back the documents with the index, and the index is always rebuildable from
`knowledge/documents/` plus the serving version's `documents/` and `removed.json`.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from settings import var_dir

VERSION_RE = re.compile(r"^v(\d{4,})$")
KEEP_VERSIONS = 8


def kb_root() -> Path:
    return var_dir() / "kb"


def current_file(root: Path) -> Path:
    return root / "CURRENT"


def current_version(root: Path) -> str | None:
    """Name of the serving version, or None before the first build."""
    try:
        name = current_file(root).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if VERSION_RE.match(name) and (root / name / "manifest.json").exists() else None


def versions(root: Path) -> list[str]:
    """Complete versions, oldest first."""
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if VERSION_RE.match(p.name) and (p / "manifest.json").exists()]
    return sorted(found, key=lambda name: int(name[1:]))


def next_version(root: Path) -> str:
    numbers = [int(m.group(1)) for p in root.glob("v*") if (m := VERSION_RE.match(p.name))]
    return f"v{max(numbers, default=0) + 1:04d}"


def switch(root: Path, name: str) -> None:
    """Make `name` the serving version (atomic: readers see the old or the new name, never a torn file)."""
    tmp = root / f".CURRENT.{os.getpid()}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, current_file(root))


def staging_dir(root: Path) -> Path:
    """A fresh temporary directory for a version being built (removed by `clean_staging` if abandoned)."""
    path = root / f".staging-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def clean_staging(root: Path) -> None:
    """Drop what killed builds left behind (call under the admin lock)."""
    for path in root.glob(".staging-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in root.glob(".CURRENT.*.tmp"):
        path.unlink(missing_ok=True)


def prune(root: Path, keep: int = KEEP_VERSIONS) -> None:
    """Keep the newest `keep` versions and always the serving one."""
    serving = current_version(root)
    for name in versions(root)[:-keep]:
        if name != serving:
            shutil.rmtree(root / name, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def text_key(embedder_name: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_name}\x00{kind}\x00{text}".encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by text hash in SQLite, shared by all versions (safe if a build is killed mid-way)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get(self, keys: list[str], dim: int) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.size == dim:
                    found[key] = vector
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                 [(key, np.asarray(vec, np.float32).tobytes()) for key, vec in items.items()])

    def close(self) -> None:
        self._db.close()
