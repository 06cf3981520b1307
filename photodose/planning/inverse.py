"""Inverse planning: the distance and session time a person can follow, with the planning dose in its window.

Pure function over a scan of candidate distances. At each distance d the planning dose rate r(d) [mW/cm^2] (the
target's fluence rate, or the surface irradiance when planning on the skin) gives the dose D = r(d) t / 1000.

Hard constraints (a plan that breaks one is not "planned"): the dose inside the planning window, the session
time within the hard bounds (what the person typed, or a sourced protocol range), the peak irradiance within the
irradiance limit, the skin dose within the skin window when planning on the target, and a distance or time the
person fixed.

Preferences are never constraints: the device's usual distance d0 and an unsourced session range [p_lo, p_hi]
(e.g. "10-20 min, as commonly quoted"). Among the feasible (d, t) the planner minimises, on log scales,

    cost = ln(D / goal)^2 + ln(d / d0)^2 + ln(t / clip(t, p_lo, p_hi))^2

a least-squares compromise between the window's goal (its geometric middle) and the two preferences (photodose
choice, stated). For one distance the best time is closed-form: with t_g the time that reaches the goal and p the
nearer end of the preferred range, t* = sqrt(t_g p) (or t_g when it lies in the range), then clipped into the
hard bounds and the window. When nothing is feasible the constraints that block every distance are named and the
closest compromise is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..dosimetry.arithmetic import fluence_j_cm2, time_for_fluence_s


@dataclass(frozen=True)
class Constraints:
    """Hard session bounds (s), irradiance limit (mW/cm2), skin window (J/cm2), the planning window (J/cm2;
    None: the goal itself), a fixed time (s) and the preferred (soft) session range (s)."""

    min_time_s: float
    max_time_s: float
    max_irradiance_mw_cm2: float | None = None
    skin_window_j_cm2: tuple[float, float] | None = None
    time_bound_source: str = "session bounds"
    irradiance_source: str = "irradiance limit"
    window_j_cm2: tuple[float, float] | None = None
    fixed_time_s: float | None = None
    preferred_time_s: tuple[float, float] | None = None


@dataclass
class Solution:
    distance_mm: float
    time_s: float
    feasible: bool
    blocking: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


REL_TOL = 1e-9


def _log_sq(a, b):
    return np.log(np.maximum(a, 1e-300) / np.maximum(b, 1e-300)) ** 2


def _best_times(t_goal: np.ndarray, c: Constraints, rate: np.ndarray) -> np.ndarray:
    """The cost-minimising time at each distance, clipped into the hard bounds and the window's time range."""
    if c.fixed_time_s is not None:
        return np.full_like(t_goal, c.fixed_time_s)
    t = t_goal.copy()
    if c.preferred_time_s is not None:
        p = np.clip(t_goal, *c.preferred_time_s)
        t = np.sqrt(np.maximum(t_goal, 1e-300) * p)
    lo, hi = c.window_j_cm2 if c.window_j_cm2 is not None else (None, None)
    if lo is not None:
        with np.errstate(divide="ignore"):
            t_lo = np.where(rate > 0, time_for_fluence_s(lo, np.maximum(rate, 1e-300)), np.inf)
            t_hi = np.where(rate > 0, time_for_fluence_s(hi, np.maximum(rate, 1e-300)), np.inf)
        t = np.clip(t, t_lo, t_hi)
    return np.clip(t, c.min_time_s, c.max_time_s)


