"""Journal (log sessions from saved plans, with a timer; log outcomes) and Progress pages."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ...errors import PhotodoseInputError
from ...journal import repository
from ...journal.plots import progress_figure
from ...journal.sites import known_sites
from ...outcomes import get_instrument, score_items, score_total
from ..charts import adherence_figure
from ..forms import errors_from, local_datetime, number, positive_minutes, values_of, whole
from ..pages import render
from ..planning import site_options
from ..profiles import journal, require_active_profile
from ..security import checked_form
from ...usecases.log_session import log_session_from_plan
from ...usecases.progress import profile_progress

router = APIRouter(include_in_schema=False)
PHQ9 = "phq9"


def _readable_plan(row):
    """The typed plan of a stored row, or None when this version cannot read it (the page still works)."""
    try:
        return repository.stored_plan(row)
    except PhotodoseInputError:
        return None


def _journal_page(request: Request, *, status_code: int = 200, **context):
    profile = require_active_profile(request)
    db = journal(request)
    phq9 = get_instrument(PHQ9)
    return render(request, "journal.html", status_code=status_code, active="journal",
                  plans=[(row, _readable_plan(row)) for row in reversed(repository.list_plans(db, profile.id))],
                  sessions=list(reversed(repository.list_sessions(db, profile.id)))[:20],
                  outcomes=list(reversed(repository.list_outcomes(db, profile.id)))[:20],
                  phq9=phq9, site_options=site_options(known_sites()),
                  other_instruments=[(i, get_instrument(i).name) for i in OTHER_INSTRUMENTS], **context)


@router.get("/journal")
def journal_page(request: Request):
    return _journal_page(request)


@router.post("/journal/session")
async def log_session(request: Request):
    form = await checked_form(request)
    profile = require_active_profile(request)
    errors: dict[str, str] = {}
    minutes = positive_minutes(form, errors)
    plan_id = number(form, "plan_id", errors, low=1)
    warmth = number(form, "warmth", errors, low=0, high=10, required=False)
    ended_at = local_datetime(form, "ended_at", errors)  # a past session; empty: it ended now
    if not errors:
        try:
            logged = log_session_from_plan(journal(request), profile.id, int(plan_id), minutes * 60.0,
                                           ended_at=ended_at, notes=str(form.get("notes") or "").strip() or None,
                                           warmth_0_10=whole(warmth), side_effects=[
                                               e.strip() for e in str(form.get("side_effects") or "").split(",")
                                               if e.strip()] or None)
            if logged.overdose_warnings:  # the session is kept; the warning is for next time
                return _journal_page(request, overdose_warnings=logged.overdose_warnings)
            return RedirectResponse("/journal?logged=session", status_code=303)
        except PhotodoseInputError as exc:
            errors = errors_from(exc, ("minutes", "warmth", "notes", "ended_at", "side_effects"),
                                 {"duration_s": "minutes", "warmth_0_10": "warmth", "at": "ended_at",
                                  "--side-effect": "side_effects"})
    return _journal_page(request, status_code=422, session_form={"plan_id": form.get("plan_id")},
                         errors=errors, values=values_of(form))


@router.post("/journal/phq9")
async def log_phq9(request: Request):
    form = await checked_form(request)
    profile = require_active_profile(request)
    n_items = get_instrument(PHQ9).n_items
    errors = {f"item{i}": f"item {i}: choose an answer" for i in range(1, n_items + 1) if not form.get(f"item{i}")}
    if not errors:
        try:
            score = score_items(PHQ9, [form.get(f"item{i}") for i in range(1, n_items + 1)])
            repository.log_outcome(journal(request), profile.id, score,
                                   recorded_at=datetime.now().replace(microsecond=0),
                                   notes=str(form.get("notes") or "") or None)
            alert = "&alert=1" if get_instrument(PHQ9).alerts(score.items) else ""
            return RedirectResponse(f"/journal?logged=phq9&total={score.total:g}{alert}", status_code=303)
        except PhotodoseInputError as exc:
            errors = errors_from(exc, [f"item{i}" for i in range(1, n_items + 1)],
                                 {f"phq9 item {i}": f"item{i}" for i in range(1, n_items + 1)})
    return _journal_page(request, status_code=422, errors=errors, values=values_of(form), open_form="phq9")


@router.post("/journal/pain")
async def log_pain(request: Request):
    form = await checked_form(request)
    profile = require_active_profile(request)
    errors: dict[str, str] = {}
    value = number(form, "pain_score", errors)
    if not errors:
        try:
            score = score_total("pain", value)
            repository.log_outcome(journal(request), profile.id, score, site=str(form.get("pain_site") or "") or None,
                                   recorded_at=datetime.now().replace(microsecond=0))
            return RedirectResponse("/journal?logged=pain", status_code=303)
        except PhotodoseInputError as exc:
            errors = errors_from(exc, ("pain_score", "pain_site"), {"pain total": "pain_score", "site": "pain_site"})
    return _journal_page(request, status_code=422, errors=errors, values=values_of(form), open_form="pain")


OTHER_INSTRUMENTS = ("qids16", "hamd17")


@router.post("/journal/outcome")
async def log_other_outcome(request: Request):
    """QIDS-SR16 (16 item scores, comma separated) or HAM-D17 (the clinician's total)."""
    form = await checked_form(request)
    profile = require_active_profile(request)
    try:
        instrument = get_instrument(str(form.get("instrument") or ""))
        if instrument.id not in OTHER_INSTRUMENTS:
            raise PhotodoseInputError("instrument", instrument.id, "allowed here: " + ", ".join(OTHER_INSTRUMENTS))
        text = str(form.get("scores") or "").strip()
        if instrument.kind == "items":
            score = score_items(instrument.id, [v.strip() for v in text.replace(";", ",").split(",") if v.strip()])
        else:
            score = score_total(instrument.id, text)
        repository.log_outcome(journal(request), profile.id, score, recorded_at=datetime.now().replace(microsecond=0))
        alert = "&alert=1" if score.items and instrument.alerts(score.items) else ""
        return RedirectResponse(f"/journal?logged={instrument.id}&total={score.total:g}{alert}", status_code=303)
    except PhotodoseInputError as exc:
        field = "instrument" if exc.field == "instrument" else "scores"
        return _journal_page(request, status_code=422, errors={field: str(exc)}, values=values_of(form),
                             open_form="other")


@router.get("/progress")
def progress_page(request: Request):
    profile = require_active_profile(request)
    db = journal(request)
    progress = profile_progress(db, profile)
    series = progress.series
    has_data = bool(series.dose_by_site or series.scores)
    figure = progress_figure(series)
    figure.update_layout(title=None, template="plotly_white", margin={"l": 50, "r": 20, "t": 30, "b": 30})
    plans = {p.id: p for p in repository.list_plans(db, profile.id)}
    adherence = [(plans[a.plan_id], a.adherence) for a in progress.adherence]
    adherence_json = adherence_figure(adherence[-1][1]).to_json() if adherence else None
    return render(request, "progress.html", active="progress", has_data=has_data, figure_json=figure.to_json(),
                  summary=progress.change_from_baseline, adherence=adherence, adherence_json=adherence_json)
