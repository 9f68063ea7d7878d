"""Index versions that go wrong: damaged files, aborted publishes, a vanished index, hostile front matter.

What the admin sees is one line (`error: ...`) and an index left as it was; what a citizen sees is the last
good version still answering. The index is a real one, built from the fixture documents (conftest.py).
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest
from test_cli_safety import run_cli

from knowledge import admin, store
from knowledge.errors import KnowledgeError
from knowledge.search import KnowledgeBase
from knowledge.verify import verify_version

QUESTION = "combien coûte le passeport ?"


def one_error_line(result) -> str:
    """The admin's view of a refused command: exit status 1 and exactly one `error:` line, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    return lines[0]


def state(root: Path) -> tuple[str | None, list[str], str]:
    """What must not change when a command is refused: serving version, history, and what CURRENT holds."""
    return store.current_version(root), store.versions(root), (root / "CURRENT").read_text(encoding="utf-8")


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def answers(kb: KnowledgeBase) -> list[str]:
    return [hit.doc_id for hit in kb.search(QUESTION, lang="fr")]


def test_a_published_version_records_the_checksum_of_every_file(kb_env: Path) -> None:
    version = kb_env / store.current_version(kb_env)
    recorded = store.read_json(version / store.MANIFEST)[store.CHECKSUMS]
    on_disk = {p.relative_to(version).as_posix() for p in version.rglob("*") if p.is_file()}
    assert set(recorded) == on_disk - {store.MANIFEST, store.PUBLISHED}
    assert {"index.faiss", "catalogue.json", "removed.json", "background.npy"} <= set(recorded)
    assert any(name.startswith("lexical/") for name in recorded)


