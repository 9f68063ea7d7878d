"""`python -m stack serve` (both servers, foreground) and `python -m stack run` (servers + a chat client).

Ports, state folder and endpoints come from `settings` (RASA_PORT, ACTIONS_PORT, BERKANE_VAR, BERKANE_ENDPOINTS):
a deployment that wants its own endpoints (PostgreSQL tracker store, Redis lock store) points
BERKANE_ENDPOINTS at its endpoints file.
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

import settings
from settings import APP_VENV, ROOT, var_dir
from stack.servers import Server, ServerFailed, action_server, default_log_dir, rasa_server, write_endpoints


def start_servers(rasa_port: int, actions_port: int) -> list[Server]:
    """Start the action server then the Rasa server; wait until both answer. Stops both on failure."""
    logs = default_log_dir()
    endpoints = settings.get().endpoints or \
        write_endpoints(var_dir() / "endpoints.yml", actions_port, var_dir() / "tracker.db")
    servers = [action_server(actions_port, logs), rasa_server(rasa_port, endpoints, logs)]
    started = time.monotonic()
    try:
        for server in servers:
            server.start()
        for server, timeout in zip(servers, (90, 180)):
            server.wait_healthy(timeout)
    except ServerFailed:
        stop(servers)
        raise
    print(f"action server  http://127.0.0.1:{actions_port}  (log {servers[0].log_path})", flush=True)
    print(f"Rasa server    http://127.0.0.1:{rasa_port}/webhooks/rest/webhook  (log {servers[1].log_path})",
          flush=True)
    print(f"ready in {time.monotonic() - started:.1f} s", flush=True)
    return servers


def stop(servers: list[Server]) -> None:
    for server in reversed(servers):
        server.stop()


def watch(servers: list[Server]) -> int:
    """Wait until a server dies (exit 1 with its log tail) or we are interrupted (exit 0)."""
    try:
        while True:
            for server in servers:
                if server.process.poll() is not None:
                    print(f"{server.name} stopped (code {server.process.returncode})\n{server.log_tail()}",
                          file=sys.stderr)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
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
    parser.add_argument("--shaping", choices=["auto", "on", "off"], default="auto",
                        help="terminal chat: shape Arabic for terminals that do not (run only)")
    args = parser.parse_args()
    settings.check()
    rasa_port, actions_port = settings.get().rasa_port, settings.get().actions_port
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        servers = start_servers(rasa_port, actions_port)
    except ServerFailed as failure:
        print(f"could not start the assistant: {failure}", file=sys.stderr)
        return 1
    try:
        if args.command == "serve":
            return watch(servers)
        client = subprocess.Popen(client_argv(rasa_port, args.shaping), cwd=ROOT)
        try:
            return client.wait()
        except KeyboardInterrupt:
            client.send_signal(signal.SIGINT)
            try:
                client.wait(5)
            except subprocess.TimeoutExpired:
                client.kill()
            return 0
    finally:
        stop(servers)
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
