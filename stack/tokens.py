"""The two shared secrets: Rasa's HTTP API token and the token Rasa presents to the action server.

Each is BERKANE_RASA_TOKEN / BERKANE_ACTIONS_TOKEN when set (a cluster sets both, from its secret store),
else a random one made once per process that starts the servers (`make serve`, the test fixtures, the
benchmark), so no tracked file and no command line ever holds one. `stack` writes the pair to
var/tokens.json (0600) for local tools (the admin, the benchmark) talking to the running servers.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import settings
from privacy.files import private_file

FILE = "tokens.json"


@dataclass(frozen=True)
class Tokens:
    rasa: str
    actions: str


@lru_cache(maxsize=1)
def session() -> Tokens:
    """The configured tokens, a fresh random one for each that is not configured (the same for this process)."""
    config = settings.get()
    return Tokens(config.rasa_token or secrets.token_urlsafe(32), config.actions_token or secrets.token_urlsafe(32))


def for_local_tool(name: str) -> str | None:
    """Token `name` ("rasa" or "actions") for a trusted local tool (the bot, the trainer): the configured one,
    else the one the running stack published in var/tokens.json; read at each use, since `stack` makes new
    ones at each start. None when neither is there."""
    config = settings.get()
    configured = config.rasa_token if name == "rasa" else config.actions_token
    if configured:
        return configured
    try:
        return json.loads((settings.var_dir() / FILE).read_text(encoding="utf-8"))[name]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def publish(var: Path, tokens: Tokens) -> Path:
    """Write `tokens` to `var`/tokens.json, readable by their owner only."""
    path = private_file(var / FILE)
    path.write_text(json.dumps(asdict(tokens)), encoding="utf-8")
    return path
