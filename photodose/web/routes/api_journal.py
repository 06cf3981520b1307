"""JSON API over the journal: profiles (only the caller's own), saved plans, sessions, outcomes, progress."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response

from ...errors import PhotodoseInputError
from ...journal import exchange, repository
from ...usecases.progress import profile_progress
from ...outcomes import get_instrument, score_items, score_total
from ..profiles import create_profile, journal, owned_profile, visible_profiles
from ...usecases.log_session import log_session_from_plan
from .api_models import MAX_ID, OutcomeEdit, OutcomeIn, PlanIn, ProfileIn, SessionEdit, SessionIn

router = APIRouter(prefix="/api", tags=["journal"])
ProfileId = Annotated[int, Path(ge=1, le=MAX_ID, description="profile id")]
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="id of a row stored for this profile")]


def _profile_json(p) -> dict:
    return {"id": p.id, "name": p.name, "skin_phototype": p.skin_phototype, "created_at": p.created_at}


SESSION_KEYS = ("id", "plan_id", "start_at", "duration_s", "site", "device_id", "distance_mm",
                "surface_irradiance_mw_cm2", "surface_fluence_j_cm2", "target_depth_mm", "target_fluence_j_cm2",
                "notes", "warmth_0_10", "side_effects")


def _session_json(s) -> dict:
    return {k: getattr(s, k) for k in SESSION_KEYS}


def _outcome_json(o) -> dict:
    return {k: getattr(o, k) for k in ("id", "instrument", "item_scores", "total", "band", "site", "recorded_at",
                                       "notes")}


def _owned_rows(request: Request, profile_id: int, lister, to_json) -> list[dict]:
    """``to_json`` of each row that ``lister(journal, profile_id)`` returns, for a profile the caller owns."""
    return [to_json(row) for row in lister(journal(request), owned_profile(request, profile_id).id)]


def _plan_json(p) -> dict:
    return {"id": p.id, "created_at": p.created_at, "plan": p.plan}


@router.get("/profiles")
def list_profiles(request: Request) -> list[dict]:
    """The caller's profiles."""
    return [_profile_json(p) for p in visible_profiles(request)]


@router.post("/profiles", status_code=201)
def add_profile(request: Request, body: ProfileIn) -> dict:
    return _profile_json(create_profile(request, body.name, body.skin_phototype))


@router.get("/profiles/{profile_id}")
def get_profile(request: Request, profile_id: ProfileId) -> dict:
    return _profile_json(owned_profile(request, profile_id))


@router.get("/profiles/{profile_id}/export")
def export_profile(request: Request, profile_id: ProfileId) -> dict:
    """Everything stored for the profile (the journal's export format)."""
    return exchange.export_profile(journal(request), owned_profile(request, profile_id).id)


@router.delete("/profiles/{profile_id}", status_code=204)
def delete_profile(request: Request, profile_id: ProfileId) -> Response:
    repository.delete_profile(journal(request), owned_profile(request, profile_id).id)
    return Response(status_code=204)


@router.get("/profiles/{profile_id}/plans")
def list_plans(request: Request, profile_id: ProfileId) -> list[dict]:
    return _owned_rows(request, profile_id, repository.list_plans, _plan_json)


@router.post("/profiles/{profile_id}/plans", status_code=201)
def save_plan(request: Request, profile_id: ProfileId, body: PlanIn) -> dict:
    from datetime import datetime as _datetime

    from ...planning.schedule import apply_schedule

    plan = apply_schedule(repository.typed_plan(body.plan), body.schedule)
    start = None if body.start is None else _datetime.combine(body.start, _datetime.min.time())
    row = repository.add_plan(journal(request), owned_profile(request, profile_id).id, plan, course_start=start)
    return {"id": row.id, "created_at": row.created_at, "course_start": start, "schedule": plan.schedule.model_dump()}


@router.get("/profiles/{profile_id}/sessions")
def list_sessions(request: Request, profile_id: ProfileId) -> list[dict]:
    return _owned_rows(request, profile_id, repository.list_sessions, _session_json)


@router.post("/profiles/{profile_id}/sessions", status_code=201)
def log_session(request: Request, profile_id: ProfileId, body: SessionIn) -> dict:
    """Log a session that followed a saved plan for ``minutes``, ending ``ended_at`` (default now: a past
    session gives its end)."""
    pid = owned_profile(request, profile_id).id
    logged = log_session_from_plan(journal(request), pid, body.plan_id, body.minutes * 60.0, notes=body.notes,
                                   warmth_0_10=body.warmth_0_10, ended_at=_local(body.ended_at),
                                   side_effects=body.side_effects)
    return {k: logged.session[k] for k in SESSION_KEYS} | {
        "overdose_warnings": [w.model_dump() for w in logged.overdose_warnings]}


@router.get("/profiles/{profile_id}/outcomes")
def list_outcomes(request: Request, profile_id: ProfileId) -> list[dict]:
    return _owned_rows(request, profile_id, repository.list_outcomes, _outcome_json)


