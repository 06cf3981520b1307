"""Who is asking, and is the request allowed: host allow-list, body-size cap, security headers, login gate, CSRF
tokens on forms, JSON-only writes on the API.

Outermost first (see :func:`install`):

- ``SecurityHeaders``: every answer (errors, refusals and the login gate included) carries the security headers;
  everything outside ``/static/`` is ``Cache-Control: no-store`` (pages and API answers carry health data);
  ``Strict-Transport-Security`` when served over TLS.
- ``TrustedHostMiddleware``: only the bind's own names (:func:`photodose.web.auth.allowed_hosts`) are served;
  a foreign Host header (DNS rebinding) gets 400.
- ``BodyLimit``: a body over ``MAX_BODY_BYTES`` (``LARGE_BODY_PATHS`` for the profile import) gets 413, by its
  Content-Length or while it is being read (never after reading it all).
- Starlette's signed-cookie sessions (HttpOnly, SameSite=Lax; Secure and the ``__Host-`` name under TLS).
- ``gate``: without ``require_login`` (loopback) every request acts as the local user; with it, a request without a
  live server-side session (:mod:`.login_sessions`) gets 401 (API) or a redirect to /login (pages). Every form
  carries the session's CSRF token, checked on POST (403 when missing or wrong). API writes must be
  ``application/json`` (or carry the token in ``X-CSRF-Token``): a cross-site HTML form cannot send either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .owners import LOCAL_USER

OPEN_PATHS = ("/login", "/static/", "/healthz")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_BODY_BYTES = 1_000_000  # forms, JSON and device files (200 kB) with room to spare
LARGE_BODY_PATHS = {"/profile/import": 21_000_000}  # a 20 MB profile export plus its multipart framing
HSTS_MAX_AGE_S = 180 * 24 * 3600  # photodose assumption (unsourced): half a year
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: blob:; frame-ancestors 'none'; form-action 'self'",
}
_UNSET = object()


def apply_headers(headers: MutableHeaders, path: str, *, hsts: bool = False) -> None:
    """Put the security headers (and no-store outside /static/) on one answer's headers."""
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if hsts:
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE_S}")


class SecurityHeaders:
    """ASGI middleware: :func:`apply_headers` on every HTTP answer that passes through it."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                apply_headers(MutableHeaders(scope=message), scope["path"], hsts=self.hsts)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"body: at most {limit} bytes")


class BodyLimit:
    """ASGI middleware: refuse a request body over ``max_bytes`` (413) before or while it is read."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, larger: dict[str, int] | None = None) -> None:
        self.app, self.default_max_bytes, self.larger = app, max_bytes, dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.larger.get(scope["path"], self.default_max_bytes)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > max_bytes
            except ValueError:
                too_large = True
            if too_large:
                await _refusal(scope, max_bytes)(scope, receive, send)
                return
        received = 0
        started = exceeded = answered = False
        refusal = _refusal(scope, max_bytes)

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    exceeded = True
                    raise BodyTooLarge(max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started, answered
            if exceeded and not started:  # whatever the app made of the cut-off body (FastAPI: a 400), say 413
                if not answered:
                    answered = True
                    await refusal(scope, receive, send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            if not answered:
                await refusal(scope, receive, send)


def _refusal(scope: Scope, max_bytes: int):
    """413: a short HTML page for a browser's form, else JSON."""
    from starlette.datastructures import Headers

    from .errors import error_page

    detail = f"body: at most {max_bytes} bytes"
    if "text/html" in Headers(scope=scope).get("accept", "") and not scope["path"].startswith("/api"):
        return error_page(413, detail)
    return JSONResponse({"detail": detail}, status_code=413)


def user_devices_folder(user: str) -> Path | None:
    """Where a web user's own device files live (None: the local user's, shared with the command line)."""
    if user == LOCAL_USER:
        return None
    from ..journal.paths import data_home

    return data_home() / "web_users" / hashlib.sha256(user.encode()).hexdigest()[:32] / "devices"


def current_user(request: Request) -> str | None:
    """The acting user name, or None when login is required and nobody holds a live session."""
    if not request.app.state.require_login:
        return LOCAL_USER
    cached = getattr(request.state, "photodose_user", _UNSET)
    if cached is not _UNSET:
        return cached
    from . import login_sessions

    user = login_sessions.user_of(request.app.state.journal, request.session.get("sid"),
                                  request.app.state.session_max_age_s)
    if user is None or user != request.session.get("user"):
        user = None
    request.state.photodose_user = user
    return user


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _token_ok(request: Request, given: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


async def checked_form(request: Request):
    """The POSTed form, after checking its CSRF token (403 otherwise)."""
    form = await request.form()
    if not _token_ok(request, form.get(CSRF_FIELD)):
        raise HTTPException(status_code=403, detail="csrf_token: missing or invalid form token; reload the page")
    return form


async def gate(request: Request, call_next):
    """HTTP middleware: login required (when configured), JSON-only API writes, and the acting user's own device
    folder for the device catalog."""
    from ..devices.catalog import USER_DEVICES_DIR

    path = request.url.path
    is_api = path.startswith("/api")
    user = LOCAL_USER
    if request.app.state.require_login:
        user = await run_in_threadpool(current_user, request)
        if user is None and not path.startswith(OPEN_PATHS):
            if is_api or path == "/openapi.json":
                return JSONResponse({"detail": "login required"}, status_code=401)
            return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
    if is_api and request.method in UNSAFE_METHODS and request.method != "DELETE":
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("application/json") and not _token_ok(request, request.headers.get(CSRF_HEADER)):
            return JSONResponse({"detail": "content-type: API writes take application/json"}, status_code=415)
    if is_api and request.method == "DELETE" and request.app.state.require_login \
            and not _token_ok(request, request.headers.get(CSRF_HEADER)):
        return JSONResponse({"detail": "x-csrf-token: header required for DELETE with a login session"},
                            status_code=403)
    token = USER_DEVICES_DIR.set(user_devices_folder(user) if user else None)
    try:
        return await call_next(request)
    finally:
        USER_DEVICES_DIR.reset(token)


def install(app, *, allowed_hosts: list[str], secret_key: str, max_age_s: int, tls: bool) -> None:
    """Add the middleware stack above to ``app`` (added innermost first)."""
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app.middleware("http")(gate)
    app.add_middleware(SessionMiddleware, secret_key=secret_key, max_age=max_age_s, same_site="lax",
                       https_only=tls, session_cookie="__Host-photodose_session" if tls else "photodose_session")
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES, larger=LARGE_BODY_PATHS)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts, www_redirect=False)
    app.add_middleware(SecurityHeaders, hsts=tls)
