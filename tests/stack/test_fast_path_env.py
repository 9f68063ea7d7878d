"""The servers start with the fast path's thread counts fixed (issue 13): OpenMP reads OMP_NUM_THREADS once, when
the first library loads it, so only the environment a server starts with decides how many threads each e5
call spins; the old path (BERKANE_FAST_PATH=none) starts as 2400039 did."""

from __future__ import annotations

import pytest

from stack.servers import action_server, fast_path_env, rasa_server


@pytest.fixture(autouse=True)
def default_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BERKANE_FAST_PATH", "BERKANE_EMBED_THREADS"):
        monkeypatch.delenv(name, raising=False)


def test_both_servers_start_with_one_thread_per_e5_call_and_every_step(tmp_path) -> None:
    rasa = rasa_server(5005, tmp_path / "endpoints.yml", tmp_path)
    actions = action_server(5055, tmp_path)
    for server in (rasa, actions):
        assert server.env["OMP_NUM_THREADS"] == server.env["OPENBLAS_NUM_THREADS"] == "1"
        assert (
            server.env["BERKANE_FAST_PATH"] == "events,history,nlu,queries,slots,states,store,threads,tracker,validator"
        )


def test_the_thread_count_follows_the_embedding_threads_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BERKANE_EMBED_THREADS", "2")
    assert fast_path_env()["OMP_NUM_THREADS"] == "2"


def test_the_old_path_leaves_threads_and_rasa_as_they_were(tmp_path) -> None:
    old = {"BERKANE_FAST_PATH": "none"}
    rasa = rasa_server(5005, tmp_path / "endpoints.yml", tmp_path, env=old)
    assert rasa.env["BERKANE_FAST_PATH"] == "none" and "OMP_NUM_THREADS" not in rasa.env
    assert fast_path_env({"BERKANE_FAST_PATH": "validator"}) == {"BERKANE_FAST_PATH": "validator"}
