"""Files that hold citizens' conversations (SQLite databases, logs) are readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE = 0o600


def private_file(path: Path | str) -> Path:
    """`path`, created empty with mode 0600 if missing, tightened to 0600 if it exists (its folder created).

    Call it before SQLite or a log handler opens the file: SQLite then gives its journal and WAL files the
    same mode, and nobody else on the host can read a message between creation and a later chmod.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE))
    os.chmod(path, PRIVATE)
    return path
