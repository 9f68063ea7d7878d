"""Settings: a wrong value stops every entry point with one line naming the variable; right values reach the
parts that use them."""

from __future__ import annotations

import os
import subprocess

import pytest

import settings
from settings import APP_VENV, ROOT, Settings

ENTRY_POINTS = [["-m", "stack", "serve"], ["-m", "knowledge", "list"], ["-m", "bot"]]


def run(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(APP_VENV / "bin" / "python"), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize("argv", ENTRY_POINTS, ids=lambda a: a[1])
@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RASA_PORT", "fivethousand"),
        ("BERKANE_EMBEDDINGS", "word2vec"),
        ("BERKANE_DOCUMENTS", "/no/such/folder"),
        ("ADMIN_IDS", "12,bob"),
    ],
)
def test_a_wrong_value_stops_start_up_with_one_line_naming_it(argv: list[str], variable: str, value: str) -> None:
    done = run(argv, **{variable: value, "TELEGRAM_BOT_TOKEN": "1:x"})
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("configuration error:") and f"{variable}={value!r}" in lines[0]


def test_values_are_parsed_once_with_their_documented_meaning(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RASA_PORT", "6005")
    monkeypatch.setenv("BERKANE_VAR", str(tmp_path / "state"))
    monkeypatch.setenv("ADMIN_IDS", " 12, 34 ")
    monkeypatch.setenv("BERKANE_TERMINAL_SHAPES", "1")
    monkeypatch.setenv("BERKANE_RETRIEVAL", "")  # set but empty: the default
    config = Settings()
    assert config.rasa_base_url == "http://127.0.0.1:6005"
    assert config.var == (tmp_path / "state").resolve()
    assert config.admin_id_set == {12, 34}
    assert config.terminal_shapes is True and config.retrieval == "hybrid"


def test_reload_sees_a_changed_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BERKANE_VAR", str(tmp_path))
    assert settings.reload().var == tmp_path.resolve()
    monkeypatch.delenv("BERKANE_VAR")
    assert settings.reload().var == ROOT / "var"


def test_a_changed_variable_is_seen_without_reload(tmp_path, monkeypatch) -> None:
    before = settings.get().var
    monkeypatch.setenv("BERKANE_VAR", str(tmp_path))
    assert settings.get().var == tmp_path.resolve() != before


def test_cluster_urls_reach_the_endpoints_without_writing_the_password(tmp_path, monkeypatch) -> None:
    import yaml

    from stack.servers import LOCK_STORE, write_endpoints

    monkeypatch.setenv("BERKANE_TRACKER_DB_URL", "postgresql://rasa:s3cret-pw@127.0.0.1:5432/rasa")
    monkeypatch.setenv("BERKANE_REDIS_URL", "redis://127.0.0.1:6380/2")
    path = write_endpoints(tmp_path / "endpoints.yml", 5055, tmp_path / "tracker.db")
    written = yaml.safe_load(path.read_text())
    assert "s3cret-pw" not in path.read_text()
    assert written["tracker_store"]["dialect"] == "postgresql"
    assert written["tracker_store"]["url"] == "${BERKANE_TRACKER_DB_URL}"  # Rasa expands it from its environment
    # the atomic lock store: Rasa's own `type: redis` loses messages across servers (stack/cluster_lock.py)
    assert written["lock_store"] == {"type": LOCK_STORE, "url": "127.0.0.1", "port": 6380, "db": 2}
    monkeypatch.setenv("BERKANE_REDIS_URL", "http://127.0.0.1:6380")
    with pytest.raises(settings.SettingsError, match="BERKANE_REDIS_URL"):
        settings.get()


def test_without_cluster_urls_the_store_is_the_local_sqlite_file(tmp_path) -> None:
    import yaml

    from stack.servers import write_endpoints

    written = yaml.safe_load(write_endpoints(tmp_path / "e.yml", 5055, tmp_path / "tracker.db").read_text())
    assert written["tracker_store"]["dialect"] == "sqlite" and written["tracker_store"]["db"] == str(
        tmp_path / "tracker.db"
    )
    assert "lock_store" not in written


def test_the_old_path_reads_every_event_again(tmp_path, monkeypatch) -> None:
    """The benchmark's old path (BERKANE_FAST_PATH=none, given to its Rasa server only) gets Rasa's store even
    when the process writing its endpoints runs the fast path: the 06:45 side-by-side had the cache on both."""
    import yaml

    from stack.servers import TRACKER_STORES, write_endpoints

    monkeypatch.delenv("BERKANE_FAST_PATH", raising=False)

    def store(**fast_path: str) -> str:
        path = write_endpoints(tmp_path / "e.yml", 5055, tmp_path / "tracker.db", **fast_path)
        return yaml.safe_load(path.read_text())["tracker_store"]["type"]

    assert store() == TRACKER_STORES[True] == "stack.tracker_cache.CachedSQLTrackerStore"
    assert store(fast_path="none") == "privacy.tracker_store.RedactingSQLTrackerStore"
    assert store(fast_path="store,states") == TRACKER_STORES[True]
