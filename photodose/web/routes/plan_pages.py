"""Plan page: choose device, site, phototype and condition; see the plan, its depth-dose chart, the safety verdict
and the Jenkins & Carroll reporting table; save it to the journal."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from ...errors import PhotodoseInputError
from ...journal import repository
from ...planning.plan_model import SAFETY_MEANING, VERDICT_MEANING, Plan
from ...planning.plan_text import target_meaning, transport_text
from ...planning.reporting import SOURCE as REPORTING_SOURCE, reporting_rows
from .. import planning
from ..charts import depth_dose_figure
from ..errors import describe_validation_errors
from ..forms import errors_from, number, values_of
from ..pages import render
from ..profiles import active_profile, journal, require_active_profile
from ..security import checked_form, current_user

router = APIRouter(include_in_schema=False)
FIELDS = ("device", "site", "skin_type", "condition", "distance", "minutes", "max_minutes", "transport",
          "eye_distance")


def _plan_page(request: Request, *, status_code: int = 200, **context):
    return render(request, "plan.html", status_code=status_code, active="plan", choices=planning.choices(),
                  site_options=[planning.CONDITION_SITE] + planning.site_options(),
                  phototype_options=[(p, p) for p in planning.PHOTOTYPES], transport_options=planning.TRANSPORTS,
                  defaults=planning.DEFAULTS, reporting_source=REPORTING_SOURCE,
                  meanings={"verdict": VERDICT_MEANING, "safety": SAFETY_MEANING}, **context)



def _person(request: Request, profile) -> tuple | None:
    """(journal, profile) for planning, or None without a profile."""
    return None if profile is None else (journal(request), profile)


@router.get("/")
def plan_form(request: Request):
    profile = active_profile(request)
    phototype = getattr(profile, "skin_phototype", None)
    return _plan_page(request, values=dict(planning.DEFAULTS) | ({"skin_type": phototype} if phototype else {}))


@router.post("/plan")
async def make_plan(request: Request):
    form = await checked_form(request)
    values = values_of(form)
    errors: dict[str, str] = {}
    minutes = number(form, "minutes", errors, low=0.1, high=240, required=False)
    max_minutes = number(form, "max_minutes", errors, low=0.1, high=240, required=False)
    if errors:
        return _plan_page(request, status_code=422, values=values, errors=errors)
    heat = _heat_plan(request, values)  # a sauna dome: heat, not light (photodose.hyperthermia)
    if heat is not None:
        return heat
    try:
        plan = planning.make_plan(device=values.get("device", ""), site=values.get("site", ""),
                                  skin_type=values.get("skin_type", ""), condition=values.get("condition", ""),
                                  distance=values.get("distance", "").strip() or None, minutes=minutes,
                                  max_minutes=max_minutes,
                                  goggles=bool(form.get("goggles")), transport=values.get("transport", "fast"),
                                  eye_distance=values.get("eye_distance", "").strip() or None,
                                  person=_person(request, active_profile(request)))
    except PhotodoseInputError as exc:
        return _plan_page(request, status_code=422, values=values,
                          errors=errors_from(exc, FIELDS, {"skin_phototype": "skin_type", "distance_mm": "distance",
                                                           "eye_distance_mm": "eye_distance"}))
    except ValidationError as exc:
        described = describe_validation_errors(exc.errors())
        errs = {}
        for e in described:
            key = e["field"].split(".")[0]
            key = {"distance_mm": "distance", "eye_distance_mm": "eye_distance"}.get(key, key)
            errs[key if key in FIELDS else "_form"] = f"{e['field']}: {e['message']}"
        return _plan_page(request, status_code=422, values=values, errors=errs)
    token = request.app.state.plan_cache.put(current_user(request), plan)
    return _plan_page(request, values=values, plan=plan, plan_token=token,
                      figure_json=depth_dose_figure(plan).to_json(), head_slices=_head_slices(plan),
                      reporting=reporting_rows(plan.reporting_parameters),
                      target_meaning=target_meaning(plan) if plan.target else None,
                      transport_text=transport_text(plan.transport) if plan.transport else None)


def _head_slices(plan):
    """A head3d plan's slices picture (from the plan's own head run, cached by the planner in this process), else
    None."""
    if plan.transport is None or plan.transport.head is None:
        return None
    from ...reports.head_plots import plan_head_slices

    return plan_head_slices(plan, planning.load_catalog_device(plan.device))


def _heat_plan(request: Request, values: dict):
    """The heat plan page when the device is a sauna dome or the condition a heat protocol, else None."""
    from ...usecases.plan_heat import is_heat_plan, plan_heat_for_profile
    from ..heat_charts import core_temperature_figure

    device, condition = values.get("device", ""), values.get("condition") or None
    try:
        device = planning.load_catalog_device(device).id  # a catalog or user device id, never a path
        if not is_heat_plan(device, condition):
            return None
        person = _person(request, active_profile(request)) or (None, None)
        plan = plan_heat_for_profile(device, condition, *person)
    except PhotodoseInputError as exc:
        return _plan_page(request, status_code=422, values=values, errors=errors_from(exc, FIELDS, {}))
    token = request.app.state.plan_cache.put(current_user(request), plan)
    return render(request, "heat_plan.html", active="plan", plan=plan, plan_token=token,
                  figure_json=core_temperature_figure(plan).to_json())


@router.get("/plan/heat-report/{token}")
def heat_plan_report(request: Request, token: str):
    """The self-contained HTML report of a heat plan this user just made (the CLI's ``plan --report``)."""
    from ...hyperthermia import HyperthermiaPlan
    from ...reports.html import heat_plan_report_html

    plan = request.app.state.plan_cache.get(current_user(request), token)
    if not isinstance(plan, HyperthermiaPlan):
        raise HTTPException(status_code=404, detail="plan_token: no such heat plan of yours; make the plan again")
    return HTMLResponse(heat_plan_report_html(plan),
                        headers={"Content-Disposition": 'inline; filename="photodose-heat-plan.html"'})


@router.post("/plan/save")
async def save_plan(request: Request):
    form = await checked_form(request)
    profile = require_active_profile(request)
    plan = request.app.state.plan_cache.get(current_user(request), str(form.get("plan_token") or ""))
    if not isinstance(plan, Plan):  # expired, or a heat plan (the journal keeps heat sessions, not heat plans)
        return _plan_page(request, status_code=422, values=dict(planning.DEFAULTS),
                          errors={"_form": "plan_token: this plan has expired; make it again"})
    if plan.status not in ("planned", "compromise") or not plan.followable:
        return _plan_page(request, status_code=422, values=dict(planning.DEFAULTS),
                          errors={"_form": f"plan: a {plan.status.replace('_', ' ')} plan cannot be saved"})
    repository.add_plan(journal(request), profile.id, plan)
    return RedirectResponse("/journal?saved=plan", status_code=303)
