"""The dose calculator: one function for ``photodose dose`` (and any web form that asks the same questions).

Three questions a home user asks, answered with the definitions of radiant exposure (Jenkins & Carroll 2011,
bibliography key jenkins2011), H [J/cm^2] = E [mW/cm^2] x t [s] / 1000:

- "I measured E, how much dose in t minutes?"  -> H = E t / 1000
- "I measured E, how many minutes for H?"      -> t = 1000 H / E
- with a condition: is H inside that condition's skin dose window (as its protocol sources it, or unsourced)?

Where the person gives a device and a distance instead of an irradiance, the device model's mean irradiance over
the device's treatment area (``devices.irradiance.irradiance_summary``) is used, and the answer says which area.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..errors import PhotodoseInputError
from ..units import LengthUnit

__all__ = ["DoseCalculation", "dose_calculation", "parse_fluence_j_cm2"]


class DoseWindowVerdict(BaseModel):
    """The condition's skin window [J/cm^2], its source, and where the dose falls."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    condition: str
    low_j_cm2: float
    high_j_cm2: float
    verdict: Literal["inside", "below", "above"]
    source: str
    unsourced: bool
    citations: list[str]


class DoseCalculation(BaseModel):
    """The answer: irradiance at the skin, session minutes and skin fluence (one of the last two was asked for).

    ``irradiance_from`` says where the irradiance came from ("typed", or the device model at a distance over an
    area); ``window`` is the condition's verdict on ``fluence_j_cm2`` (None without a condition);
    ``window_note`` says why there is no verdict when the condition has only a window at depth.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    irradiance_mw_cm2: float
    minutes: float
    fluence_j_cm2: float
    solved_for: Literal["fluence_j_cm2", "minutes"]
    irradiance_from: str
    device: str | None = None
    distance_mm: float | None = None
    device_distance_unit: LengthUnit | None = None   # the unit of the device's usual distance ("in" for "6 in")
    condition: str | None = None
    verdict: Literal["inside", "below", "above"] | None = None
    window: DoseWindowVerdict | None = None
    window_note: str | None = None
    source: str = "jenkins2011"


def parse_fluence_j_cm2(text: str, field: str = "--dose") -> float:
    """A dose typed as "30 J/cm2" (or a bare number in J/cm2); above 0."""
    from ..units import parse_quantity

    value = parse_quantity(text, "J/cm**2", field, default_unit="J/cm**2")
    if value <= 0:
        raise PhotodoseInputError(field, text, "a dose above 0 J/cm2, e.g. '30 J/cm2'")
    return value


def dose_calculation(*, irradiance_mw_cm2: float | None = None, minutes: float | None = None,
                     fluence_j_cm2: float | None = None, device_id: str | None = None,
                     distance_mm: float | None = None, area_mm: tuple[float, float] | None = None,
                     channels: list[str] | None = None, condition: str | None = None) -> DoseCalculation:
    """Answer one calculator question; exactly one of ``minutes`` / ``fluence_j_cm2`` and one of
    ``irradiance_mw_cm2`` / ``device_id`` are given (``distance_mm`` defaults to the device's usual distance)."""
    from ..dosimetry.arithmetic import fluence_j_cm2 as fluence_of, time_for_fluence_s

    if (minutes is None) == (fluence_j_cm2 is None):
        raise PhotodoseInputError("--minutes/--dose", f"{minutes}/{fluence_j_cm2}",
                                  "give exactly one: --minutes (to get the dose) or --dose (to get the minutes)")
    if (irradiance_mw_cm2 is None) == (device_id is None):
        raise PhotodoseInputError("--irradiance/--device", f"{irradiance_mw_cm2}/{device_id}",
                                  "give exactly one: --irradiance (measured) or --device with --distance")
    device = unit = None
    if device_id is not None:
        from ..devices.catalog import load_device
        from ..devices.irradiance import area_description, irradiance_summary

        dev = load_device(device_id)
        distance_mm = dev.default_distance_mm if distance_mm is None else distance_mm
        irradiance_mw_cm2 = irradiance_summary(dev, distance_mm, area_mm, channels)["total_mean_irradiance_mw_cm2"]
        origin = f"device model {dev.id}: mean over {area_description(dev, area_mm)}"
        device, unit = dev.id, dev.default_distance_unit
    else:
        origin = "typed"
    if irradiance_mw_cm2 <= 0:
        raise PhotodoseInputError("--irradiance", irradiance_mw_cm2, "an irradiance above 0 mW/cm2")
    if minutes is not None:
        if minutes <= 0:
            raise PhotodoseInputError("--minutes", minutes, "a session longer than 0 minutes")
        fluence = float(fluence_of(irradiance_mw_cm2, minutes * 60.0))
        solved = "fluence_j_cm2"
    else:
        if fluence_j_cm2 <= 0:
            raise PhotodoseInputError("--dose", fluence_j_cm2, "a dose above 0 J/cm2")
        fluence = float(fluence_j_cm2)
        minutes = float(time_for_fluence_s(fluence, irradiance_mw_cm2)) / 60.0
        solved = "minutes"
    window, note = (None, None) if condition is None else _window(condition, fluence)
    return DoseCalculation(irradiance_mw_cm2=float(irradiance_mw_cm2), minutes=float(minutes), fluence_j_cm2=fluence,
                           solved_for=solved, irradiance_from=origin, device=device, distance_mm=distance_mm,
                           device_distance_unit=unit,
                           condition=None if condition is None else (window.condition if window else condition),
                           verdict=window.verdict if window else None, window=window, window_note=note)


def _window(condition: str, fluence_j_cm2: float) -> tuple[DoseWindowVerdict | None, str | None]:
    from ..planning.windows import verdict
    from ..protocols import get_protocol

    protocol = get_protocol(condition)
    w = protocol.skin_window
    if w is None:
        t = protocol.target_window
        return None, (f"{protocol.id} has a window at depth only ({t.low_j_cm2:g}-{t.high_j_cm2:g} J/cm2 at "
                      f"{protocol.target.depth_mm:g} mm): a skin dose cannot be judged against it; "
                      f"use `photodose plan --condition {protocol.id}`")
    return DoseWindowVerdict(condition=protocol.id, low_j_cm2=w.low_j_cm2, high_j_cm2=w.high_j_cm2,
                             verdict=verdict(fluence_j_cm2, w.low_j_cm2, w.high_j_cm2), source=w.source,
                             unsourced=w.unsourced, citations=list(w.citations)), None
