"""`python -m stack.cluster start|stop` (`make cluster`, `make cluster-stop`): several Rasa and action servers
behind nginx, conversations in PostgreSQL, the conversation locks in Redis, all on this machine.

One Rasa process keeps one conversation's turns in order with an in-memory lock; several need a shared one
(Rasa's Redis lock store: two servers never answer the same sender at once) and a shared tracker store
(PostgreSQL: a conversation survives the server that began it). Rasa servers reach the action servers
through nginx too, so a dead action server is skipped. The action servers share one BERKANE_VAR (the
knowledge index: each follows its CURRENT version, so an update made once is served by all, without a
restart; the feedback file). Each process logs to its own file under var/cluster/logs; a process that
dies is restarted with a back-off (stack.supervise). A Telegram bot in webhook mode runs behind the same
nginx (`/telegram/`) when TELEGRAM_BOT_TOKEN and BERKANE_PUBLIC_URL are set.

State in BERKANE_VAR/cluster/: the PostgreSQL data, secrets.json (generated passwords, 0600: the defaults
when BERKANE_POSTGRES_PASSWORD / BERKANE_REDIS_PASSWORD are unset), generated configs, state.json (the pids,
for `stop`), logs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import secrets
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import settings
from observability.jsonlog import configure
from privacy.files import private_file
from settings import APP_VENV, var_dir
from stack import tokens
from stack.__main__ import interrupted  # the first signal stops all; later ones cannot interrupt the stop
from stack.cluster_engines import PortTaken, Postgres, Redis, check_free, nginx, nginx_config, wait_until
from stack.servers import Server, ServerFailed, action_server, free_port, rasa_server, write_endpoints
from stack.supervise import GaveUp, Supervised

HEALTH_TIMEOUTS = {"actions": 90.0, "rasa": 240.0, "other": 30.0}
WEBHOOK_PATH = "/telegram/webhook"
log = logging.getLogger("stack.cluster")


@dataclass(frozen=True)
class Layout:
    """How many of each, and where: from `settings` (the cluster block), overridable by the command line."""

    rasa: int
    actions: int
    port: int
    postgres_port: int
    redis_port: int
    bot_port: int
    var: Path

    @classmethod
    def from_settings(cls, rasa: int | None = None, actions: int | None = None) -> Layout:
        config = settings.get()
        return cls(
            rasa or config.cluster_rasa,
            actions or config.cluster_actions,
            config.cluster_port,
            config.cluster_postgres_port,
            config.cluster_redis_port,
            config.cluster_bot_port,
            var_dir(),
        )

    @property
    def home(self) -> Path:
        return self.var / "cluster"


def passwords(home: Path) -> dict[str, str]:
    """The PostgreSQL and Redis passwords: from the environment, else generated once into secrets.json (0600)."""
    path = home / "secrets.json"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    generated = {name: stored.get(name) or secrets.token_urlsafe(24) for name in ("postgres", "redis")}
    if generated != stored:
        private_file(path).write_text(json.dumps(generated), encoding="utf-8")
    config = settings.get()
    return {
        "postgres": config.postgres_password or generated["postgres"],
        "redis": config.redis_password or generated["redis"],
    }


@dataclass
class Cluster:
    """The engines and servers of one cluster; `start()` builds what is missing and waits until all answer."""

    layout: Layout
    engines: list[Server] = field(default_factory=list)
    servers: dict[str, list[Server]] = field(default_factory=lambda: {"actions": [], "rasa": [], "other": []})
    _state: str = field(default="", init=False, repr=False)  # state.json as last written

    @property
    def logs(self) -> Path:
        return self.layout.home / "logs"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.layout.port}"

    def all(self) -> list[Server]:
        return [*self.engines, *self.servers["actions"], *self.servers["rasa"], *self.servers["other"]]

    def start(self) -> None:
        layout = self.layout
        for port, what in (
            (layout.port, "nginx, BERKANE_CLUSTER_PORT"),
            (layout.postgres_port, "PostgreSQL, BERKANE_CLUSTER_POSTGRES_PORT"),
            (layout.redis_port, "Redis, BERKANE_CLUSTER_REDIS_PORT"),
        ):
            check_free(port, what)
        layout.home.mkdir(parents=True, exist_ok=True)
        os.chmod(layout.home, 0o711)  # the postgres user reaches its data folder inside; nobody lists it
        secret = passwords(layout.home)
        try:
            self._start_engines(secret)
            self._start_servers(secret)
        except BaseException:
            self.stop()
            raise
        self._write_state()

    def _start_engines(self, secret: dict[str, str]) -> None:
        home, layout = self.layout.home, self.layout
        postgres = Postgres(home / "postgres", layout.postgres_port, secret["postgres"], self.logs)
        self.engines.append(postgres.server)
        postgres.start()
        redis = Redis(home / "redis", layout.redis_port, secret["redis"], self.logs)
        self.engines.append(redis.server)
        redis.start()
        # the servers' configuration: read by write_endpoints here, by Rasa from its environment
        os.environ.update(
            BERKANE_TRACKER_DB_URL=postgres.url,
            BERKANE_REDIS_URL=redis.url,
            BERKANE_REDIS_PASSWORD=secret["redis"],
            BERKANE_VAR=str(layout.var),
        )
        run = tokens.session()
        os.environ.update(BERKANE_RASA_TOKEN=run.rasa, BERKANE_ACTIONS_TOKEN=run.actions)
        tokens.publish(layout.var, run)

    def _start_servers(self, secret: dict[str, str]) -> None:
        layout = self.layout
        rasa_ports = [free_port() for _ in range(layout.rasa)]
        action_ports = [free_port() for _ in range(layout.actions)]
        balancer = free_port()
        env = {"BERKANE_VAR": str(layout.var), "BERKANE_RETENTION_DAYS": str(settings.get().retention_days)}
        for number, port in enumerate(action_ports, 1):
            server = action_server(port, self.logs / f"actions-{number}", env)
            self.servers["actions"].append(replace(server, name=f"action server {number}").start())
        config = nginx_config(
            self.layout.home / "nginx", layout.port, rasa_ports, balancer, action_ports, layout.bot_port
        )
        proxy = nginx(self.layout.home / "nginx", config, self.logs, layout.port)
        self.servers["other"].append(proxy.start())
        file = write_endpoints(layout.home / "endpoints.yml", balancer, layout.home / "unused-tracker.db", True)
        for number, port in enumerate(rasa_ports, 1):
            server = rasa_server(port, file, self.logs / f"rasa-{number}", env=env)
            self.servers["rasa"].append(replace(server, name=f"Rasa server {number}").start())
        bot = self._bot()
        if bot is not None:
            self.servers["other"].append(bot.start())
        for kind, servers in self.servers.items():
            for server in servers:
                if server.health_url:
                    server.wait_healthy(HEALTH_TIMEOUTS[kind])
                else:
                    wait_until(server, lambda: True, 1)

    def _bot(self) -> Server | None:
        """The Telegram bot in webhook mode behind nginx, when a token and a public address are configured."""
        config = settings.get()
        if not (config.telegram_token and config.public_url):
            return None
        return Server(
            name="Telegram bot (webhook)",
            argv=[
                str(APP_VENV / "bin" / "python"),
                "-m",
                "bot",
                "--rasa-url",
                self.url,
                "--webhook-url",
                config.public_url.rstrip("/") + WEBHOOK_PATH,
                "--listen",
                "127.0.0.1",
                "--port",
                str(self.layout.bot_port),
            ],
            health_url="",
            log_path=self.logs / "bot.log",
        )

    def _write_state(self) -> None:
        state = {
            "supervisor": os.getpid(),
            "url": self.url,
            "processes": {server.name: server.process.pid for server in self.all() if server.process},
            "rasa": [server.health_url.split("?")[0] for server in self.servers["rasa"]],
            "actions": [server.health_url for server in self.servers["actions"]],
            "logs": {server.name: str(server.log_path) for server in self.all()},
        }
        text = json.dumps(state, indent=1)
        if text != self._state:  # at start, and when a restarted server has a new pid
            private_file(self.layout.home / "state.json").write_text(text, encoding="utf-8")
            self._state = text

    def watch(self) -> int:
        """Restart a server that dies until interrupted (0) or one keeps failing (1); an engine's death stops all."""
        supervised = [
            Supervised(server, HEALTH_TIMEOUTS[kind])
            for kind, servers in self.servers.items()
            for server in servers
            if server.health_url
        ]
        try:
            while True:
                for each in supervised:
                    each.check()
                for engine in self.engines:
                    if engine.process is not None and engine.process.poll() is not None:
                        print(f"the cluster stopped: {engine.name} exited\n{engine.log_tail()}", file=sys.stderr)
                        return 1
                self._write_state()
                time.sleep(0.5)
        except GaveUp as failure:
            print(f"the cluster stopped: {failure}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0

    def stop(self) -> None:
        """nginx (and the bot) first, then the Rasa servers, the action servers, Redis, PostgreSQL last (after its
        clients); the servers of one kind in parallel (a Rasa server takes ~5 s to shut down)."""
        tiers = [
            self.servers["other"],
            self.servers["rasa"],
            self.servers["actions"],
            *([e] for e in self.engines[::-1]),
        ]
        with ThreadPoolExecutor(max(1, len(self.servers["rasa"]), len(self.servers["actions"]))) as pool:
            for tier in tiers:
                list(pool.map(Server.stop, tier))
        with contextlib.suppress(FileNotFoundError):
            (self.layout.home / "state.json").unlink()


def stop_running(home: Path, timeout: float = 60) -> int:
    """`make cluster-stop`: SIGTERM the cluster's supervisor and wait for it; any process left behind by a
    supervisor that was killed outright gets its own SIGTERM."""
    path = home / "state.json"
    if not path.is_file():
        print("no cluster running")
        return 0
    state = json.loads(path.read_text(encoding="utf-8"))
    with contextlib.suppress(ProcessLookupError):
        os.kill(state["supervisor"], signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while path.is_file() and time.monotonic() < deadline and alive(state["supervisor"]):
        time.sleep(0.3)
    for pid in state["processes"].values():
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    print("cluster stopped")
    return 0


def alive(pid: int) -> bool:
    """True while process `pid` exists (a zombie too: its parent has not reaped it yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--rasa", type=int, help="Rasa servers (default BERKANE_CLUSTER_RASA)")
    parser.add_argument("--actions", type=int, help="action servers (default BERKANE_CLUSTER_ACTIONS)")
    args = parser.parse_args(argv)
    settings.check()
    layout = Layout.from_settings(args.rasa, args.actions)
    if args.command == "stop":
        return stop_running(layout.home)
    configure(logging.INFO)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    cluster = Cluster(layout)
    started = time.monotonic()
    try:
        cluster.start()
    except (ServerFailed, PortTaken) as failure:
        print(f"could not start the cluster: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    try:
        print(
            f"cluster ready in {time.monotonic() - started:.1f} s: {layout.rasa} Rasa and {layout.actions} action "
            f"servers behind nginx on {cluster.url} (REST webhook {cluster.url}/webhooks/rest/webhook, "
            f"Telegram webhook {WEBHOOK_PATH}); PostgreSQL :{layout.postgres_port}, Redis :{layout.redis_port}; "
            f"logs in {cluster.logs}; tokens in {layout.var / tokens.FILE}",
            flush=True,
        )
        return cluster.watch()
    finally:
        cluster.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
