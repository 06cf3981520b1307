"""The distance x time table every plan shows: the skin dose of each cell and the window's verdict on it.

People choose a session by distance and minutes, in the unit they think in. Each cell is the incident dose at
the skin, H = E(d) t / 1000 (E: the channels' mean irradiance over the treatment area at distance d, devices
stage), judged against the plan's window (the skin window; a target window judges the fluence at depth,
E(d) phi t / 1000, instead). Distances are round values in the unit the person typed plus the plan's own;
minutes are 5, 10, 15 and 20 plus the plan's own (photodose display choice, unsourced).
"""

from __future__ import annotations

from ..units import LENGTH_UNITS_MM, format_length
from .windows import verdict

ROUND_DISTANCES = {"in": (6, 12, 18, 24), "ft": (0.5, 1, 1.5, 2), "cm": (15, 30, 45, 60), "mm": (150, 300, 450, 600),
                   "m": (0.15, 0.3, 0.45, 0.6)}
ROUND_MINUTES = (5.0, 10.0, 15.0, 20.0)


def option_grid(plan_distance_mm: float, plan_minutes: float, unit: str, fixed_distance: bool,
                max_minutes: float | None = None) -> tuple[list[float], list[float]]:
    """(distances in mm, minutes) of the table: one row when the distance is fixed by the device (worn, contact)."""
    if fixed_distance:
        distances = [plan_distance_mm]
    else:
        scale = LENGTH_UNITS_MM[unit]
        distances = sorted({round(plan_distance_mm, 1), *(v * scale for v in ROUND_DISTANCES[unit])})
    minutes = sorted({round(plan_minutes * 2) / 2, *ROUND_MINUTES})
    if max_minutes is not None:
        minutes = [m for m in minutes if m <= max_minutes + 1e-9] or [round(plan_minutes * 2) / 2]
    return distances, [m for m in minutes if m > 0]


def distance_time_options(skin_rate_mw_cm2, planning_rate_mw_cm2, distances_mm, minutes, window,
                          unit: str) -> list[dict]:
    """Cells ``{"distance_mm", "distance_text", "minutes", "skin_fluence_j_cm2", "verdict"}``.

    ``skin_rate_mw_cm2(d)`` and ``planning_rate_mw_cm2(d)``: the skin irradiance and the planning dose rate
    (equal when the window is at the skin) at distance d [mm]; ``window``: (low, high) J/cm2 of the judged
    window, or None (then no verdict).
    """
    cells = []
    for d in distances_mm:
        skin_rate, rate = skin_rate_mw_cm2(d), planning_rate_mw_cm2(d)
        for m in minutes:
            judged = rate * m * 60 / 1000
            cells.append({"distance_mm": float(d), "distance_text": format_length(d, unit), "minutes": float(m),
                          "skin_fluence_j_cm2": skin_rate * m * 60 / 1000,
                          "verdict": None if window is None else verdict(judged, *window)})
    return cells
