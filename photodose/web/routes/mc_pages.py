"""Monte Carlo depth dose in the background: a form starts a job, the page polls its progress, then draws phi(z)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

from ...errors import PhotodoseInputError
from .. import montecarlo
from ..charts import mc_depth_figure
from ..forms import errors_from, values_of
from ..pages import render
from ..planning import PHOTOTYPES, site_choices
from ..security import checked_form, current_user
from .api_models import MonteCarloIn

router = APIRouter()
DEFAULTS = {"site": "knee", "wavelength_nm": "850", "skin_type": "III", "photons": "200000", "seed": "1"}
FIELDS = tuple(DEFAULTS)


def _start(request: Request, params: dict):
    title = f"Monte Carlo {params['wavelength_nm']:g} nm, {params['site']}, {params['photons']:,} photons"
    return request.app.state.jobs.submit(current_user(request), title,
                                         lambda report: montecarlo.run_depth_dose(params, report))


def _page(request: Request, *, status_code: int = 200, **context):
    return render(request, "montecarlo.html", status_code=status_code, active="plan",
                  site_options=[(s, s.replace("_", " ")) for s in site_choices()],
                  phototype_options=[(p, p) for p in PHOTOTYPES], **context)


@router.get("/montecarlo", include_in_schema=False)
def montecarlo_page(request: Request, job: str | None = None):
    found = figure_json = None
    if job:
        found = request.app.state.jobs.get(current_user(request), job)
        if found is None:
            return _page(request, status_code=404, values=dict(DEFAULTS),
                         errors={"_form": "job: no such job of yours (jobs are kept until the server restarts)"})
        if found.status == "done":
            figure_json = mc_depth_figure(found.result).to_json()
    return _page(request, values=dict(DEFAULTS), job=found, figure_json=figure_json)


@router.post("/montecarlo", include_in_schema=False)
async def start_montecarlo(request: Request):
    form = await checked_form(request)
    values = values_of(form)
    try:
        params = montecarlo.check_request(*(values.get(k, "") for k in FIELDS))
    except PhotodoseInputError as exc:
        return _page(request, status_code=422, values=values, errors=errors_from(exc, FIELDS))
    return RedirectResponse(f"/montecarlo?job={_start(request, params).id}", status_code=303)


@router.post("/api/jobs/montecarlo", status_code=202, tags=["jobs"])
def start_montecarlo_job(request: Request, body: MonteCarloIn) -> dict:
    """Start a Monte Carlo depth-dose run in the background; poll GET /api/jobs/{job_id}."""
    params = montecarlo.check_request(body.site, body.wavelength_nm, body.skin_type, body.photons, body.seed)
    return _start(request, params).public()


@router.get("/api/jobs/{job_id}", tags=["jobs"])
def get_job(request: Request, job_id: str) -> dict:
    """A job's status (queued, running, done, failed), progress 0-1, and its result when done."""
    job = request.app.state.jobs.get(current_user(request), job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"job_id: no job {job_id!r} of yours")
    return job.public()
