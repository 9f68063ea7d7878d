"""`python -m stack serve` (both servers, foreground) and `python -m stack run` (servers + a chat client).

Ports, state folder and endpoints come from `settings` (RASA_PORT, ACTIONS_PORT, BERKANE_VAR, BERKANE_ENDPOINTS):
a deployment that wants its own endpoints (PostgreSQL tracker store, Redis lock store) points
BERKANE_ENDPOINTS at its endpoints file.
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import time

import settings
from observability.jsonlog import configure
from settings import APP_VENV, ROOT, var_dir
from stack import tokens
from stack.servers import Server, ServerFailed, action_server, default_log_dir, rasa_server, write_endpoints
from stack.supervise import GaveUp, Supervised

HEALTH_TIMEOUTS = (90, 180)  # seconds: action server, Rasa server (loads the model)


def start_servers(rasa_port: int, actions_port: int) -> list[Server]:
    """Start the action server then the Rasa server; wait until both answer. Stops both on failure."""
    logs = default_log_dir()
    endpoints = settings.get().endpoints or write_endpoints(
        var_dir() / "endpoints.yml", actions_port, var_dir() / "tracker.db"
    )
    tokens.publish(var_dir(), tokens.session())  # for local tools; the servers get theirs in their environment
    servers = [action_server(actions_port, logs), rasa_server(rasa_port, endpoints, logs)]
    started = time.monotonic()
    try:
        for server in servers:
            server.start()
        for server, timeout in zip(servers, HEALTH_TIMEOUTS, strict=True):
            server.wait_healthy(timeout)
    except (ServerFailed, KeyboardInterrupt):  # interrupted while starting: no child left behind
        stop(servers)
        raise
    print(
        f"listening: Rasa {servers[1].listens}, actions {servers[0].listens}; tokens in {var_dir() / tokens.FILE}",
        flush=True,
    )
    print(
        f"REST webhook (citizens, no token)  http://127.0.0.1:{rasa_port}/webhooks/rest/webhook  (logs {logs})",
        flush=True,
    )
    print(f"ready in {time.monotonic() - started:.1f} s", flush=True)
    return servers


def stop(servers: list[Server]) -> None:
    for server in reversed(servers):
        server.stop()


def interrupted(*_: object) -> None:
    """The first SIGINT/SIGTERM starts the shutdown; later ones are ignored until every child is gone (a second
    Ctrl-C used to interrupt `stop()` itself and leave the action server running)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def watch(servers: list[Server], client: subprocess.Popen | None = None) -> int:
    """Restart a server that dies (stack.supervise) until the client exits (its code), we are interrupted (0),
    or a server fails too often in a row (1, with its log tail)."""
    supervised = [Supervised(server, timeout) for server, timeout in zip(servers, HEALTH_TIMEOUTS, strict=True)]
    try:
        while client is None or client.poll() is None:
            for each in supervised:
                each.check()
            time.sleep(0.5)
        return client.returncode
    except GaveUp as failure:
        print(f"the assistant stopped: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if client is not None:
            client.send_signal(signal.SIGINT)
            try:
                client.wait(5)
            except subprocess.TimeoutExpired:
                client.kill()
        return 0


def client_argv(rasa_port: int, shaping: str) -> list[str]:
    """The Telegram bot when a token is set, else the terminal chat."""
    python = str(APP_VENV / "bin" / "python")
    url = f"http://127.0.0.1:{rasa_port}"
    if settings.get().telegram_token:
        return [python, "-m", "bot", "--rasa-url", url]
    return [python, "-m", "bot.terminal", "--url", url, "--shaping", shaping]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["serve", "run"])
    parser.add_argument(
        "--shaping",
        choices=["auto", "on", "off"],
        default="auto",
        help="terminal chat: shape Arabic for terminals that do not (run only)",
    )
    args = parser.parse_args()
    settings.check()
    rasa_port, actions_port = settings.get().rasa_port, settings.get().actions_port
    configure(logging.INFO)  # the supervisor's events as JSON lines on stderr
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        servers = start_servers(rasa_port, actions_port)
    except ServerFailed as failure:
        print(f"could not start the assistant: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    try:
        if args.command == "serve":
            return watch(servers)
        return watch(servers, subprocess.Popen(client_argv(rasa_port, args.shaping), cwd=ROOT))
    finally:
        stop(servers)
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
