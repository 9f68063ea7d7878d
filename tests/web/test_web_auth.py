"""Accounts, sessions and refusals of the back office (Starlette's TestClient on the real app and files)."""

from __future__ import annotations

import io

import pytest

GET_PAGES = [
    "/",
    "/kb",
    "/kb/versions",
    "/kb/search?q=passeport",
    "/kb/docs/fx-passport-fr",
    "/queue",
    "/conversations",
    "/conversations/someone",
    "/handoffs",
    "/analytics",
    "/training",
    "/training/jobs/j1",
    "/users",
    "/audit",
]
POSTS = [
    "/kb/upload",
    "/kb/publish",
    "/kb/versions/v0001/rollback",
    "/kb/docs/fx-passport-fr/edit",
    "/kb/docs/fx-passport-fr/delete",
    "/queue/unanswered/1",
    "/handoffs/1",
    "/training/start",
    "/training/rollback",
    "/training/jobs/j1/activate",
    "/users",
]


def on_login_page(response) -> bool:
    return response.url.path == "/login" and 'id="login-form"' in response.text


def test_logged_out_every_page_and_action_leads_to_the_login_page(browser, web_var):
    visitor = browser()
    serving = (web_var / "kb" / "CURRENT").read_text()
    for url in GET_PAGES:
        response = visitor.get(url)
        assert on_login_page(response), url
    for url in POSTS:
        response = visitor.post(url, {"name": "intruder", "role": "admin", "password": "x" * 12})
        assert on_login_page(response), url
    assert (web_var / "kb" / "CURRENT").read_text() == serving
    assert visitor.get("/login?next=/queue").status_code == 200


def test_a_form_without_the_sessions_csrf_token_is_refused_and_changes_nothing(browser):
    admin = browser("admin")
    for token in ("forged", ""):
        response = admin.post("/users", {"name": "mallory", "role": "admin", "password": "p" * 12}, csrf=token)
        assert response.status_code == 403 and "CSRF" in response.text
    assert "mallory" not in admin.get("/users").text
    assert admin.post("/kb/publish", csrf="forged").status_code == 403
    stranger = browser()
    stranger.get("/login")
    assert stranger.post("/login", {"name": "admin", "password": "correct horse battery"}, csrf="x").status_code == 403


@pytest.mark.parametrize(
    "role, allowed, refused",
    [
        ("analyst", ["/analytics"], ["/kb", "/queue", "/conversations", "/handoffs", "/training", "/users", "/audit"]),
        ("trainer", ["/kb", "/queue", "/conversations", "/handoffs", "/training", "/analytics"], ["/users", "/audit"]),
    ],
)
def test_each_role_sees_only_its_pages(browser, role, allowed, refused):
    user = browser(role)
    for url in allowed:
        assert user.get(url).status_code == 200, url
    for url in refused:
        response = user.get(url)
        assert response.status_code == 403 and "rôle" in response.text, url


@pytest.mark.parametrize("role", ["analyst", "trainer"])
def test_only_an_admin_publishes_uploads_or_rolls_back_and_an_analyst_cannot_train(browser, web_var, role):
    user = browser(role)
    serving = (web_var / "kb" / "CURRENT").read_text()
    files = {"file": ("fact.md", b"# Fact\n\nA new fact.\n", "text/markdown")}
    assert user.post("/kb/upload", files=files).status_code == 403
    assert user.post("/kb/publish").status_code == 403
    assert user.post("/kb/versions/v0001/rollback").status_code == 403
    assert user.post("/kb/docs/fx-passport-fr/delete").status_code == 403
    assert (web_var / "kb" / "CURRENT").read_text() == serving
    assert not (web_var / "admin" / "drafts").exists()
    if role == "analyst":
        assert user.post("/training/start").status_code == 403
        assert user.post("/training/rollback").status_code == 403


