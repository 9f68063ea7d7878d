"""Back-office accounts (name, role, argon2 hash) and the audit log (who did what, when), in var/admin.sqlite.

One small SQLite file, opened per call like the feedback store, readable by its owner only (0600). Passwords
are hashed with argon2id (argon2-cffi's defaults); a hash made with older parameters is upgraded at login.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from privacy.files import private_file
from privacy.redact import redact
from settings import var_dir

ADMIN_FILE = "admin.sqlite"
ROLES = ("admin", "trainer", "analyst")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$")
MIN_PASSWORD = 10
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    detail TEXT);
CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, name TEXT NOT NULL, at REAL NOT NULL);
"""
_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name takes as long as a wrong password
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A refused account change; the message is one line for the admin."""


@dataclass(frozen=True)
class User:
    name: str
    role: str


def check_new(name: str, role: str, password: str) -> None:
    if not NAME_RE.match(name):
        raise AccountError("nom invalide : 2 à 40 caractères, lettres, chiffres, . _ -")
    if role not in ROLES:
        raise AccountError(f"rôle inconnu {role!r} (admin, trainer, analyst)")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mot de passe trop court (au moins {MIN_PASSWORD} caractères)")


class Accounts:
    """Users and audit entries; every method opens and closes its own connection."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else var_dir() / ADMIN_FILE
        private_file(self.path)
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.row_factory = sqlite3.Row
            yield db

    def create(self, name: str, role: str, password: str, actor: str) -> User:
        check_new(name, role, password)
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO users (name, role, hash, created) VALUES (?, ?, ?, ?)",
                    (name, role, _hasher.hash(password), time.time()),
                )
        except sqlite3.IntegrityError:
            raise AccountError(f"le compte {name!r} existe déjà") from None
        self.audit(actor, "user created", f"{name} ({role})")
        return User(name, role)

    def delete(self, name: str, actor: str) -> bool:
        with self._db() as db:
            gone = db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))
        if gone:
            self.audit(actor, "user deleted", name)
        return bool(gone)

    def get(self, name: str) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
        return User(row["name"], row["role"]) if row else None

    def users(self) -> list[dict]:
        with self._db() as db:
            return [dict(row) for row in db.execute("SELECT name, role, created FROM users ORDER BY name")]

    def count(self, role: str | None = None) -> int:
        with self._db() as db:
            if role:
                return db.execute("SELECT COUNT(*) FROM users WHERE role = ?", (role,)).fetchone()[0]
            return db.execute("SELECT COUNT(*) FROM users").fetchone()[0]

    def verify(self, name: str, password: str) -> User | None:
        """The user when `password` is theirs, else None (same work either way)."""
        with self._db() as db:
            row = db.execute("SELECT name, role, hash FROM users WHERE name = ?", (name,)).fetchone()
        try:
            _hasher.verify(row["hash"] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _hasher.check_needs_rehash(row["hash"]):
            with self._db() as db:
                db.execute("UPDATE users SET hash = ? WHERE name = ?", (_hasher.hash(password), name))
        return User(row["name"], row["role"])

    def open_session(self, user: User) -> str:
        """A new session id for `user` (kept in the signed cookie): a logout or a deleted account ends it here,
        so a copy of the cookie taken before is worth nothing after."""
        sid = secrets.token_urlsafe(32)
        with self._db() as db:
            db.execute("INSERT INTO sessions (sid, name, at) VALUES (?, ?, ?)", (sid, user.name, time.time()))
        return sid

    def session_user(self, sid: str, max_age: float) -> User | None:
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.name WHERE s.sid = ? AND s.at > ?",
                (sid, time.time() - max_age),
            ).fetchone()
        return User(row["name"], row["role"]) if row else None

    def close_session(self, sid: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE sid = ? OR at < ?", (sid, time.time() - 30 * 86400))

    def audit(self, actor: str, action: str, detail: str | None = None) -> None:
        """Write one audit entry (the detail redacted: a citizen's text may be quoted in it)."""
        with self._db() as db:
            db.execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                (time.time(), actor, action, redact(detail)[:500] if detail else None),
            )

    def audit_log(self, limit: int = 200) -> list[dict]:
        """Newest first."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) for row in rows]
