"""JSON API over the library: devices, irradiance, calibration, protocols, sites, planning, screening."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from ...errors import require_choice
from ...journal import repository
from ...devices.irradiance import IrradianceSummary
from ...planning.plan_model import Plan
from .. import devices, planning, screening
from ..profiles import journal, owned_profile
from .api_models import CalibrationIn, PlanQuery, ScreeningIn

router = APIRouter(prefix="/api", tags=["library"])
DeviceId = Annotated[str, Path(max_length=200, description="catalog device id")]


@router.get("/devices")
def list_devices() -> list[dict]:
    """The device catalog (built-in and user devices)."""
    return devices.catalog_rows()


@router.get("/devices/{device_id}/irradiance", response_model=IrradianceSummary, response_model_exclude_none=True)
def device_irradiance(device_id: DeviceId,
                      distance: Annotated[str, Query(max_length=50, description='e.g. "15 cm"')] = "15 cm"):
    """Mean, peak and uniformity of the irradiance over the treatment area at ``distance``."""
    return devices.summary_at(device_id, distance)[1]


@router.get("/devices/{device_id}/irradiance-curve")
def device_irradiance_curve(device_id: DeviceId) -> dict:
    """On-axis irradiance (mW/cm2) against distance (mm)."""
    distance_mm, irradiance = devices.irradiance_curve(planning.load_catalog_device(device_id))
    return {"device": device_id, "distance_mm": distance_mm, "irradiance_mw_cm2": irradiance}


@router.post("/devices/{device_id}/calibrate")
def calibrate_device(device_id: DeviceId, body: CalibrationIn) -> dict:
    """Fit the device model to irradiance-meter readings (power scale, and the Lambertian order when possible)."""
    readings = [(r.distance_mm, r.irradiance_mw_cm2) for r in body.readings]
    return devices.calibrate_device(device_id, readings)[1]


@router.get("/protocols")
def list_protocols() -> list[dict]:
    """Every protocol: the light protocols, then the whole-body hyperthermia ones (category "whole-body
    hyperthermia", no wavelengths: their dose is core temperature over time)."""
    from ...hyperthermia import list_heat_protocols
    from ...protocols import list_protocols as protocols

    light = [{"id": p.id, "name": p.name, "category": p.category, "site": p.site,
              "wavelengths_nm": list(p.wavelengths_nm), "evidence": p.evidence.model_dump()} for p in protocols()]
    heat = [{"id": p.id, "name": p.name, "category": "whole-body hyperthermia", "site": None, "wavelengths_nm": [],
             "evidence": p.evidence.model_dump()} for p in list_heat_protocols()]
    return light + heat


@router.get("/sites")
def list_sites() -> list[str]:
    return planning.site_choices()


@router.post("/plan", response_model=Plan)
def make_plan(request: Request, body: PlanQuery) -> Plan:
    """Plan a session: the typed plan, exactly as ``photodose plan --json`` prints it. With ``profile_id``, the
    profile's phototype (unless ``skin_type`` is given), measured fat, screening answers and earlier sessions
    feed the plan, as ``photodose plan --profile`` does. ``transport`` ``head3d`` takes the target dose from the 3-D
    head (``photodose plan --transport head3d``)."""
    person = (journal(request), owned_profile(request, body.profile_id)) if body.profile_id else None
    return planning.make_plan(device=body.device, site=body.site, skin_type=body.skin_type, condition=body.condition,
                              distance=body.distance, minutes=body.minutes, max_minutes=body.max_minutes,
                              goggles=body.goggles, person=person, transport=body.transport,
                              eye_distance=body.eye_distance)


@router.get("/screening/questions")
def screening_questions() -> dict:
    return screening.questionnaire().model_dump()


@router.post("/screening")
def evaluate_screening(request: Request, body: ScreeningIn) -> dict:
    """Verdicts (ok / caution / do_not_use with reasons and sources) for the answers at a site."""
    known = screening.questionnaire().ids()
    for key in body.answers:
        require_choice("answers", key, known)
    site = require_choice("site", body.site, planning.site_choices())
    stored, _ = screening.stored_answers(body.answers)
    if body.profile_id is not None:
        owner = owned_profile(request, body.profile_id)
        stored, answered_at = screening.stored_answers(body.answers, previous=owner.contraindication_answers)
        repository.set_contraindication_answers(journal(request), owner.id, stored, answered_at)
    return screening.evaluate(stored, site, body.transcranial, body.pulsed_visible)