def test_repeated_wrong_passwords_are_slowed_then_the_right_one_works_after_the_wait(browser):
    from web.throttle import LoginThrottle

    guesser = browser()
    now = [1000.0]
    guesser.client.app.state.throttle = LoginThrottle(clock=lambda: now[0])  # the wait, without sleeping it
    for _ in range(3):
        response = guesser.login("admin", "wrong password!")
        assert response.status_code == 401 and "incorrect" in response.text
    response = guesser.login("admin", "wrong password!")
    assert response.status_code == 429 and "réessayez dans" in response.text
    response = guesser.login("admin")  # even the right password waits its turn
    assert response.status_code == 429
    now[0] += 2.1
    response = guesser.login("admin")
    assert response.status_code == 200 and "admin (admin)" in response.text
    audit = guesser.get("/audit").text
    assert audit.count("login failed") == 3 and "login refused (throttled)" in audit


def test_logout_ends_the_session_and_a_tampered_cookie_is_not_a_session(browser):
    admin = browser("admin")
    assert admin.get("/queue").status_code == 200
    cookie = admin.client.cookies.get("berkane_admin")
    assert cookie
    response = admin.post("/logout")
    assert on_login_page(response)
    assert on_login_page(admin.get("/queue"))
    forger = browser()
    forger.client.cookies.set("berkane_admin", cookie[:-4] + ("AAAA" if not cookie.endswith("AAAA") else "BBBB"))
    assert on_login_page(forger.get("/queue"))
    thief = browser()  # a copy of the cookie taken before the logout
    thief.client.cookies.set("berkane_admin", cookie)
    assert on_login_page(thief.get("/queue"))


def test_login_goes_back_to_the_page_asked_for_but_never_off_the_site(browser):
    visitor = browser()
    visitor.get("/login")
    fields = {"name": "admin", "password": "correct horse battery"}
    response = visitor.post("/login", {**fields, "next": "//evil.example/x"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    other = browser()
    other.get("/login")
    response = other.post("/login", {**fields, "next": "/handoffs"}, follow_redirects=False)
    assert response.headers["location"] == "/handoffs"


def test_session_key_and_accounts_are_private_files_and_passwords_are_argon2(browser, web_var):
    browser("admin")
    for name in ("admin.secret", "admin.sqlite"):
        assert (web_var / name).stat().st_mode & 0o777 == 0o600, name
    import sqlite3

    with sqlite3.connect(web_var / "admin.sqlite") as db:
        stored = db.execute("SELECT hash FROM users WHERE name = 'admin'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_create_admin_reads_the_password_from_stdin_never_argv(web_var, monkeypatch, capsys):
    from web.__main__ import main
    from web.accounts import Accounts

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["create-admin", "chief"]) == 0
    user = Accounts().verify("chief", "a long enough password")
    assert user and user.role == "admin"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-admin", "deputy"]) == 1
    assert "trop court" in capsys.readouterr().err
    assert Accounts().get("deputy") is None
    with pytest.raises(SystemExit):  # no password option on the command line
        main(["create-admin", "eve", "--password", "a long enough password"])


def test_an_admin_creates_and_deletes_accounts_and_the_audit_log_says_who(browser):
    admin = browser("admin")
    response = admin.post("/users", {"name": "nadia", "role": "analyst", "password": "nadia's password"})
    assert "Compte nadia (analyst) créé" in response.text
    assert browser().login("nadia", "nadia's password").status_code == 200
    response = admin.post("/users", {"name": "x", "role": "root", "password": "short"})
    assert "nom invalide" in response.text
    admin.post("/users", {"delete": "nadia"})
    audit = admin.get("/audit").text
    assert "user created" in audit and "nadia (analyst)" in audit and "user deleted" in audit


def test_the_arabic_toggle_turns_the_interface_right_to_left(browser):
    admin = browser("admin")
    assert 'dir="ltr"' in admin.get("/kb").text
    response = admin.post("/ui", {"ui": "ar", "back": "/kb"})
    assert 'dir="rtl"' in response.text and "قاعدة المعارف" in response.text
    response = admin.post("/ui", {"ui": "fr", "back": "https://evil.example/"})
    assert response.url.path == "/" or response.url.path == "/queue"


def test_behind_an_https_proxy_the_session_cookie_is_secure(web_var, monkeypatch):
    from starlette.testclient import TestClient

    from web.app import create_app

    for https, secure in (("0", False), ("1", True)):
        monkeypatch.setenv("BERKANE_ADMIN_HTTPS", https)
        with TestClient(create_app(), base_url="https://127.0.0.1") as client:
            cookie = client.get("/login").headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and ("; secure" in cookie) is secure
