"""Call-back numbers kept encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256), readable only with the key.

A handoff record is the one place a citizen's phone number is kept in clear meaning (the team must call
back); the file holding it must still show nothing to whoever copies it. The key is BERKANE_DATA_KEY (a
cluster sets it from its secret store, the same on every node), else one generated once in var/data.key,
readable by its owner only (like var/tokens.json). Application environment (`settings`, `cryptography`).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

import settings
from privacy.files import private_file

KEY_FILE = "data.key"


def _key() -> bytes:
    configured = settings.get().data_key
    if configured:
        return configured.encode("ascii")
    path = settings.var_dir() / KEY_FILE
    if not path.is_file() or not path.read_bytes().strip():
        private_file(path).write_bytes(Fernet.generate_key())
    return path.read_bytes().strip()


def seal(secret: str | None) -> str | None:
    """`secret` encrypted (an ASCII token), None for None."""
    return Fernet(_key()).encrypt(secret.encode("utf-8")).decode("ascii") if secret else None


def unseal(token: str | None) -> str | None:
    """The clear text of `seal`'s token; None for None, "[unreadable]" under another key than it was sealed with."""
    if not token:
        return None
    try:
        return Fernet(_key()).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return "[unreadable]"
