"""The cluster's own PostgreSQL, Redis and nginx: each started from Debian's binaries with a configuration
generated into the cluster's state folder, on the port asked, logging to its own file, stopped with it.

Never the system services: a data directory, a config file and a log per engine under one folder, so a test
builds everything from nothing and `make cluster-stop` leaves nothing running. PostgreSQL refuses to run as
root: as root, initdb and postgres run as the `postgres` user (the Debian package creates it) through
`runuser`, in a data directory that user owns; the other engines run as the caller (nginx's workers as
`nobody`, its default).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from stack.servers import Server, ServerFailed

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = ROLE = "rasa"
INSTALL_HINT = "run `bash scripts/engines.sh postgresql redis nginx` (Debian packages)"


class PortTaken(RuntimeError):
    """A port the cluster must listen on already has a listener; the message names it and its setting."""


def check_free(port: int, what: str) -> None:
    """Raise PortTaken when something already listens on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise PortTaken(f"port {port} is taken ({what}): stop what listens there or choose another") from None


def binary(path: str | Path) -> str:
    """The engine's executable, or ServerFailed saying how to install it."""
    found = shutil.which(str(path)) or (str(path) if Path(path).is_file() else None)
    if not found:
        raise ServerFailed(f"{path} not found: {INSTALL_HINT}")
    return found


