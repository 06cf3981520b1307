"""Security of the web edge: network binds need a password, no session no access, CSRF on forms, JSON-only API
writes, and one user never reads another's profile."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import both_backends
from test_web_fixtures import CSRF_RE, client_for, csrf_of, login, make_app, serve_process


@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_network_bind_without_password_refuses_to_start(tmp_path, host):
    env = dict(os.environ, PHOTODOSE_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "photodose", "serve", "--host", host, "--port", "1"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--set-password" in lines[0] and host in lines[0]
    assert "Traceback" not in result.stderr


def test_loopback_rule():
    from photodose.web.auth import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "192.168.0.2", "myhost.local"))


def test_set_password_stores_an_argon2_hash_only(tmp_path, monkeypatch):
    from photodose.cli import app
    from typer.testing import CliRunner
    from photodose.web import auth

    result = CliRunner().invoke(app, ["serve", "--set-password", "--user", "carol"],
                                input="correct horse\ncorrect horse\n", env={"PHOTODOSE_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    stored = (tmp_path / auth.USERS_FILENAME).read_text()
    assert "correct horse" not in stored and "$argon2id$" in stored
    assert oct((tmp_path / auth.USERS_FILENAME).stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path))
    assert auth.verify_password("carol", "correct horse")
    assert not auth.verify_password("carol", "wrong horse")
    assert not auth.verify_password("nobody", "correct horse")


def test_requests_without_a_session_are_refused(login_app):
    client = client_for(login_app)
    for path in ("/", "/journal", "/progress", "/profile", "/devices", "/screening"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
    for path in ("/api/profiles", "/api/devices", "/openapi.json"):
        assert client.get(path).status_code == 401
    assert client.post("/api/profiles", json={"name": "x"}).status_code == 401
    assert client.get("/static/style.css").status_code == 200  # the login page still has its style


def test_login_wrong_password_and_tampered_cookie(login_app):
    client = client_for(login_app)
    assert login(client, "alice", "not-her-password", next_path="/journal").status_code == 401
    assert client.get("/api/profiles").status_code == 401
    r = login(client, "alice", "alice-secret-1", next_path="/journal")
    assert r.status_code == 303 and r.headers["location"] == "/journal"
    assert client.get("/api/profiles").status_code == 200
    cookie = client.cookies.get("photodose_session")
    client.cookies.set("photodose_session", cookie[:-4] + ("AAAA" if not cookie.endswith("AAAA") else "BBBB"))
    assert client.get("/api/profiles").status_code == 401


def test_login_redirect_stays_on_this_site(login_app):
    client = client_for(login_app)
    token = CSRF_RE.search(client.get("/login").text).group(1)
    r = client.post("/login", data={"csrf_token": token, "user": "alice", "password": "alice-secret-1",
                                    "next": "//evil.example/steal"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_csrf_less_form_posts_are_rejected(login_app):
    client = client_for(login_app)
    assert client.post("/login", data={"user": "alice", "password": "alice-secret-1"}).status_code == 403
    login(client, "alice", "alice-secret-1", next_path="/journal")
    assert client.post("/profile/new", data={"name": "Alice"}).status_code == 403
    assert client.post("/profile/new", data={"name": "Alice", "csrf_token": "forged"}).status_code == 403
    assert client.get("/api/profiles").json() == []  # nothing was written
    ok = client.post("/profile/new", data={"name": "Alice", "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert ok.status_code == 303
    # API writes must be JSON (a cross-site HTML form cannot send that) ...
    assert client.post("/api/profiles", data={"name": "Form"}).status_code == 415
    # ... and DELETE with a login session needs the CSRF token in a header
    pid = client.get("/api/profiles").json()[0]["id"]
    assert client.delete(f"/api/profiles/{pid}").status_code == 403
    assert client.delete(f"/api/profiles/{pid}", headers={"x-csrf-token": csrf_of(client)}).status_code == 204


@both_backends
def test_one_user_cannot_read_another_users_profile(login_app):
    alice, bob = client_for(login_app), client_for(login_app)
    login(alice, "alice", "alice-secret-1", next_path="/journal")
    login(bob, "bob", "bob-secret-22", next_path="/journal")
    pid = alice.post("/api/profiles", json={"name": "Alice"}).json()["id"]
    alice.post(f"/api/profiles/{pid}/outcomes", json={"instrument": "phq9", "items": [2] * 9})
    assert [p["name"] for p in alice.get("/api/profiles").json()] == ["Alice"]

    assert bob.get("/api/profiles").json() == []
    for path in ("", "/export", "/outcomes", "/sessions", "/plans", "/progress"):
        assert bob.get(f"/api/profiles/{pid}{path}").status_code == 404
    assert bob.post(f"/api/profiles/{pid}/outcomes", json={"instrument": "phq9", "items": [0] * 9}).status_code == 404
    assert bob.delete(f"/api/profiles/{pid}", headers={"x-csrf-token": csrf_of(bob)}).status_code == 404
    r = bob.post("/profile/select", data={"profile_id": str(pid), "csrf_token": csrf_of(bob)})
    assert r.status_code == 404
    assert "Alice" not in bob.get("/profile").text
    assert bob.get("/journal", follow_redirects=False).headers["location"].startswith("/profile")
    assert bob.get("/profile/export", follow_redirects=False).status_code == 303  # bob has no profile to export
    # alice's data is untouched
    assert len(alice.get(f"/api/profiles/{pid}/outcomes").json()) == 1


def test_security_headers(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch))
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/plotly.min.js").status_code == 200  # served locally, never from a CDN


@pytest.mark.slow  # real processes or many cases: a few seconds each; CI runs it
@pytest.mark.parametrize("host, login_required", [("127.0.0.1", False), ("0.0.0.0", True)])
def test_serve_binds_with_login_only_off_loopback(users, host, login_required):
    """(0.0.0.0 with --insecure-http here; TLS exposed mode: test_web_hardening.py.)"""
    import httpx

    proc, url = serve_process(users, "--host", host, *(["--insecure-http"] if login_required else []))
    try:
        status = httpx.get(url + "/api/profiles", timeout=10).status_code
        assert status == (401 if login_required else 200)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
