"""Where index versions live and how the serving one is switched.

Layout under `var/kb/` (`settings.var_dir()`, env `BERKANE_VAR`)::

    CURRENT                 name of the serving version ("v0003"), replaced atomically (tmp + os.replace)
    v0003/manifest.json     what was built: documents hash, embedder, counts, time, sha256 of every file
    v0003/catalogue.json    documents (front matter + sections) and chunks
    v0003/index.faiss       the vectors (id = entry: one per passage, two for a Latin-Darija FAQ line)
    v0003/background.npy    generic chit-chat questions, embedded (the refusal rule compares to them)
    v0003/documents/        documents added by an admin, as Markdown (the repo's are in knowledge/documents)
    v0003/removed.json      ids removed by an admin (repo documents stay in git but are left out)
    v0003/PUBLISHED         written once the version has been served: only published versions are history
    cache/embeddings.sqlite vectors by hash of (embedder, kind, text): a rebuild embeds only what changed
    .lock                   serialises admin commands

A version directory is written under a temporary name, verified (`knowledge.verify`: the checksums its
manifest records, it loads, a probe query answers) and renamed only when complete; CURRENT is switched
last, then the version is marked PUBLISHED. A killed update therefore leaves the previous version serving,
and the version it left behind is never offered as history (the next admin command deletes it). A rollback
verifies its target the same way. Each version carries its own admin documents, so rollback brings back the
documents with the index, and the index is always rebuildable from `knowledge/documents/` plus the serving
version's `documents/` and `removed.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.errors import KnowledgeError
from settings import var_dir

VERSION_RE = re.compile(r"^v(\d{4,})$")
KEEP_VERSIONS = 8
MANIFEST = "manifest.json"
PUBLISHED = "PUBLISHED"
CHECKSUMS = "files"  # manifest key: relative path -> sha256 of every other file of the version


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
    return name if VERSION_RE.match(name) and (root / name / MANIFEST).exists() else None


def built_versions(root: Path) -> list[str]:
    """Every complete version directory, published or not, oldest first."""
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if VERSION_RE.match(p.name) and (p / MANIFEST).exists()]
    return sorted(found, key=lambda name: int(name[1:]))


def versions(root: Path) -> list[str]:
    """The history: versions that have been served (published, or serving now), oldest first.

    A version written by a publish killed before its switch is complete on disk but was never served: an
    admin must never be offered it (a plain `rollback` would serve documents nobody published)."""
    serving = current_version(root)
    return [name for name in built_versions(root) if name == serving or (root / name / PUBLISHED).exists()]


def mark_published(root: Path, name: str) -> None:
    (root / name / PUBLISHED).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z\n"), encoding="utf-8")


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
    """Drop what killed builds left behind (call under the admin lock).

    A version never published is an aborted publish when its manifest records checksums (this code wrote
    it) and is deleted; one without checksums predates PUBLISHED markers and is kept as history. The
    serving version gets its marker if a publish was killed between its switch and its marker."""
    for path in root.glob(".staging-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in root.glob(".CURRENT.*.tmp"):
        path.unlink(missing_ok=True)
    serving = current_version(root)
    for name in built_versions(root):
        if (root / name / PUBLISHED).exists():
            continue
        if name != serving and CHECKSUMS in read_json(root / name / MANIFEST):
            shutil.rmtree(root / name, ignore_errors=True)
        else:
            mark_published(root, name)


def checksums(path: Path) -> dict[str, str]:
    """sha256 of every file of a version directory but its manifest and marker (which record and follow them)."""
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name not in (MANIFEST, PUBLISHED))
    return {p.relative_to(path).as_posix(): _sha256(p) for p in files}


def check_files(path: Path, manifest: dict[str, Any], required: bool = True) -> None:
    """Raise KnowledgeError naming the first file missing or changed since the version was built.

    `required=False` accepts a manifest without checksums (a version built before they were recorded)."""
    recorded = manifest.get(CHECKSUMS)
    if recorded is None:
        if required:
            raise KnowledgeError(f"{path.name} records no checksums (built before they were): rebuild instead")
        return
    for relative, digest in recorded.items():
        file = path / relative
        if not file.is_file():
            raise KnowledgeError(f"{path.name}: {relative} is missing")
        if _sha256(file) != digest:
            raise KnowledgeError(f"{path.name}: {relative} is damaged (checksum differs from the manifest)")


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def prune(root: Path, keep: int = KEEP_VERSIONS) -> None:
    """Keep the newest `keep` versions and always the serving one."""
    serving = current_version(root)
    for name in versions(root)[:-keep]:
        if name != serving:
            shutil.rmtree(root / name, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path) -> Any:
    """A file of a version; a truncated or unreadable one is a one-line KnowledgeError naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: missing") from None
    except (OSError, ValueError) as error:  # ValueError: JSONDecodeError and UnicodeDecodeError
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise KnowledgeError(f"{path}: unreadable ({reason})") from None


def text_key(embedder_name: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_name}\x00{kind}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors by text hash in SQLite, shared by all versions (safe if a build is killed mid-way)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get(self, keys: list[str], dim: int) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.size == dim:
                    found[key] = vector
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(key, np.asarray(vec, np.float32).tobytes()) for key, vec in items.items()],
            )

    def close(self) -> None:
        self._db.close()
