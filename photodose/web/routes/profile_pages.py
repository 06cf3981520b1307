"""Profile page: create and switch profiles, export, import and delete (only the user's own profiles)."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from ...errors import PhotodoseInputError
from ...journal import exchange, repository
from .. import owners
from ..forms import errors_from, values_of
from ..pages import render
from ..profiles import create_profile, journal, owned_profile, require_active_profile
from ..security import checked_form, current_user

router = APIRouter(include_in_schema=False)
MAX_IMPORT_BYTES = 20_000_000


@router.get("/profile")
def profile_page(request: Request, need: int = 0):
    return render(request, "profile.html", active="profile",
                  message="Create a profile first: the journal keeps sessions per person." if need else None)


@router.post("/profile/new")
async def new_profile(request: Request):
    form = await checked_form(request)
    try:
        create_profile(request, str(form.get("name") or ""), str(form.get("skin_phototype") or "") or None)
    except PhotodoseInputError as exc:
        return render(request, "profile.html", status_code=422, active="profile", values=values_of(form),
                      errors=errors_from(exc, ("name", "skin_phototype")))
    return RedirectResponse("/profile", status_code=303)


@router.post("/profile/body")
async def profile_body(request: Request):
    """Height, weight, age and sex of the active profile, for sauna-dome (JOS-3) plans; empty fields keep their
    value (``photodose profile add --height ...`` on the CLI)."""
    from ...journal.body import parse_body, set_body

    form = await checked_form(request)
    profile = require_active_profile(request)
    values = values_of(form)
    try:
        body = parse_body(values.get("height"), values.get("weight"), values.get("age"), values.get("sex"))
        set_body(journal(request), profile.id, **body)
    except PhotodoseInputError as exc:
        return render(request, "profile.html", status_code=422, active="profile", values=values,
                      errors=errors_from(exc, ("height", "weight", "age", "sex")))
    return RedirectResponse("/profile", status_code=303)


@router.post("/profile/select")
async def select_profile(request: Request):
    form = await checked_form(request)
    try:
        profile_id = int(str(form.get("profile_id")))
    except ValueError:
        raise HTTPException(status_code=422, detail="profile_id: expected a whole number") from None
    request.session["profile_id"] = owned_profile(request, profile_id).id
    return RedirectResponse("/profile", status_code=303)


@router.get("/profile/export")
def export_profile(request: Request):
    profile = require_active_profile(request)
    data = exchange.export_profile(journal(request), profile.id)
    return Response(json.dumps(data, indent=2, default=str), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="photodose-profile-{profile.id}.json"'})


@router.post("/profile/import")
async def import_profile(request: Request):
    form = await checked_form(request)
    upload = form.get("file")
    errors: dict[str, str] = {}
    try:
        if not isinstance(upload, UploadFile) and not hasattr(upload, "read"):
            raise PhotodoseInputError("file", None, "choose a photodose JSON export")
        try:
            content = await upload.read(MAX_IMPORT_BYTES + 1)
            if len(content) > MAX_IMPORT_BYTES:
                raise PhotodoseInputError("file", upload.filename, f"an export of at most {MAX_IMPORT_BYTES} bytes")
            from ...inputs import decode_text, parse_json  # the one reader: UTF-8, depth, number limits

            data = parse_json(decode_text(content, "file", upload.filename), "file", upload.filename)
            if not isinstance(data, dict):
                raise PhotodoseInputError("file", upload.filename, "a photodose JSON export (an object)")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PhotodoseInputError("file", getattr(upload, "filename", ""), f"a JSON export ({exc})") from None
        db = journal(request)
        profile = exchange.import_profile(db, data, rename=str(form.get("rename") or "").strip() or None,
                                          owner=owners.owner_value(current_user(request)))
        request.session["profile_id"] = profile.id
    except PhotodoseInputError as exc:
        errors = errors_from(exc, ("file", "rename"), {"name": "rename", "format": "file", "format_version": "file"})
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, SQLAlchemyError) as exc:
        # a hand-edited or truncated export: refused as a whole (the import is one transaction)
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:160]
        errors = {"file": f"file: not a valid photodose export ({exc.__class__.__name__}: {reason})"}
    if errors:
        return render(request, "profile.html", status_code=422, active="profile", values=values_of(form),
                      errors=errors)
    return RedirectResponse("/profile", status_code=303)


@router.post("/profile/delete")
async def delete_profile(request: Request):
    form = await checked_form(request)
    profile = require_active_profile(request)
    if str(form.get("confirm_name") or "").strip() != profile.name:
        return render(request, "profile.html", status_code=422, active="profile", values=values_of(form),
                      errors={"confirm_name": f"confirm_name: type the profile name '{profile.name}' to delete it"})
    repository.delete_profile(journal(request), profile.id)
    request.session.pop("profile_id", None)
    return RedirectResponse("/profile", status_code=303)