DAMAGES = {
    "truncated index": (lambda v: truncate(v / "index.faiss"), "index.faiss is damaged"),
    "truncated catalogue": (lambda v: truncate(v / "catalogue.json"), "catalogue.json is damaged"),
    "lexical index gone": (lambda v: shutil.rmtree(v / "lexical"), "is missing"),
    "truncated manifest": (lambda v: truncate(v / store.MANIFEST), "manifest.json: unreadable"),
    "no checksums": (lambda v: store.write_json(v / store.MANIFEST, {"embedder": "x"}), "records no checksums"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_version_is_refused_by_verification_in_one_line(kb_env: Path, damage: str) -> None:
    """The check publish and rollback both run before a version may serve."""
    spoil, words = DAMAGES[damage]
    name = store.current_version(kb_env)
    verify_version(kb_env, name)  # the intact version passes
    spoil(kb_env / name)
    with pytest.raises(KnowledgeError) as refused:
        verify_version(kb_env, name)
    assert words in str(refused.value) and "\n" not in str(refused.value)


def test_rollback_to_a_truncated_index_is_refused_and_the_current_version_keeps_serving(kb_env: Path) -> None:
    first = store.current_version(kb_env)
    second = admin.remove("fx-complaints-fr")
    truncate(kb_env / first / "index.faiss")
    kb = KnowledgeBase.open(kb_env)
    before = state(kb_env)
    line = one_error_line(run_cli("rollback"))
    assert "rollback refused" in line and "index.faiss is damaged" in line and f"still serving {second}" in line
    assert state(kb_env) == before
    time.sleep(1.1)
    assert kb.version == second and "fx-passport-fr" in answers(kb)


def test_an_aborted_publish_is_never_offered_as_history(kb_env: Path, tmp_path: Path) -> None:
    """What a publish killed between writing its version and switching to it leaves: a complete version
    directory with checksums and no PUBLISHED marker. It is not listed, the next command deletes it, and a
    plain rollback afterwards goes to the version that really served before (not to the aborted one)."""
    first = store.current_version(kb_env)
    aborted = store.next_version(kb_env)
    shutil.copytree(kb_env / first, kb_env / aborted)
    (kb_env / aborted / store.PUBLISHED).unlink()
    assert store.versions(kb_env) == [first] and [v["version"] for v in admin.versions()] == [first]
    note = tmp_path / "navette.txt"
    note.write_text("Une navette gratuite relie la province et l'ENIAD pendant le forum.", encoding="utf-8")
    assert run_cli("add", str(note)).returncode == 0
    published = store.current_version(kb_env)
    assert store.versions(kb_env) == [first, published]  # the aborted copy was deleted, its name reused
    assert "navette" in {doc["id"] for doc in store.read_json(kb_env / published / "catalogue.json")["documents"]}
    assert run_cli("rollback").stdout.strip() == f"serving {first}"


def test_the_live_server_keeps_serving_when_the_index_directory_vanishes(
    kb_env: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kb = KnowledgeBase.open(kb_env)
    serving = kb.version
    shutil.rmtree(kb_env)
    with caplog.at_level(logging.ERROR, logger="knowledge.search"):
        for _ in range(3):
            time.sleep(1.05)
            assert "fx-passport-fr" in answers(kb) and kb.version == serving
    assert [r.message for r in caplog.records].count("knowledge index unusable") == 1


def test_the_live_server_keeps_the_last_good_version_when_current_names_a_corrupt_one(
    kb_env: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """CURRENT switched by hand (or by a tool that skipped verification) to a version with a torn index."""
    kb = KnowledgeBase.open(kb_env)
    serving = kb.version
    bad = store.next_version(kb_env)
    shutil.copytree(kb_env / serving, kb_env / bad)
    truncate(kb_env / bad / "index.faiss")
    store.switch(kb_env, bad)
    with caplog.at_level(logging.ERROR, logger="knowledge.search"):
        for _ in range(3):
            time.sleep(1.05)
            assert "fx-passport-fr" in answers(kb) and kb.version == serving
    problems = [r for r in caplog.records if r.message == "knowledge index unusable"]
    assert len(problems) == 1 and "index.faiss is damaged" in problems[0].problem
    # at start, the same index is one clear error
    with pytest.raises(KnowledgeError, match=r"index\.faiss is damaged"):
        KnowledgeBase.open(kb_env)
    assert "index.faiss is damaged" in one_error_line(run_cli("search", QUESTION))


def test_search_without_any_index_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BERKANE_VAR", str(tmp_path / "empty"))
    assert "no index version" in one_error_line(run_cli("search", QUESTION))


@pytest.mark.parametrize("name", ["catalogue.json", "removed.json", store.MANIFEST])
def test_a_truncated_file_of_the_serving_version_gives_one_line(kb_env: Path, tmp_path: Path, name: str) -> None:
    serving = store.current_version(kb_env)
    truncate(kb_env / serving / name)
    note = tmp_path / "note.txt"
    note.write_text("Le guichet unique ouvre à huit heures trente.", encoding="utf-8")
    command = ("add", str(note)) if name == "removed.json" else ("stats",)
    before = sorted(p.name for p in kb_env.iterdir())
    line = one_error_line(run_cli(*command))
    assert name in line
    assert sorted(p.name for p in kb_env.iterdir()) == before


def alias_bomb(levels: int = 8) -> str:
    """Front matter whose aliases expand to 10**levels items (a "billion laughs")."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "---\nid: bomb\nlang: fr\ntitle: Bombe\ntopic: general\n" + "\n".join(lines) + "\n---\nTexte.\n"


@pytest.mark.parametrize("case", ["alias bomb", "huge front matter", "NUL and control bytes", "unreadable pdf"])
def test_hostile_files_are_refused_at_once_in_one_line(kb_env: Path, tmp_path: Path, case: str) -> None:
    path, words = {
        "alias bomb": (tmp_path / "bomb.md", "aliases"),
        "huge front matter": (tmp_path / "big.md", "front matter over"),
        "NUL and control bytes": (tmp_path / "nul.txt", "control characters"),
        "unreadable pdf": (tmp_path / "scan.pdf", "unreadable PDF"),
    }[case]
    path.write_bytes(
        {
            "alias bomb": alias_bomb().encode(),
            "huge front matter": (
                "---\nid: big\nlang: fr\ntitle: t\ntopic: g\nfaq:\n" + "- question ?\n" * 5000 + "---\nTexte.\n"
            ).encode(),
            "NUL and control bytes": b"\x00\x01\x02" * 40
            + "Le passeport coûte 500 dirhams.".encode()
            + b"\x00\x07" * 40,
            "unreadable pdf": b"%PDF-1.4\n\x00\x9c broken xref\n%%EOF\n",
        }[case]
    )
    before = state(kb_env)
    started = time.monotonic()
    line = one_error_line(run_cli("add", str(path)))
    assert words in line and time.monotonic() - started < 60
    assert state(kb_env) == before
