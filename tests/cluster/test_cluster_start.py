"""`make cluster` refuses to start, in one line naming the port and its setting, when a port it must listen on
is taken (here by the session's running cluster), and leaves nothing behind."""

from __future__ import annotations

import subprocess

import pytest

from settings import APP_VENV, ROOT
from stack.servers import free_port
from tests.cluster.conftest import RunningCluster

pytestmark = pytest.mark.servers  # the session's cluster holds the ports


@pytest.mark.parametrize(
    ("variable", "what"),
    [("BERKANE_CLUSTER_PORT", "nginx"), ("BERKANE_CLUSTER_POSTGRES_PORT", "PostgreSQL")],
)
def test_a_taken_port_is_one_clear_error(cluster: RunningCluster, tmp_path, variable, what):
    taken = cluster.port if variable == "BERKANE_CLUSTER_PORT" else cluster.postgres_port
    env = {
        **cluster.env,
        "BERKANE_VAR": str(tmp_path),
        "BERKANE_CLUSTER_PORT": str(free_port()),
        "BERKANE_CLUSTER_POSTGRES_PORT": str(free_port()),
        "BERKANE_CLUSTER_REDIS_PORT": str(free_port()),
        variable: str(taken),
    }
    done = subprocess.run(
        [str(APP_VENV / "bin" / "python"), "-m", "stack.cluster", "start"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"port {taken} is taken ({what}, {variable})" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "cluster").exists()  # nothing created, nothing started
