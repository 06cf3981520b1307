"""Inverse planning: the distance and session time that put the planning dose at the window's goal.

Pure function over a scan of candidate distances. At each distance d the planning dose rate r(d) [mW/cm^2]
(the target's fluence rate, or the surface irradiance when planning on the skin) fixes the time
t(d) = 1000 * goal / r(d). A distance is feasible when t(d) lies within the session bounds, the peak surface
irradiance is within the irradiance limit, and the skin dose E(d) t(d) / 1000 stays within the skin window.
Among feasible distances the one nearest the preferred distance (on a log scale) wins. When none is feasible
the constraints that block every distance are named, and the closest compromise is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..dosimetry.arithmetic import fluence_j_cm2, time_for_fluence_s


@dataclass(frozen=True)
class Constraints:
    min_time_s: float
    max_time_s: float
    max_irradiance_mw_cm2: float | None = None
    skin_window_j_cm2: tuple[float, float] | None = None
    time_bound_source: str = "session bounds"
    irradiance_source: str = "irradiance limit"


@dataclass
class Solution:
    distance_mm: float
    time_s: float
    feasible: bool
    blocking: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def solve(distances_mm, rate_mw_cm2, surface_mw_cm2, peak_mw_cm2, goal_j_cm2: float, c: Constraints,
          preferred_distance_mm: float) -> Solution:
    """Pick (distance, time) from per-distance arrays; see the module docstring."""
    d = np.asarray(distances_mm, float)
    rate = np.asarray(rate_mw_cm2, float)
    surf = np.asarray(surface_mw_cm2, float)
    peak = np.asarray(peak_mw_cm2, float)
    with np.errstate(divide="ignore"):
        t_goal = np.where(rate > 0, time_for_fluence_s(goal_j_cm2, np.maximum(rate, 1e-300)), np.inf)
    time_ok = (t_goal >= c.min_time_s) & (t_goal <= c.max_time_s)
    irr_ok = np.ones_like(time_ok) if c.max_irradiance_mw_cm2 is None else peak <= c.max_irradiance_mw_cm2
    t_clip = np.clip(t_goal, c.min_time_s, c.max_time_s)
    skin = fluence_j_cm2(surf, t_clip)
    if c.skin_window_j_cm2 is None:
        skin_ok = np.ones_like(time_ok)
    else:
        skin_ok = (skin >= c.skin_window_j_cm2[0] * (1 - 1e-9)) & (skin <= c.skin_window_j_cm2[1] * (1 + 1e-9))
    ok = time_ok & irr_ok & skin_ok
    log_gap = np.abs(np.log((d + 1.0) / (preferred_distance_mm + 1.0)))
    if ok.any():
        i = int(np.flatnonzero(ok)[np.argmin(log_gap[ok])])
        return Solution(float(d[i]), float(t_goal[i]), True)
    blocking, messages = _diagnose(d, t_goal, time_ok, irr_ok, skin_ok, peak, skin, c)
    # compromise: respect the irradiance limit if any distance can; then get as close to the goal as time allows
    pool = irr_ok if irr_ok.any() else np.ones_like(irr_ok)
    miss = np.abs(np.log(np.maximum(t_goal, 1e-9) / t_clip)) + 1e-6 * log_gap
    i = int(np.flatnonzero(pool)[np.argmin(miss[pool])])
    return Solution(float(d[i]), float(t_clip[i]), False, blocking, messages)


def _diagnose(d, t_goal, time_ok, irr_ok, skin_ok, peak, skin, c: Constraints) -> tuple[list[str], list[str]]:
    blocking, messages = [], []
    usable = irr_ok
    if not usable.any():
        blocking.append("max_irradiance")
        messages.append(f"{c.irradiance_source}: even at {d.max():.0f} mm the peak irradiance is "
                        f"{peak.min():.1f} mW/cm2 > {c.max_irradiance_mw_cm2:g} mW/cm2")
        usable = np.ones_like(irr_ok)
    if not (time_ok & usable).any():
        if np.all(t_goal[usable] > c.max_time_s):
            blocking.append("max_session_time")
            messages.append(f"{c.time_bound_source}: the goal needs at least {t_goal[usable].min():.0f} s "
                            f"(at {d[usable][np.argmin(t_goal[usable])]:.0f} mm) but sessions are capped at "
                            f"{c.max_time_s:.0f} s")
        elif np.all(t_goal[usable] < c.min_time_s):
            blocking.append("min_session_time")
            messages.append(f"{c.time_bound_source}: even at {d[usable].max():.0f} mm the goal is reached in "
                            f"{t_goal[usable].max():.0f} s, shorter than the {c.min_time_s:.0f} s minimum session")
        else:
            blocking.append("max_irradiance")
            messages.append(f"{c.irradiance_source}: the distances whose session time fits are too bright")
    elif not (time_ok & usable & skin_ok).any():
        blocking.append("skin_window")
        lo, hi = c.skin_window_j_cm2
        messages.append(f"skin window {lo:g}-{hi:g} J/cm2: reaching the target goal puts "
                        f"{np.min(skin[time_ok & usable]):.1f}-{np.max(skin[time_ok & usable]):.1f} J/cm2 on the skin")
    return blocking, messages
