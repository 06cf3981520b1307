"""Monte Carlo depth dose in the background: a form starts a job, the page polls its progress and time left (and
can cancel it), then draws phi(z). Finished jobs are kept across restarts (:mod:`photodose.web.jobs`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from ...errors import PhotodoseInputError
from .. import montecarlo
from ..charts import mc_depth_figure
from ..forms import errors_from, values_of
from ..jobs import MAX_JOBS_KEPT
from ..pages import render
from ..planning import PHOTOTYPES, site_options
from ..security import checked_form, current_user
from .api_models import MonteCarloIn

router = APIRouter()
JobId = Annotated[str, Path(min_length=1, max_length=64, description="a job id from POST /api/jobs/montecarlo")]
KIND = "montecarlo"
DEFAULTS = {"site": "knee", "wavelength_nm": "850", "skin_type": "III", "photons": "200000", "seed": "1"}
FIELDS = tuple(DEFAULTS)


def _start(request: Request, params: dict):
    title = f"Monte Carlo {params['wavelength_nm']:g} nm, {params['site']}, {params['photons']:,} photons"
    return request.app.state.jobs.submit(current_user(request), title,
                                         lambda report: montecarlo.run_depth_dose(params, report),
                                         kind=KIND, units=params["photons"])


def _page(request: Request, *, status_code: int = 200, **context):
    jobs = request.app.state.jobs
    try:
        photons = float(str(context.get("values", {}).get("photons") or DEFAULTS["photons"]).replace(",", ""))
    except ValueError:
        photons = float(DEFAULTS["photons"])
    estimate_s = jobs.estimate_s(KIND, photons)
    return render(request, "montecarlo.html", status_code=status_code, active="plan", estimate_s=estimate_s,
                  photons=photons, photons_per_s=photons / estimate_s if estimate_s else None,
                  site_options=site_options(),
                  phototype_options=[(p, p) for p in PHOTOTYPES], **context)


@router.get("/montecarlo", include_in_schema=False)
def montecarlo_page(request: Request, job: str | None = None):
    found = figure_json = None
    if job:
        found = request.app.state.jobs.get(current_user(request), job)
        if found is None:
            return _page(request, status_code=404, values=dict(DEFAULTS),
                         errors={"_form": f"job: no such job of yours (the last {MAX_JOBS_KEPT} finished jobs "
                                           "are kept)"})
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
def get_job(request: Request, job_id: JobId) -> dict:
    """A job's status (queued, running, done, failed), progress 0-1, and its result when done."""
    job = request.app.state.jobs.get(current_user(request), job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"job_id: no job {job_id!r} of yours")
    return job.public()


@router.post("/montecarlo/cancel", include_in_schema=False)
async def cancel_montecarlo(request: Request):
    form = await checked_form(request)
    job_id = str(form.get("job") or "")
    if request.app.state.jobs.cancel(current_user(request), job_id) is None:
        raise HTTPException(status_code=404, detail=f"job: no job {job_id[:40]!r} of yours")
    return RedirectResponse(f"/montecarlo?job={job_id}", status_code=303)


@router.post("/api/jobs/{job_id}/cancel", tags=["jobs"])
def cancel_job(request: Request, job_id: JobId) -> dict:
    """Cancel a queued or running job (a running one stops at its next progress report); a finished job is
    returned as it is."""
    job = request.app.state.jobs.cancel(current_user(request), job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"job_id: no job {job_id!r} of yours")
    return job.public()
