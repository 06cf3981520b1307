"""Login, logout and password change (only meaningful when the app requires login).

A login is throttled per client address and per user name (``auth.LoginThrottle``), verified off the event loop
(``auth.verify_password_async``), and opens a server-side session (``login_sessions``) that logout, a password
change or the user's removal ends.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ...errors import PhotodoseInputError
from .. import auth, login_sessions
from ..pages import render
from ..security import checked_form, current_user

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") \
        and "\\" not in target else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _open_session(request: Request, user: str) -> None:
    """Replace this browser's session by a fresh one for ``user`` (no session fixation)."""
    journal, max_age = request.app.state.journal, request.app.state.session_max_age_s
    old = request.session.get("sid")
    if old:
        await run_in_threadpool(login_sessions.revoke, journal, old)
    token = await run_in_threadpool(login_sessions.create, journal, user, max_age)
    request.session.clear()
    request.session.update({"user": user, "sid": token})
    request.state.photodose_user = user


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", next=_safe_next(next))


@router.post("/login")
async def login(request: Request):
    form = await checked_form(request)
    user, password = str(form.get("user") or "")[:100], str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
    throttle, client = request.app.state.login_throttle, _client(request)
    wait_s = throttle.retry_after_s(client, user)
    if wait_s:
        response = render(request, "login.html", status_code=429, next=target, values={"user": user},
                           errors={"password": f"too many failed logins: try again in {wait_s} s"})
        response.headers["Retry-After"] = str(wait_s)
        return response
    if not await auth.verify_password_async(user, password):
        throttle.failed(client, user)
        return render(request, "login.html", status_code=401, next=target, values={"user": user},
                      errors={"password": "wrong user name or password"})
    throttle.succeeded(client, user)
    await _open_session(request, user)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await checked_form(request)
    await run_in_threadpool(login_sessions.revoke, request.app.state.journal, request.session.get("sid"))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _account_user(request: Request) -> str:
    user = current_user(request)
    if not request.app.state.require_login or user is None:
        raise HTTPException(status_code=404, detail="no account: this server runs without login")
    return user


@router.get("/account/password")
def password_page(request: Request):
    _account_user(request)
    return render(request, "password.html")


@router.post("/account/password")
async def change_password(request: Request):
    """A new password ends every session of this user (other browsers too); this browser gets a new one."""
    form = await checked_form(request)
    user = await run_in_threadpool(_account_user, request)
    wait_s = request.app.state.login_throttle.retry_after_s(_client(request), user)
    if wait_s:
        return render(request, "password.html", status_code=429,
                      errors={"current_password": f"too many wrong passwords: try again in {wait_s} s"})
    current, new, repeat = (str(form.get(k) or "") for k in ("current_password", "new_password", "repeat_password"))
    errors: dict[str, str] = {}
    if not await auth.verify_password_async(user, current):
        request.app.state.login_throttle.failed(_client(request), user)
        errors["current_password"] = "current_password: wrong password"
    elif new != repeat:
        errors["repeat_password"] = "repeat_password: the two new passwords differ"
    else:
        try:
            await run_in_threadpool(auth.set_password, user, new)
        except PhotodoseInputError as exc:
            errors["new_password"] = str(exc)
    if errors:
        return render(request, "password.html", status_code=422, errors=errors)
    await run_in_threadpool(login_sessions.revoke_user, request.app.state.journal, user)
    await _open_session(request, user)
    return render(request, "password.html", message="Password changed; your other sessions were logged out.")
