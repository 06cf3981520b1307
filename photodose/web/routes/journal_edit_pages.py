"""Correcting the journal: edit or delete a logged session or outcome, delete a saved plan. Each delete asks first
(a confirmation page: it works without JavaScript); each write is one repository call (one transaction)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from ...errors import PhotodoseInputError
from ...journal import repository
from ...outcomes import get_instrument, score_items, score_total
from ..forms import errors_from, local_datetime, number, positive_minutes, values_of, whole
from ..pages import render
from ..profiles import journal, require_active_profile
from ..security import checked_form
from .api_models import MAX_ID

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
STAMP = "%Y-%m-%dT%H:%M"
NOTES_MAX = 2000


def _row(request: Request, kind: str, row_id: int, kinds=("sessions", "outcomes", "plans")):
    """The active profile's session, outcome or plan ``row_id``; 404 when it has none such (or ``kind`` is not
    one of ``kinds``)."""
    if kind not in kinds:
        raise HTTPException(status_code=404, detail=f"no page /journal/{kind[:40]}")
    profile = require_active_profile(request)
    getter = {"sessions": repository.get_session, "outcomes": repository.get_outcome,
              "plans": repository.get_plan}[kind]
    try:
        return profile, getter(journal(request), profile.id, row_id)
    except PhotodoseInputError:
        raise HTTPException(status_code=404, detail=f"{kind[:-1]}: no {kind[:-1]} {row_id} in this profile") from None


def describe(kind: str, row) -> str:
    """One line naming the row, for the confirmation and edit pages."""
    if kind == "sessions":
        return (f"Session of {row.start_at:%Y-%m-%d %H:%M}: {row.site}, {row.duration_s / 60:.3g} min, "
                f"{row.surface_fluence_j_cm2:.1f} J/cm² at the skin")
    if kind == "outcomes":
        value = row.total if row.total is not None else row.metric_value
        return (f"{row.instrument} of {row.recorded_at:%Y-%m-%d %H:%M}"
                + (f" ({row.site})" if row.site else "") + (f": {value:g}" if value is not None else ""))
    plan = row.plan if isinstance(row.plan, dict) else {}
    return f"Plan {row.id}: {plan.get('site', '?')}, {plan.get('device', '?')}, saved {row.created_at:%Y-%m-%d %H:%M}"


def _notes(form, errors: dict[str, str]) -> str:
    text = str(form.get("notes") or "").strip()
    if len(text) > NOTES_MAX:
        errors["notes"] = f"notes: at most {NOTES_MAX} characters ({len(text)} given)"
    return text


def _edit_page(request: Request, kind: str, row, *, status_code: int = 200, values=None, errors=None):
    if values is None:
        if kind == "sessions":
            values = {"start_at": f"{row.start_at:{STAMP}}", "minutes": f"{row.duration_s / 60:.4g}",
                      "warmth": "" if row.warmth_0_10 is None else str(row.warmth_0_10), "notes": row.notes or ""}
        else:
            items = ", ".join(f"{v:g}" for v in row.item_scores) if row.item_scores else ""
            values = {"recorded_at": f"{row.recorded_at:{STAMP}}", "notes": row.notes or "",
                      "score": items or ("" if row.total is None else f"{row.total:g}"), "site": row.site or ""}
    instrument = get_instrument(row.instrument) if kind == "outcomes" and row.instrument != "custom" else None
    return render(request, "journal_edit.html", status_code=status_code, active="journal", kind=kind, row=row,
                  title=describe(kind, row), instrument=instrument, values=values, errors=errors or {})


@router.get("/journal/{kind}/{row_id}/edit")
def edit_page(request: Request, kind: str, row_id: RowId):
    _, row = _row(request, kind, row_id, kinds=("sessions", "outcomes"))
    return _edit_page(request, kind, row)


@router.post("/journal/sessions/{row_id}/edit")
async def edit_session(request: Request, row_id: RowId):
    form = await checked_form(request)
    profile, row = _row(request, "sessions", row_id)
    errors: dict[str, str] = {}
    start_at = local_datetime(form, "start_at", errors, required=True)
    minutes = positive_minutes(form, errors)
    warmth = number(form, "warmth", errors, low=0, high=10, required=False)
    notes = _notes(form, errors)
    if not errors:
        try:
            repository.update_session(journal(request), profile.id, row.id, start_at=start_at,
                                      duration_s=minutes * 60.0, notes=notes,
                                      warmth_0_10=whole(warmth))
            return RedirectResponse("/journal?logged=edited", status_code=303)
        except PhotodoseInputError as exc:
            errors = errors_from(exc, ("start_at", "minutes", "warmth", "notes"),
                                 {"at": "start_at", "duration_s": "minutes"})
    return _edit_page(request, "sessions", row, status_code=422, values=values_of(form), errors=errors)


@router.post("/journal/outcomes/{row_id}/edit")
async def edit_outcome(request: Request, row_id: RowId):
    form = await checked_form(request)
    profile, row = _row(request, "outcomes", row_id)
    errors: dict[str, str] = {}
    recorded_at = local_datetime(form, "recorded_at", errors, required=True)
    notes = _notes(form, errors)
    changes = {}
    instrument = None
    if not errors:
        try:
            if row.instrument != "custom":
                instrument = get_instrument(row.instrument)
                text = str(form.get("score") or "").strip()
                if instrument.kind == "items":
                    changes["score"] = score_items(instrument.id, [v.strip() for v in text.replace(";", ",")
                                                                   .split(",") if v.strip()])
                else:
                    changes["score"] = score_total(instrument.id, text)
                if instrument.needs_site:
                    changes["site"] = str(form.get("site") or "").strip() or None
            repository.update_outcome(journal(request), profile.id, row.id, recorded_at=recorded_at, notes=notes,
                                      **changes)
            score = changes.get("score")
            alert = "&alert=1" if score is not None and score.items and instrument.alerts(score.items) else ""
            return RedirectResponse(f"/journal?logged=edited{alert}", status_code=303)
        except PhotodoseInputError as exc:
            field = {"at": "recorded_at", "site": "site", "notes": "notes"}.get(exc.field, "score")
            errors = {field: str(exc)}
    return _edit_page(request, "outcomes", row, status_code=422, values=values_of(form), errors=errors)


@router.get("/journal/{kind}/{row_id}/delete")
def confirm_delete_page(request: Request, kind: str, row_id: RowId):
    _, row = _row(request, kind, row_id)
    followed = 0
    if kind == "plans":
        followed = sum(1 for s in repository.list_sessions(journal(request), row.profile_id) if s.plan_id == row.id)
    return render(request, "journal_delete.html", active="journal", kind=kind, row=row, title=describe(kind, row),
                  followed=followed)


@router.post("/journal/{kind}/{row_id}/delete")
async def delete_row(request: Request, kind: str, row_id: RowId):
    await checked_form(request)
    profile, row = _row(request, kind, row_id)
    deleter = {"sessions": repository.delete_session, "outcomes": repository.delete_outcome,
               "plans": repository.delete_plan}[kind]
    deleter(journal(request), profile.id, row.id)
    return RedirectResponse(f"/journal?deleted={kind[:-1]}", status_code=303)
