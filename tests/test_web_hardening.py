"""Issue 14 (security): each finding of the attack on loopback, reproduced against the app and refused.

All traffic is loopback only (TestClient, or uvicorn on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import both_backends
from test_web_fixtures import CSRF_RE, client_for, csrf_of, live_server, login, make_app, serve_process

WAND = Path(__file__).parents[1] / "photodose/devices/catalog/generic-wand-660-850.yaml"


@pytest.fixture(scope="module")
def tls_pair(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 / localhost (PEM files)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


# --- 1. DNS rebinding: only the bound host's names are served ------------------------------------------------------

def test_dns_rebinding_host_header_gets_400_and_loopback_names_are_served(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch))
    client.post("/api/profiles", json={"name": "Ann"})
    for host in ("rebind.attacker.example", "rebind.attacker.example:8000", "127.0.0.1.nip.io:8000", "0.0.0.0"):
        refused = client.get("/api/profiles", headers={"host": host})
        assert refused.status_code == 400 and "Ann" not in refused.text, host
        assert refused.headers["x-frame-options"] == "DENY"  # a refusal carries the security headers too
        assert client.post("/api/profiles", json={"name": "Mallory"}, headers={"host": host}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1", "LOCALHOST:8000"):
        assert client.get("/api/profiles", headers={"host": host}).status_code == 200, host
    assert [p["name"] for p in client.get("/api/profiles").json()] == ["Ann"]


def test_allowed_host_names_per_bind():
    import socket

    from photodose.errors import PhotodoseInputError
    from photodose.web.auth import allowed_hosts

    loopback = {"127.0.0.1", "localhost", "[::1]"}
    assert set(allowed_hosts("127.0.0.1")) == loopback
    assert set(allowed_hosts("::1")) == loopback
    assert set(allowed_hosts("192.168.1.20", ["pbm.example.org"])) == loopback | {"192.168.1.20", "pbm.example.org"}
    assert socket.gethostname().lower() in allowed_hosts("0.0.0.0")
    assert "[fe80::1]" in allowed_hosts("fe80::1")
    for bad in ("*.example.org", "host:8000", "a/b"):
        with pytest.raises(PhotodoseInputError):
            allowed_hosts("0.0.0.0", [bad])


@pytest.mark.slow  # real processes or many cases: a few seconds each; CI runs it
def test_served_app_refuses_a_rebinding_host(tmp_path):
    """The must-show of the issue: `photodose serve` on 127.0.0.1, then
    `curl -H 'Host: rebind.attacker.example:PORT' http://127.0.0.1:PORT/api/profiles` -> 400."""
    import httpx

    proc, url = serve_process(tmp_path)
    try:
        port = url.rsplit(":", 1)[1]
        assert httpx.get(url + "/api/profiles", headers={"host": f"rebind.attacker.example:{port}"}).status_code == 400
        assert httpx.get(url + "/api/profiles", headers={"host": f"localhost:{port}"}).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- 2. exposed mode: TLS, login, Secure cookie ------------------------------------------------------------------

@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_exposed_bind_without_tls_refuses_to_start_in_one_line(users, host):
    env = dict(os.environ, PHOTODOSE_HOME=str(users))
    result = subprocess.run([sys.executable, "-m", "photodose", "serve", "--host", host, "--port", "1"],
                            env=env, capture_output=True, text=True, timeout=60)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert "--certfile" in lines[0] and "--keyfile" in lines[0] and host in lines[0]


@pytest.mark.slow  # a real process (a few seconds); CI runs it, `pytest -m "not slow"` skips it
def test_certfile_without_keyfile_refuses(users, tls_pair):
    env = dict(os.environ, PHOTODOSE_HOME=str(users))
    result = subprocess.run([sys.executable, "-m", "photodose", "serve", "--certfile", str(tls_pair[0])],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--keyfile" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # argon2 password hashing at full cost: seconds; CI runs it
def test_exposed_bind_serves_https_withlogin(users, tls_pair):
    import httpx

    proc, url = serve_process(users, "--host", "0.0.0.0", "--certfile", str(tls_pair[0]), "--keyfile", str(tls_pair[1]),
                       scheme="https")
    try:
        answer = httpx.get(url + "/api/profiles", timeout=10, verify=False)
        assert answer.status_code == 401
        assert answer.headers["strict-transport-security"].startswith("max-age=")
        with pytest.raises(httpx.HTTPError):  # plain HTTP on the TLS port is not served
            httpx.get(url.replace("https", "http") + "/api/profiles", timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_tls_session_cookie_is_secure_httponly_samesite(users, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    app = make_app(tmp_path, monkeypatch, require_login=True, tls=True)
    client = TestClient(app, base_url="https://127.0.0.1")
    r = login(client, "alice", "alice-secret-1")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("__Host-photodose_session=")
    attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")}
    assert {"secure", "httponly", "samesite", "path"} <= attributes and "domain" not in attributes
    assert "samesite=lax" in cookie.lower()
    assert client.get("/api/profiles").status_code == 200
    assert "strict-transport-security" in client.get("/api/profiles").headers


@pytest.mark.slow  # argon2 password hashing at full cost: seconds; CI runs it
def test_require_login_on_loopback(users, tmp_path, monkeypatch):
    import httpx

    proc, url = serve_process(users, "--require-login")
    try:
        assert httpx.get(url + "/api/profiles", timeout=10).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- 3. throttling, argon2 off the event loop, equal work for unknown users ---------------------------------------

def test_login_throttle_backs_off_exponentially_and_bounds_memory():
    from photodose.web.auth import LoginThrottle

    now = [0.0]
    throttle = LoginThrottle(free_failures=3, base_s=1.0, max_wait_s=8.0, max_keys=100, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.retry_after_s("10.0.0.1", "alice") == 0
        throttle.failed("10.0.0.1", "alice")
    assert throttle.retry_after_s("10.0.0.1", "alice") == 1
    assert throttle.retry_after_s("10.0.0.2", "alice") == 1  # the user name is throttled from any address
    assert throttle.retry_after_s("10.0.0.1", "bob") == 1  # and the address for any user name
    assert throttle.retry_after_s("10.0.0.2", "bob") == 0
    waits = []
    for _ in range(5):
        now[0] += 100.0
        throttle.failed("10.0.0.1", "alice")
        waits.append(throttle.retry_after_s("10.0.0.1", "alice"))
    assert waits == [2, 4, 8, 8, 8]  # doubles, capped at max_wait_s
    throttle.succeeded("10.0.0.1", "alice")
    assert throttle.retry_after_s("10.0.0.1", "alice") == 0
    for i in range(1000):
        throttle.failed(f"10.1.{i // 256}.{i % 256}", f"guess{i}")
    assert len(throttle) <= 100


def test_repeated_wrong_logins_get_429_without_verifying(login_app, monkeypatch):
    from photodose.web import auth

    client = client_for(login_app)
    for _ in range(5):
        assert login(client, "alice", "wrong-password").status_code == 401
    calls = []
    monkeypatch.setattr(auth, "verify_password", lambda u, p: calls.append(u) or True)
    r = login(client, "alice", "alice-secret-1")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and calls == []
    assert "try again" in r.text
    assert login(client, "bob", "bob-secret-22").status_code == 429  # same address, other name


def test_unknown_user_costs_exactly_one_verification_against_a_same_parameter_hash(users, monkeypatch):
    import argon2

    from photodose.web import auth

    counts = {"hash": 0, "verify": []}
    real_verify, real_hash = argon2.PasswordHasher.verify, argon2.PasswordHasher.hash
    auth._dummy_hash()  # made once per process, not per login

    def verify(self, stored, password):
        counts["verify"].append(argon2.extract_parameters(stored))
        return real_verify(self, stored, password)

    def hash_(self, password, **kw):
        counts["hash"] += 1
        return real_hash(self, password, **kw)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
    monkeypatch.setattr(argon2.PasswordHasher, "hash", hash_)
    assert not auth.verify_password("nobody", "alice-secret-1")
    assert not auth.verify_password("alice", "wrong-password")
    assert not auth.verify_password("local", "whatever-pass")
    assert counts["hash"] == 0 and len(counts["verify"]) == 3
    assert counts["verify"][0] == counts["verify"][1] == counts["verify"][2]  # same memory, time, parallelism


@pytest.mark.slow  # real processes or many cases: a few seconds each; CI runs it
def test_guessing_clients_do_not_stall_other_pages(login_app, monkeypatch):
    """Four clients guess passwords with a verification that takes 1 s each; a page requested meanwhile answers in
    well under that (argon2 runs in worker threads, not on the event loop)."""
    import httpx

    from photodose.web import auth

    verifying = threading.Event()

    def slow_verify(user, password):
        verifying.set()
        time.sleep(1.0)
        return False

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    with live_server(login_app) as url:
        def guess():
            with httpx.Client(base_url=url, timeout=30) as c:
                token = CSRF_RE.search(c.get("/login").text).group(1)
                c.post("/login", data={"csrf_token": token, "user": "alice", "password": "guess"})

        threads = [threading.Thread(target=guess) for _ in range(4)]
        for t in threads:
            t.start()
        assert verifying.wait(20)  # the guesses are being verified now
        start = time.perf_counter()
        assert httpx.get(url + "/login", timeout=30).status_code == 200
        elapsed = time.perf_counter() - start
        for t in threads:
            t.join()
    assert elapsed < 0.5, elapsed


# --- 4. revocable sessions ---------------------------------------------------------------------------------------

@both_backends
def test_logout_revokes_the_old_cookie(login_app):
    client = client_for(login_app)
    login(client, "alice", "alice-secret-1")
    stolen = client.cookies.get("photodose_session")
    assert client.get("/api/profiles").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    replay = client_for(login_app)
    replay.cookies.set("photodose_session", stolen)
    assert replay.get("/api/profiles").status_code == 401


def test_password_change_ends_every_other_session(login_app):
    here, elsewhere = client_for(login_app), client_for(login_app)
    login(here, "alice", "alice-secret-1")
    login(elsewhere, "alice", "alice-secret-1")
    assert elsewhere.get("/api/profiles").status_code == 200
    r = here.post("/account/password", data={"csrf_token": csrf_of(here, "/account/password"),
                                             "current_password": "alice-secret-1", "new_password": "alice-secret-2",
                                             "repeat_password": "alice-secret-2"})
    assert r.status_code == 200 and "Password changed" in r.text
    assert elsewhere.get("/api/profiles").status_code == 401
    assert here.get("/api/profiles").status_code == 200  # this browser got a fresh session
    assert login(client_for(login_app), "alice", "alice-secret-1").status_code == 401
    assert login(client_for(login_app), "alice", "alice-secret-2").status_code == 303


def test_password_set_or_user_removed_from_the_command_line_ends_sessions(login_app):
    from photodose.web import auth

    alice, bob = client_for(login_app), client_for(login_app)
    login(alice, "alice", "alice-secret-1")
    login(bob, "bob", "bob-secret-22")
    auth.set_password("alice", "alice-secret-3")  # e.g. `photodose serve --set-password --user alice` meanwhile
    auth.remove_user("bob")
    assert alice.get("/api/profiles").status_code == 401
    assert bob.get("/api/profiles").status_code == 401
    assert login(client_for(login_app), "bob", "bob-secret-22").status_code == 401


def test_remove_user_command(users):
    from typer.testing import CliRunner

    from photodose.cli import app

    result = CliRunner().invoke(app, ["serve", "--remove-user", "bob"], env={"PHOTODOSE_HOME": str(users)})
    assert result.exit_code == 0, result.output
    assert "bob" not in json.loads((users / "web_users.json").read_text())


# --- 5. per-user data ------------------------------------------------------------------------------------------

def _upload_device(client, name: str):
    text = WAND.read_text().replace("id: generic-wand-660-850", "id: my-panel")
    text = text.replace(text.split("name:", 1)[1].split("\n", 1)[0], f" {name}", 1)
    return client.post("/devices/upload", data={"csrf_token": csrf_of(client, "/devices")},
                       files={"file": ("mine.yaml", text.encode())})


def test_one_user_cannot_overwrite_or_see_another_users_device(login_app):
    alice, bob = client_for(login_app), client_for(login_app)
    login(alice, "alice", "alice-secret-1")
    login(bob, "bob", "bob-secret-22")
    assert _upload_device(alice, "Alice Red Panel").status_code == 200
    assert "my-panel" not in bob.get("/devices").text
    assert _upload_device(bob, "Bob Wand").status_code == 200
    page = alice.get("/devices", params={"device": "my-panel"}).text
    assert "Alice Red Panel" in page and "Bob Wand" not in page
    assert "Bob Wand" in bob.get("/devices", params={"device": "my-panel"}).text


@both_backends
def test_profile_names_are_unique_per_user_only(login_app):
    alice, bob = client_for(login_app), client_for(login_app)
    login(alice, "alice", "alice-secret-1")
    login(bob, "bob", "bob-secret-22")
    assert alice.post("/api/profiles", json={"name": "John"}).status_code in (200, 201)
    assert bob.post("/api/profiles", json={"name": "John"}).status_code in (200, 201)  # nothing revealed
    assert alice.post("/api/profiles", json={"name": "John"}).status_code == 422  # still unique per user


def test_a_web_user_named_local_cannot_exist_or_see_the_command_lines_profiles(users, tmp_path, monkeypatch):
    from argon2 import PasswordHasher

    from photodose.errors import PhotodoseInputError
    from photodose.journal import open_journal, repository
    from photodose.web import auth

    with pytest.raises(PhotodoseInputError, match="reserved"):
        auth.set_password("local", "local-secret-1")
    users_file = users / auth.USERS_FILENAME  # a hand-edited file cannot smuggle one in either
    data = json.loads(users_file.read_text())
    data["local"] = PasswordHasher().hash("local-secret-1")
    users_file.write_text(json.dumps(data))
    db = tmp_path / "journal.sqlite"
    journal = open_journal(str(db))
    repository.add_profile(journal, "CLI patient")  # made with the command line: owner None
    journal.close()
    client = client_for(make_app(tmp_path, monkeypatch, require_login=True))
    assert login(client, "local", "local-secret-1").status_code == 401
    assert client.get("/api/profiles").status_code == 401


def test_database_file_is_created_private(tmp_path, monkeypatch):
    make_app(tmp_path, monkeypatch)
    for name in ("journal.sqlite", "journal.sqlite-wal"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    old = tmp_path / "old"
    old.mkdir()
    (old / "journal.sqlite").touch(mode=0o644)
    os.chmod(old / "journal.sqlite", 0o644)
    make_app(old, monkeypatch)
    assert stat.S_IMODE((old / "journal.sqlite").stat().st_mode) == 0o600


# --- 6. bodies, YAML, headers, caching ---------------------------------------------------------------------------

def _asgi_post(app, headers, chunks):
    """POST straight into the ASGI app; returns (status, bytes of body the app pulled)."""
    import anyio

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/profiles", "raw_path": b"/api/profiles", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *headers],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000), "state": {}}
    pulled, status = [0], []
    queue = list(chunks)

    async def receive():
        if not queue:
            return {"type": "http.disconnect"}
        chunk = queue.pop(0)
        pulled[0] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(queue)}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    async def run():
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    anyio.run(run)
    return status[0], pulled[0]


def test_body_over_the_cap_is_refused_before_or_while_reading(tmp_path, monkeypatch):
    from photodose.web import security

    monkeypatch.setattr(security, "MAX_BODY_BYTES", 10_000)
    app = make_app(tmp_path, monkeypatch)
    chunk = b" " * 4096
    # declared too large: 413 before a byte is read
    assert _asgi_post(app, [(b"content-length", b"50000000")], [chunk] * 12) == (413, 0)
    # chunked, no length: read up to just past the cap, then 413 (not the whole 48 kB)
    status, pulled = _asgi_post(app, [], [chunk] * 12)
    assert status == 413 and pulled <= 10_000 + 4096


BILLION_LAUGHS = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
                  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'
                  'id: x\nname: *e\n')


@pytest.mark.parametrize("content", [BILLION_LAUGHS, "[" * 150_000, "a:\n" + "".join(" " * i + f"k{i}:\n"
                                                                                     for i in range(1, 60))],
                         ids=["billion-laughs", "deep-flow", "deep-block"])
def test_costly_yaml_uploads_are_refused_before_parsing_with_a_small_page(tmp_path, monkeypatch, content):
    import yaml

    client = client_for(make_app(tmp_path, monkeypatch))
    token = csrf_of(client, "/devices")
    loads = []
    real = yaml.safe_load
    monkeypatch.setattr(yaml, "safe_load", lambda text: loads.append(1) or real(text))
    r = client.post("/devices/upload", data={"csrf_token": token}, files={"file": ("bomb.yaml", content.encode())})
    assert r.status_code == 422 and loads == []  # refused by the tokenizer check, never expanded
    assert len(r.content) < 60_000  # the page itself (catalog, chart) and one short error; was 2.8 MB
    assert "anchors" in r.text or "nested" in r.text


def test_long_device_id_and_huge_distance_are_4xx_not_500(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    client = TestClient(make_app(tmp_path, monkeypatch), base_url="http://127.0.0.1", raise_server_exceptions=False)
    text = WAND.read_text().replace("id: generic-wand-660-850", "id: " + "x" * 300)
    r = client.post("/devices/upload", data={"csrf_token": csrf_of(client, "/devices")},
                    files={"file": ("long.yaml", text.encode())})
    assert r.status_code == 422 and "at most 100" in r.text
    assert client.get("/devices", params={"distance": "9" * 400}).status_code < 500


@pytest.mark.parametrize("export", [
    {"profile": []},
    {"profile": {"name": "x"}},
    {"profile": {"name": "y", "created_at": "2020-01-01T00:00:00"}, "plans": [{"plan": {}}]},
    {"profile": {"name": "z", "created_at": "2020-01-01T00:00:00"}, "sessions": "abc"},
    {"profile": {"name": "w", "created_at": "2020-01-01T00:00:00"}, "sessions": [1]},
])
def test_malformed_import_is_a_422_page_and_writes_nothing(tmp_path, monkeypatch, export):
    from fastapi.testclient import TestClient

    client = TestClient(make_app(tmp_path, monkeypatch), base_url="http://127.0.0.1", raise_server_exceptions=False)
    body = json.dumps({"format": "photodose-journal", "format_version": 1, **export}).encode()
    r = client.post("/profile/import", data={"csrf_token": csrf_of(client)}, files={"file": ("x.json", body)})
    assert r.status_code == 422 and ('class="field-error"' in r.text or 'class="error-box"' in r.text)
    assert client.get("/api/profiles").json() == []


def test_every_answer_carries_security_headers_and_no_store(tmp_path, monkeypatch, users):
    from fastapi.testclient import TestClient

    app = make_app(tmp_path, monkeypatch)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("fault")

    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    pid = client.post("/api/profiles", json={"name": "Ann"}).json()["id"]
    answers = {
        "page": client.get("/journal"),
        "api with health data": client.get(f"/api/profiles/{pid}/outcomes"),
        "404": client.get("/no-such-page", headers={"accept": "text/html"}),
        "404 api": client.get("/api/profiles/999"),
        "403": client.post("/profile/new", data={"name": "x"}, headers={"accept": "text/html"}),
        "400 host": client.get("/", headers={"host": "evil.example"}),
        "413": client.post("/api/profiles", content=b"{}", headers={"content-length": "999999999",
                                                                     "content-type": "application/json"}),
        "415": client.post("/api/profiles", content=b"name=x",
                           headers={"content-type": "application/x-www-form-urlencoded"}),
        "422": client.post("/api/profiles", json={"nope": 1}),
        "500": client.get("/boom-for-test", headers={"accept": "text/html"}),
    }
    login = make_app(tmp_path / "l", monkeypatch, require_login=True)
    answers["401 login gate"] = client_for(login).get("/api/profiles")
    answers["303 login gate"] = client_for(login).get("/journal", follow_redirects=False)
    for what, r in answers.items():
        assert "script-src 'self'" in r.headers.get("content-security-policy", ""), what
        assert r.headers.get("x-content-type-options") == "nosniff", what
        assert r.headers.get("cache-control") == "no-store", what
        assert len(r.content) < 20_000 or what == "page", what
    assert answers["500"].status_code == 500 and "Something went wrong" in answers["500"].text
    assert "Traceback" not in answers["500"].text and "RuntimeError" not in answers["500"].text
    assert answers["403"].status_code == 403 and "send it again" in answers["403"].text  # a stale form
    assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")


def test_an_open_form_survives_a_server_restart(tmp_path, monkeypatch):
    """The cookie-signing key is kept (mode 0600) beside the users file, so a form opened before a restart is still
    accepted after it (it was a raw JSON 403)."""
    from photodose.web import auth

    before = client_for(make_app(tmp_path, monkeypatch))
    token = csrf_of(before)
    after = client_for(make_app(tmp_path, monkeypatch))  # a new process would build the app again like this
    after.cookies = before.cookies
    r = after.post("/profile/new", data={"name": "Ann", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    key_file = auth.users_file().with_name(auth.SECRET_FILENAME)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_only_the_profile_import_takes_a_large_body(tmp_path, monkeypatch):
    from photodose.web import security

    client = client_for(make_app(tmp_path, monkeypatch))
    big = b" " * (security.MAX_BODY_BYTES + 1)
    r = client.post("/api/profiles", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    page = client.post("/devices/upload", data={"csrf_token": csrf_of(client, "/devices")},
                       files={"file": ("big.yaml", big)}, headers={"accept": "text/html"})
    assert page.status_code == 413 and "Too large" in page.text and len(page.content) < 5_000
    export = b'{"format": "photodose-journal", "format_version": 1, "profile": {"name": "Big"}}' + big
    r = client.post("/profile/import", data={"csrf_token": csrf_of(client)}, files={"file": ("big.json", export)})
    assert r.status_code != 413  # read and judged (here: not a valid export), not cut off
