"""Dose of a logged session: surface irradiance from the device catalog, fluence = irradiance x time, and the
target-depth fluence carried over from a stored plan.

Fluence J/cm2 = irradiance mW/cm2 x time s / 1000 (:func:`photodose.dosimetry.arithmetic.fluence_j_cm2`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dosimetry.arithmetic import fluence_j_cm2
from ..errors import PhotodoseInputError

if TYPE_CHECKING:
    from ..planning.plan_model import Plan


@dataclass(frozen=True)
class SessionDose:
    surface_irradiance_mw_cm2: float
    surface_fluence_j_cm2: float
    target_depth_mm: float | None = None
    target_fluence_j_cm2: float | None = None


def device_irradiance_mw_cm2(device_id: str, distance_mm: float, channels: list[str] | None = None) -> float:
    """Mean total surface irradiance over the treatment area of catalog device ``device_id`` at ``distance_mm``
    (all channels, or ``channels``), from photodose.devices."""
    try:
        from ..devices.catalog import load_device
        from ..devices.irradiance import irradiance_summary
    except ImportError:
        raise PhotodoseInputError("device", device_id,
                                  "the device catalog (photodose.devices) is not installed") from None
    try:
        device = load_device(device_id)
    except (KeyError, LookupError, FileNotFoundError) as exc:
        raise PhotodoseInputError("device", device_id, f"not in the device catalog ({exc})") from None
    return float(irradiance_summary(device, distance_mm, channels=channels)["total_mean_irradiance_mw_cm2"])


def target_dose_from_plan(plan: Plan, site: str, device_id: str, duration_s: float,
                          surface_irradiance_mw_cm2: float) -> tuple[float | None, float | None]:
    """(target depth mm, target fluence J/cm2) carried over from a planner plan, else (None, None).

    The plan's target fluence per second of its own session (``target.fluence_j_cm2 / session_seconds``) is
    scaled by the actual duration and, when the distance changed, by the ratio of actual to planned surface
    irradiance (light transport is linear in the incident irradiance). A plan for another site or device, or one
    without a target fluence, gives no target dose: it is not guessed.
    """
    planned_s, planned_irradiance = plan.session_seconds, plan.surface.irradiance_mw_cm2
    if plan.target is None or not planned_s or not planned_irradiance:
        return None, None
    if plan.site != site or plan.device != device_id:
        return None, None
    per_second = plan.target.fluence_j_cm2 / planned_s
    scale = surface_irradiance_mw_cm2 / planned_irradiance
    return plan.target.depth_mm, per_second * duration_s * scale


def logged_session_dose(device_id: str, distance_mm: float, duration_s: float, site: str,
                         plan: Plan | None = None, channels: list[str] | None = None) -> SessionDose:
    """Dose of a logged session: the surface irradiance from the device model (the mean over its treatment area,
    as a plan uses), fluence = irradiance x time, plus the target dose carried over from the plan it followed.
    The dose of a planned session is :func:`photodose.dosimetry.session_dose.compute_session_dose`."""
    irradiance = device_irradiance_mw_cm2(device_id, distance_mm, channels)
    depth_mm, target = (None, None) if plan is None else target_dose_from_plan(
        plan, site, device_id, duration_s, irradiance)
    return SessionDose(irradiance, float(fluence_j_cm2(irradiance, duration_s)), depth_mm, target)
