"""Who is asking, and is the request allowed: login gate, CSRF tokens on forms, JSON-only writes on the API.

- Without ``require_login`` (loopback bind) every request acts as the local user.
- With it, a request without a logged-in session gets 401 (API) or a redirect to /login (pages).
- Every form carries the session's CSRF token in a hidden field, checked on POST (403 when missing or wrong).
- API writes must be ``application/json`` (or carry the CSRF token in ``X-CSRF-Token``): a cross-site HTML form
  cannot send either, so cookie sessions cannot be ridden from another site.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse

from .owners import LOCAL_USER

OPEN_PATHS = ("/login", "/static/", "/healthz")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def current_user(request: Request) -> str | None:
    """The acting user name, or None when login is required and nobody is logged in."""
    if not request.app.state.require_login:
        return LOCAL_USER
    return request.session.get("user")


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
    """HTTP middleware: login required (when configured) and JSON-only API writes."""
    path = request.url.path
    is_api = path.startswith("/api")
    if request.app.state.require_login and not path.startswith(OPEN_PATHS) and current_user(request) is None:
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
    response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "frame-ancestors 'none'; form-action 'self'")
    return response
