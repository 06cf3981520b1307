"""A session logged from a saved plan: its dose follows from the plan's own surface irradiance and the actual time."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..errors import PhotodoseInputError
from ..journal import repository
from ..dosimetry.arithmetic import fluence_j_cm2
from ..journal.dosing import SessionDose, target_dose_from_plan


def plan_field(plan: dict, *names, default=None):
    """The first present key among ``names`` (the planner's keys, e.g. ``device_id`` or ``device``)."""
    for name in names:
        value = plan.get(name)
        if isinstance(value, dict):
            value = value.get("id")
        if value is not None:
            return value
    return default


def log_from_plan(db, profile_id: int, plan_id: int, duration_s: float, *, notes: str | None = None,
                  warmth_0_10: int | None = None, ended_at: datetime | None = None):
    """Log a session of ``duration_s`` seconds that followed stored plan ``plan_id`` and ended ``ended_at``."""
    stored = repository.get_plan(db, profile_id, plan_id).plan
    irradiance = (stored.get("surface") or {}).get("irradiance_mw_cm2")
    site, device_id = plan_field(stored, "site"), plan_field(stored, "device_id", "device")
    if irradiance is None or site is None or device_id is None:
        raise PhotodoseInputError("plan", plan_id, "a plan with site, device and surface irradiance")
    end = (ended_at or datetime.now()).replace(microsecond=0)
    depth_mm, target = target_dose_from_plan(stored, site, device_id, duration_s, float(irradiance))
    dose = SessionDose(float(irradiance), float(fluence_j_cm2(float(irradiance), duration_s)), depth_mm, target)
    return repository.log_session(
        db, profile_id, start_at=end - timedelta(seconds=round(duration_s)), duration_s=duration_s, site=site,
        device_id=str(device_id), distance_mm=float(stored.get("distance_mm") or 0.0), dose=dose, plan_id=plan_id,
        planned_seconds=stored.get("session_seconds"), channels=stored.get("channels"), notes=notes,
        warmth_0_10=warmth_0_10)
