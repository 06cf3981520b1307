"""Login and logout (only meaningful when the app requires login)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from .. import auth
from ..pages import render
from ..security import checked_form

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", next=_safe_next(next))


@router.post("/login")
async def login(request: Request):
    form = await checked_form(request)
    user, password = str(form.get("user") or ""), str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
    if not auth.verify_password(user, password):
        return render(request, "login.html", status_code=401, next=target, values={"user": user},
                      errors={"password": "wrong user name or password"})
    request.session.clear()
    request.session["user"] = user
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
