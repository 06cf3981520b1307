"""Shared helpers for the web tests (no tests here): an app on a tmp journal, CSRF tokens, a live server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_app(tmp_path, monkeypatch, db: str | None = None, **kwargs):
    """A web app over a fresh journal (``db``, e.g. the ``journal_url`` fixture; default a SQLite file in
    ``tmp_path``), with PHOTODOSE_HOME in ``tmp_path``."""
    from photodose.web import create_app

    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path))
    monkeypatch.delenv("PHOTODOSE_DB", raising=False)
    return create_app(db or str(tmp_path / "journal.sqlite"), **kwargs)


def client_for(app):
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1")  # a name the app serves (host allow-list)


def csrf_of(client, path: str = "/profile") -> str:
    """The session's CSRF token, read from a rendered form."""
    return CSRF_RE.search(client.get(path).text).group(1)


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', html)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(app):
    """Serve ``app`` with uvicorn on 127.0.0.1 at a free port in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def login(client, user: str, password: str, next_path: str = "/"):
    """POST the login form (with its CSRF token) as ``user``; the response is not followed."""
    token = CSRF_RE.search(client.get("/login").text).group(1)
    return client.post("/login", data={"csrf_token": token, "user": user, "password": password, "next": next_path},
                       follow_redirects=False)


def serve_process(home, *args, scheme: str = "http"):
    """``photodose serve`` in a subprocess (PHOTODOSE_HOME ``home``) on a free port of 127.0.0.1, with ``args``;
    returns (process, base URL) once it answers, or fails with the server's stderr."""
    import httpx

    port = free_port()
    env = dict(os.environ, PHOTODOSE_HOME=str(home))
    proc = subprocess.Popen([sys.executable, "-m", "photodose", "serve", "--port", str(port), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url + "/static/style.css", timeout=1, verify=False)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(proc.communicate()[1].decode())