def wait_until(server: Server, ready: Callable[[], bool], timeout: float) -> None:
    """Block until `ready()` (the engine answers), else ServerFailed with its log tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise ServerFailed(f"{server.name} exited with code {server.process.returncode}\n{server.log_tail()}")
        if ready():
            return
        time.sleep(0.2)
    raise ServerFailed(f"{server.name} did not become ready within {timeout:.0f} s\n{server.log_tail()}")


def _as_postgres(argv: Sequence[str]) -> list[str]:
    """`argv` run as the `postgres` user when we are root (PostgreSQL refuses root), as is otherwise."""
    if os.geteuid() != 0:
        return list(argv)
    return [binary("runuser"), "-u", "postgres", "--", *argv]


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)


class Postgres:
    """A PostgreSQL 15 cluster in `data` on 127.0.0.1:`port`, its unix socket in `data` (reachable only by
    its owner), with the `rasa` role (password `password`) owning the `rasa` database."""

    def __init__(self, data: Path, port: int, password: str, log_dir: Path) -> None:
        self.data, self.port, self.password = data, port, password
        self.server = Server(
            name="PostgreSQL",
            argv=_as_postgres(
                [
                    binary(PG_BIN / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(port),
                    "-k",
                    str(data),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "max_connections=200",
                    "-c",
                    "fsync=on",
                ]
            ),
            health_url="",
            log_path=log_dir / "postgres.log",
        )

    @property
    def url(self) -> str:
        """What Rasa's SQL tracker store is given (BERKANE_TRACKER_DB_URL): password included, never in a file."""
        return f"postgresql://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self, timeout: float = 60) -> None:
        if not (self.data / "PG_VERSION").is_file():
            self._init()
        self.server.start()
        wait_until(self.server, self._ready, timeout)
        self._ensure_role()

    def _init(self) -> None:
        """initdb: local socket connections by the owner only (trust; the socket's folder is 0700), TCP by
        password (scram-sha-256)."""
        self.data.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.data, 0o700)
        _give_to_postgres(self.data)
        if subprocess.run(_as_postgres(["test", "-w", str(self.data)]), cwd="/").returncode != 0:
            raise ServerFailed(
                f"the postgres user cannot reach {self.data}: every folder above it must be searchable (chmod o+x)"
            )
        done = subprocess.run(
            _as_postgres(
                [
                    binary(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            capture_output=True,
            text=True,
            cwd="/",
        )
        if done.returncode != 0:
            raise ServerFailed(f"initdb failed in {self.data}:\n{done.stderr or done.stdout}")

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run `sql` as the superuser over the unix socket; its output."""
        done = subprocess.run(
            _as_postgres(
                [
                    binary(PG_BIN / "psql"),
                    "-h",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-d",
                    database,
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-tAc",
                    sql,
                ]
            ),
            capture_output=True,
            text=True,
            cwd="/",
        )
        if done.returncode != 0:
            raise ServerFailed(f"PostgreSQL refused {sql.split()[0]}: {done.stderr.strip()}")
        return done.stdout.strip()

    def _ready(self) -> bool:
        done = subprocess.run(
            _as_postgres([binary(PG_BIN / "pg_isready"), "-q", "-h", str(self.data), "-p", str(self.port)]),
            capture_output=True,
            cwd="/",
        )
        return done.returncode == 0

    def _ensure_role(self) -> None:
        """The `rasa` role with the current password and its database (created once, password set each start,
        so a changed BERKANE_POSTGRES_PASSWORD takes effect)."""
        quoted = self.password.replace("'", "''")
        if self.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'") != "1":
            self.psql(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{quoted}'")
        else:
            self.psql(f"ALTER ROLE {ROLE} PASSWORD '{quoted}'")
        if self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") != "1":
            self.psql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")


class Redis:
    """A Redis server on 127.0.0.1:`port` with a password, no persistence (it holds only the ticket locks
    of conversations being answered: nothing to keep across a restart)."""

    def __init__(self, folder: Path, port: int, password: str, log_dir: Path) -> None:
        self.folder, self.port, self.password = folder, port, password
        self.config = folder / "redis.conf"
        self.server = Server(
            name="Redis",
            argv=[binary("redis-server"), str(self.config)],
            health_url="",
            log_path=log_dir / "redis.log",
        )

    @property
    def url(self) -> str:
        """BERKANE_REDIS_URL (database 1, the lock store's)."""
        return f"redis://:{self.password}@127.0.0.1:{self.port}/1"

    def start(self, timeout: float = 30) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config.touch(mode=0o600)
        self.config.write_text(
            f"port {self.port}\nbind 127.0.0.1\nprotected-mode yes\nrequirepass {self.password}\n"
            f'daemonize no\nlogfile ""\ndir {self.folder}\nsave ""\nappendonly no\n',
            encoding="utf-8",
        )
        self.server.start()
        wait_until(self.server, self.ping, timeout)

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, password=self.password, socket_timeout=1).ping())
        except redis.RedisError:
            return False


def nginx_config(
    prefix: Path, port: int, rasa_ports: Sequence[int], actions_port: int, action_ports: Sequence[int], bot_port: int
) -> str:
    """nginx in front: citizens' and clients' paths (`/webhooks/...`, `/status`, Rasa's API) spread over the
    Rasa servers, `/telegram/` to the bot's webhook server, and on `actions_port` the action servers for
    the Rasa servers. A server that refuses a connection is skipped for 5 s and the request goes to the
    next one (nginx never resends a POST that reached a server: no message answered twice)."""
    rasa = "".join(f"    server 127.0.0.1:{each} max_fails=1 fail_timeout=5s;\n" for each in rasa_ports)
    actions = "".join(f"    server 127.0.0.1:{each} max_fails=1 fail_timeout=5s;\n" for each in action_ports)
    proxy = (
        '      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n'
        "      proxy_set_header Host $host;\n      proxy_set_header X-Forwarded-For $remote_addr;\n"
        "      proxy_read_timeout 120s;\n      proxy_next_upstream error timeout http_502 http_503;\n"
    )
    return f"""daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/client_body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  client_max_body_size 1m;
  upstream rasa {{
{rasa}    keepalive 64;
  }}
  upstream actions {{
{actions}    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    location = /nginx-health {{ return 200 "ok\\n"; }}
    location /telegram/ {{
      proxy_pass http://127.0.0.1:{bot_port};
{proxy}    }}
    location / {{
      proxy_pass http://rasa;
{proxy}    }}
  }}
  server {{
    listen 127.0.0.1:{actions_port};
    location / {{
      proxy_pass http://actions;
{proxy}    }}
  }}
}}
"""


def nginx(prefix: Path, config: str, log_dir: Path, port: int) -> Server:
    """nginx with `config` written to `prefix`/nginx.conf (`-p prefix -c conf`), healthy on /nginx-health."""
    prefix.mkdir(parents=True, exist_ok=True)
    os.chmod(prefix, 0o711)  # workers (nobody) reach their temp folders, list nothing
    conf = prefix / "nginx.conf"
    conf.write_text(config, encoding="utf-8")
    return Server(
        name="nginx",
        argv=[binary("nginx"), "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
        health_url=f"http://127.0.0.1:{port}/nginx-health",
        log_path=log_dir / "nginx.log",
    )