@router.post("/profiles/{profile_id}/outcomes", status_code=201)
def log_outcome(request: Request, profile_id: ProfileId, body: OutcomeIn) -> dict:
    """Score and store a questionnaire: ``items`` for PHQ-9 / QIDS-SR16, ``total`` for HAM-D17 / pain."""
    pid = owned_profile(request, profile_id).id
    instrument = get_instrument(body.instrument)
    if instrument.kind == "items":
        if body.items is None:
            raise PhotodoseInputError("items", None, f"{instrument.id} needs its {instrument.n_items} item scores")
        score = score_items(instrument.id, body.items)
    else:
        if body.total is None:
            raise PhotodoseInputError("total", None, f"{instrument.id} needs a total")
        score = score_total(instrument.id, body.total)
    row = repository.log_outcome(journal(request), pid, score, site=body.site, notes=body.notes,
                                 recorded_at=datetime.now().replace(microsecond=0))
    return {**_outcome_json(row), "alerts": instrument.alerts(score.items) if score.items else []}


@router.get("/profiles/{profile_id}/progress")
def progress(request: Request, profile_id: ProfileId) -> dict:
    """Dose per session and cumulative dose per site, outcome series and change from baseline."""
    progress = profile_progress(journal(request), owned_profile(request, profile_id))
    series = progress.series
    return {
        "dose_by_site": {site: {"times": t, "surface_fluence_j_cm2": d}
                         for site, (t, d) in series.dose_by_site.items()},
        "cumulative_by_site": {site: {"times": t, "surface_fluence_j_cm2": d}
                               for site, (t, d) in series.cumulative_by_site.items()},
        "scores": [{"label": s.label, "instrument": s.instrument, "site": s.site, "times": s.times,
                    "totals": s.totals} for s in series.scores],
        "change_from_baseline": [vars(c) for c in progress.change_from_baseline],
    }


# --- corrections ------------------------------------------------------------------------------------------------

def _local(when: datetime | None) -> datetime | None:
    """A sent time as the journal's naive local time (an offset is converted to this machine's zone)."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone().replace(tzinfo=None)


def _correct(request: Request, profile_id: int, write, row_id: int, what: str, **changes):
    """``write(journal, profile, row_id, **changes)``; a row this profile does not hold is a 404."""
    pid = owned_profile(request, profile_id).id
    try:
        return write(journal(request), pid, row_id, **changes)
    except PhotodoseInputError as exc:
        if exc.field in (f"{what}_id", "plan"):
            raise HTTPException(status_code=404, detail=f"{what}_id: no {what} {row_id} in this profile") from None
        raise


@router.patch("/profiles/{profile_id}/sessions/{session_id}")
def edit_session(request: Request, profile_id: ProfileId, session_id: RowId, body: SessionEdit) -> dict:
    """Correct a logged session: only the fields sent change; a new length rescales its stored dose."""
    sent = body.model_fields_set
    changes = {k: getattr(body, k) for k in ("warmth_0_10", "notes") if k in sent}
    if body.start_at is not None:
        changes["start_at"] = _local(body.start_at)
    if body.minutes is not None:
        changes["duration_s"] = body.minutes * 60.0
    row = _correct(request, profile_id, repository.update_session, session_id, "session", **changes)
    return _session_json(row)


@router.delete("/profiles/{profile_id}/sessions/{session_id}", status_code=204)
def delete_session(request: Request, profile_id: ProfileId, session_id: RowId) -> Response:
    """Delete a logged session (all its sites when it covered several)."""
    _correct(request, profile_id, repository.delete_session, session_id, "session")
    return Response(status_code=204)


@router.patch("/profiles/{profile_id}/outcomes/{outcome_id}")
def edit_outcome(request: Request, profile_id: ProfileId, outcome_id: RowId, body: OutcomeEdit) -> dict:
    """Correct a logged outcome: only the fields sent change; ``items`` or ``total`` re-scores it."""
    sent = body.model_fields_set
    changes = {k: getattr(body, k) for k in ("notes", "site") if k in sent}
    if body.recorded_at is not None:
        changes["recorded_at"] = _local(body.recorded_at)
    if body.items is not None or body.total is not None:
        row = _correct(request, profile_id, repository.get_outcome, outcome_id, "outcome")
        if row.instrument == "custom":
            raise PhotodoseInputError("instrument", "custom",
                                      "a questionnaire's outcome (a custom metric has no score)")
        changes["score"] = (score_items(row.instrument, body.items) if body.items is not None
                            else score_total(row.instrument, body.total))
    row = _correct(request, profile_id, repository.update_outcome, outcome_id, "outcome", **changes)
    score = changes.get("score")
    return {**_outcome_json(row),
            "alerts": get_instrument(row.instrument).alerts(score.items) if score is not None and score.items else []}


@router.delete("/profiles/{profile_id}/outcomes/{outcome_id}", status_code=204)
def delete_outcome(request: Request, profile_id: ProfileId, outcome_id: RowId) -> Response:
    _correct(request, profile_id, repository.delete_outcome, outcome_id, "outcome")
    return Response(status_code=204)


@router.delete("/profiles/{profile_id}/plans/{plan_id}", status_code=204)
def delete_plan(request: Request, profile_id: ProfileId, plan_id: RowId) -> Response:
    """Delete a saved plan; the sessions that followed it stay, no longer linked to a plan."""
    _correct(request, profile_id, repository.delete_plan, plan_id, "plan")
    return Response(status_code=204)
