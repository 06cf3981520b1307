"""JSON API for what a home user reaches for: the dose calculator and the schedules people are told to follow
(the same use cases as ``photodose dose`` and ``photodose schedule``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...usecases.dose_calculator import DoseCalculation

router = APIRouter(prefix="/api", tags=["home"])
Text = Annotated[str | None, Query(max_length=50)]


@router.get("/dose", response_model=DoseCalculation)
def dose(irradiance: Text = None, minutes: Text = None, dose: Text = None, device: Text = None,
         distance: Text = None, condition: Text = None) -> DoseCalculation:
    """Dose at the skin from an irradiance (typed, or the device model at a distance) and minutes, or the minutes
    to a dose; with a condition, its window verdict. Values are typed with units: "50 mW/cm2", "10 min", "30 J/cm2",
    "6 in"."""
    from ...units import parse_irradiance_mw_cm2, parse_length_mm, parse_minutes
    from ...usecases.dose_calculator import dose_calculation, parse_fluence_j_cm2
    from .. import planning

    if device is not None:
        device = planning.load_catalog_device(device).id  # an id, never a file path
    return dose_calculation(
        irradiance_mw_cm2=None if irradiance is None else parse_irradiance_mw_cm2(irradiance, "irradiance"),
        minutes=None if minutes is None else parse_minutes(minutes, "minutes"),
        fluence_j_cm2=None if dose is None else parse_fluence_j_cm2(dose, "dose"), device_id=device,
        distance_mm=None if distance is None else parse_length_mm(distance, "distance"), condition=condition)


@router.get("/schedule")
def schedule(condition: Text = None, kind: Annotated[str, Query(max_length=30)] = "steady") -> dict:
    """A protocol's schedule as ``kind`` (steady, ramp-up, daily-then-taper): phases and sessions per week."""
    from ...planning.plan_model import Schedule
    from ...planning.schedule import recommend_schedule, weekly_plan
    from ...protocols import get_protocol

    typed = Schedule.model_validate(recommend_schedule(get_protocol(condition) if condition else None, kind))
    return typed.model_dump() | {"weeks_planned": [{"week": i + 1, "sessions": n, "session_fraction": f,
                                                    "phase": label}
                                                   for i, (n, f, label) in enumerate(weekly_plan(typed))]}
