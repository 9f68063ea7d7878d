"""`make serve` reports a server that cannot start, with its log, instead of hanging."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from settings import ROOT
from stack.servers import free_port

pytestmark = pytest.mark.servers  # runs `python -m stack serve`


def test_serve_exits_non_zero_with_the_failing_servers_log(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "stack", "serve"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "ACTIONS_PORT": str(taken), "RASA_PORT": str(free_port()), "BERKANE_VAR": str(tmp_path)},
        )
    assert result.returncode == 1
    assert "could not start the assistant" in result.stderr
    assert "action server" in result.stderr
    assert "  | " in result.stderr, "the log tail of the failing server is missing"