def solve(distances_mm, rate_mw_cm2, surface_mw_cm2, peak_mw_cm2, goal_j_cm2: float, c: Constraints,
          preferred_distance_mm: float) -> Solution:
    """Pick (distance, time) from per-distance arrays; see the module docstring."""
    d = np.asarray(distances_mm, float)
    rate = np.asarray(rate_mw_cm2, float)
    surf = np.asarray(surface_mw_cm2, float)
    peak = np.asarray(peak_mw_cm2, float)
    with np.errstate(divide="ignore"):
        t_goal = np.where(rate > 0, time_for_fluence_s(goal_j_cm2, np.maximum(rate, 1e-300)), np.inf)
    t = _best_times(t_goal, c, rate)
    dose = fluence_j_cm2(rate, t)
    low, high = c.window_j_cm2 or (goal_j_cm2, goal_j_cm2)
    dose_ok = (dose >= low * (1 - 1e-6)) & (dose <= high * (1 + 1e-6))
    time_ok = (t >= c.min_time_s * (1 - REL_TOL)) & (t <= c.max_time_s * (1 + REL_TOL))
    irr_ok = np.ones_like(dose_ok) if c.max_irradiance_mw_cm2 is None else peak <= c.max_irradiance_mw_cm2
    skin = fluence_j_cm2(surf, t)
    if c.skin_window_j_cm2 is None:
        skin_ok = np.ones_like(dose_ok)
    else:
        skin_ok = (skin >= c.skin_window_j_cm2[0] * (1 - 1e-9)) & (skin <= c.skin_window_j_cm2[1] * (1 + 1e-9))
    ok = dose_ok & time_ok & irr_ok & skin_ok
    cost = _log_sq(dose, goal_j_cm2) + _log_sq(d + 1.0, preferred_distance_mm + 1.0)
    if c.preferred_time_s is not None:
        cost = cost + _log_sq(t, np.clip(t, *c.preferred_time_s))
    if ok.any():
        i = int(np.flatnonzero(ok)[np.argmin(cost[ok])])
        return Solution(float(d[i]), float(t[i]), True)
    blocking, messages = _diagnose(d, t_goal, dose, dose_ok, time_ok, irr_ok, skin_ok, peak, skin, c, (low, high))
    # compromise: respect the irradiance limit if any distance can; then get as close to the goal as time allows
    pool = irr_ok if irr_ok.any() else np.ones_like(irr_ok)
    miss = _log_sq(dose, goal_j_cm2) + 1e-6 * _log_sq(d + 1.0, preferred_distance_mm + 1.0)
    i = int(np.flatnonzero(pool)[np.argmin(miss[pool])])
    return Solution(float(d[i]), float(t[i]), False, blocking, messages)


def _diagnose(d, t_goal, dose, dose_ok, time_ok, irr_ok, skin_ok, peak, skin, c: Constraints,
              window: tuple[float, float]) -> tuple[list[str], list[str]]:
    blocking, messages = [], []
    usable = irr_ok
    if not usable.any():
        blocking.append("max_irradiance")
        messages.append(f"{c.irradiance_source}: even at {d.max():.0f} mm the peak irradiance is "
                        f"{peak.min():.1f} mW/cm2 > {c.max_irradiance_mw_cm2:g} mW/cm2")
        usable = np.ones_like(irr_ok)
    if not (dose_ok & usable).any():
        if c.fixed_time_s is not None:
            blocking.append("fixed_session_time")
            messages.append(f"a session of {c.fixed_time_s / 60:g} min gives {dose[usable].min():.3g}-"
                            f"{dose[usable].max():.3g} J/cm2 over the distances allowed, outside the window "
                            f"{window[0]:g}-{window[1]:g} J/cm2")
        elif np.all(t_goal[usable] > c.max_time_s):
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
    elif not (dose_ok & usable & skin_ok).any():
        blocking.append("skin_window")
        lo, hi = c.skin_window_j_cm2
        ok = dose_ok & usable
        messages.append(f"skin window {lo:g}-{hi:g} J/cm2: reaching the target goal puts "
                        f"{np.min(skin[ok]):.1f}-{np.max(skin[ok]):.1f} J/cm2 on the skin")
    elif not (dose_ok & usable & skin_ok & time_ok).any():
        blocking.append("session_time")
        messages.append(f"{c.time_bound_source}: no time within {c.min_time_s:.0f}-{c.max_time_s:.0f} s puts the "
                        "dose in its window")
    return blocking, messages
