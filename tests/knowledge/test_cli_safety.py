"""Bad input is refused with one line and a non-zero exit; a killed update leaves the old index serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge import store
from knowledge.build import PAUSE_ENV
from knowledge.search import KnowledgeBase
from settings import ROOT


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "knowledge", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, words the error line must contain)."""
    folder.mkdir()
    (folder / "broken.md").write_text("---\nid: [oops\nlang: fr\n---\ntexte", encoding="utf-8")
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04 not a document")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Réclamation déposée à la préfecture".encode("latin-1"))
    (folder / "dup.md").write_text(
        "---\nid: fx-passport-fr\nlang: fr\ntitle: Doublon\ntopic: t\n---\ntexte\n", encoding="utf-8"
    )
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    return {
        "malformed front matter": (folder / "broken.md", "malformed front matter"),
        "unknown type": (folder / "sheet.xlsx", "unknown type"),
        "empty file": (folder / "empty.txt", "empty file"),
        "not UTF-8": (folder / "latin1.txt", "not UTF-8"),
        "duplicate id": (folder / "dup.md", "duplicate id"),
        "over size cap": (folder / "huge.txt", "cap"),
        "dot-dot in name": (folder / ".." / folder.name / "empty.txt", "'..'"),
    }


CASES = [
    "malformed front matter",
    "unknown type",
    "empty file",
    "not UTF-8",
    "duplicate id",
    "over size cap",
    "dot-dot in name",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_one_line_error_and_leaves_the_index_alone(kb_env: Path, tmp_path: Path, case: str) -> None:
    path, words = bad_files(tmp_path / "in")[case]
    before = (store.current_version(kb_env), sorted(store.versions(kb_env)))
    result = run_cli("add", str(path))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], result.stderr
    assert (store.current_version(kb_env), sorted(store.versions(kb_env))) == before


def test_unknown_document_id_is_an_error(kb_env: Path) -> None:
    result = run_cli("remove", "no-such-doc")
    assert result.returncode == 1 and "no document with id" in result.stderr


@pytest.mark.servers  # two full `knowledge add` runs, one killed mid-way
def test_a_killed_update_leaves_the_previous_version_serving(kb_env: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase.open(kb_env)
    serving = store.current_version(kb_env)
    note = tmp_path / "navette.txt"
    note.write_text("Une navette gratuite relie la province et l'ENIAD pendant le forum.", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "knowledge", "add", str(note)],
        cwd=ROOT,
        env={**os.environ, PAUSE_ENV: "120"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while len(store.built_versions(kb_env)) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert len(store.built_versions(kb_env)) == 2  # the new version is written, not yet switched to
        assert store.versions(kb_env) == [serving]  # and not offered as history
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert store.current_version(kb_env) == serving
    time.sleep(1.1)
    assert kb.version == serving and kb.document("navette") is None
    # the next admin command works and is not confused by what the killed one left
    result = run_cli("add", str(note))
    assert result.returncode == 0, result.stderr
    assert store.current_version(kb_env) not in (serving, None)
