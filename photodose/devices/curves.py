"""Irradiance against distance (on axis and mean over the treatment area), distance tables in the person's
units with the minutes to a dose, and the area a map's mean is taken over.

On-axis values come from :func:`.irradiance.on_axis_irradiance_mw_cm2`, means from
:func:`.irradiance.irradiance_summary` (the area rule of :func:`.irradiance.area_description`). The minutes to a
dose H [J/cm^2] at mean irradiance E [mW/cm^2] are t = 1000 H / E / 60 (radiant exposure, Jenkins & Carroll 2011,
bibliography key jenkins2011). The inverse-square guess scales one reference irradiance E_ref at d_ref as
E_ref (d_ref / d)^2 (the rule people apply; the device model shows where it fails near an extended source).
"""

from __future__ import annotations

import numpy as np

from .emitters import inverse_square_mw_cm2, top_hat_beam_radius_mm
from .irradiance import area_description, irradiance_summary, on_axis_irradiance_mw_cm2, select_channels
from .model import Device

__all__ = ["CURVE_POINTS", "TABLE_ROWS", "area_outline_mm", "distance_table", "irradiance_curve",
           "table_distances_mm"]

CURVE_POINTS = 61  # distances from start to end inclusive
MEAN_POINTS = 21  # of which the mean over the area is computed at this many (evenly, both ends), and at extra_mm
TABLE_ROWS = 12


def minutes_to_dose(dose_j_cm2: float, irradiance_mw_cm2: float) -> float:
    """Minutes t = 1000 H / E / 60 to a dose H [J/cm^2] at irradiance E [mW/cm^2] > 0 (radiant exposure H = E t;
    jenkins2011). The same arithmetic as ``dosimetry.arithmetic.time_for_fluence_s``, which the devices stage may
    not import (sibling stages)."""
    return 1000.0 * dose_j_cm2 / irradiance_mw_cm2 / 60.0


def area_outline_mm(device: Device, distance_mm: float, area_mm: tuple[float, float] | None = None) -> dict:
    """The area the mean is over, centred on the axis: {"shape": "rectangle", "width_mm", "height_mm"} or
    {"shape": "disc", "diameter_mm"} (the rule of :func:`.irradiance.irradiance_summary`)."""
    area = area_mm or device.treatment_area_mm
    if area is None and device.layout.kind == "beam":
        radius = float(top_hat_beam_radius_mm(device.layout.diameter_mm, device.layout.divergence_half_angle_deg,
                                              distance_mm))
        return {"shape": "disc", "diameter_mm": 2 * radius}
    width_mm, height_mm = area or device.layout.extent_mm
    return {"shape": "rectangle", "width_mm": float(width_mm), "height_mm": float(height_mm)}


def _reference(device: Device, start_mm: float, channels) -> dict:
    claims = [c for c in device.claims if c.distance_mm > 0]
    if claims:
        c = claims[0]
        return {"kind": c.tag, "distance_mm": c.distance_mm, "irradiance_mw_cm2": c.irradiance_mw_cm2,
                "source": c.source}
    ref_mm = device.default_distance_mm or start_mm
    return {"kind": "model at the default distance", "distance_mm": ref_mm,
            "irradiance_mw_cm2": float(on_axis_irradiance_mw_cm2(device, ref_mm, channels)), "source": "model"}


def irradiance_curve(device: Device, start_mm: float, end_mm: float, channels: list[str] | None = None,
                     area_mm: tuple[float, float] | None = None, dose_j_cm2: float | None = None,
                     points: int = CURVE_POINTS, extra_mm: tuple[float, ...] = ()) -> dict:
    """On-axis and mean-over-area irradiance from ``start_mm`` to ``end_mm`` (both included), each channel's
    on-axis curve, the inverse-square guess and, with ``dose_j_cm2``, the minutes to that dose at the mean.
    The mean (and the minutes) is None at distances between its :data:`MEAN_POINTS` samples.

    ``extra_mm`` adds distances (e.g. the person's ``--distance``) to the sampled ones.
    """
    extra = np.asarray(extra_mm, float)
    distances = np.unique(np.concatenate([np.linspace(start_mm, end_mm, points), extra]))
    chosen = [c.id for c in select_channels(device, channels)]
    by_channel = {cid: on_axis_irradiance_mw_cm2(device, distances, [cid]) for cid in chosen}
    on_axis = sum(by_channel.values())
    # the mean costs an area integral per distance: at MEAN_POINTS of the distances (and every extra one) only
    sampled = set(np.linspace(0, len(distances) - 1, min(MEAN_POINTS, len(distances))).round().astype(int).tolist())
    sampled |= {int(i) for i in np.searchsorted(distances, extra)}
    means = np.array([irradiance_summary(device, float(d), area_mm, chosen)["total_mean_irradiance_mw_cm2"]
                      if i in sampled else np.nan for i, d in enumerate(distances)])
    ref = _reference(device, start_mm, channels)
    guess = inverse_square_mw_cm2(ref["irradiance_mw_cm2"], ref["distance_mm"], distances)
    rows = []
    for i, d in enumerate(distances):
        mean = None if np.isnan(means[i]) else float(means[i])
        row = {"distance_mm": float(d), "irradiance_mw_cm2": float(on_axis[i]),
               "mean_irradiance_mw_cm2": mean, "inverse_square_guess_mw_cm2": float(guess[i]),
               "by_channel_mw_cm2": {cid: float(v[i]) for cid, v in by_channel.items()}}
        if dose_j_cm2 is not None:
            row["minutes_to_dose"] = minutes_to_dose(dose_j_cm2, mean) if mean else None
        rows.append(row)
    return {"device": device.id, "reference": ref, "area_text": area_description(device, area_mm),
            "dose_j_cm2": dose_j_cm2, "channels": chosen, "curve": rows}


def table_distances_mm(start_mm: float, end_mm: float, unit_mm: float, rows: int = TABLE_ROWS) -> list[float]:
    """Distances at round steps of the person's unit (``unit_mm``: 25.4 for inches, 10 for cm) from start to end,
    both included, at most about ``rows`` of them."""
    span = (end_mm - start_mm) / unit_mm
    step = next((s for s in (0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100) if span / s <= rows - 1), 100.0)
    first = np.ceil(start_mm / unit_mm / step - 1e-9) * step
    values = np.arange(first, end_mm / unit_mm + 1e-9, step) * unit_mm
    inner = values[(values > start_mm * (1 + 1e-9)) & (values < end_mm * (1 - 1e-9))]
    return [float(start_mm), *map(float, inner), float(end_mm)]


def distance_table(curve: dict, distances_mm: list[float]) -> list[dict]:
    """The rows of ``curve`` (:func:`irradiance_curve`, computed with ``extra_mm=distances_mm``) at those
    distances: the distance table in the person's units."""
    return [min(curve["curve"], key=lambda row: abs(row["distance_mm"] - d)) for d in distances_mm]
