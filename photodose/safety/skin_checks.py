"""Skin checks of the gate: IEC 62471 skin thermal hazard (incoherent), laser skin MPE, and heating (Pennes)."""

from __future__ import annotations

import math

from . import skin_limits as skin
from .bioheat import ThermalStack, allowed_irradiance_scale, pennes_session, time_to_threshold_s
from .checks import SafetyCheck
from .context import SafetyContext
from .remedies import duration, either, reduce_irradiance, shorten
from .sources import load_yaml, source

SKIN_THERMAL_BAND_NM_LOW = skin.SKIN_THERMAL_BAND_NM[0]


def _in(nm: float, band: tuple[float, float]) -> bool:
    return band[0] <= nm <= band[1]


def skin_thermal_check(ctx: SafetyContext) -> SafetyCheck | None:
    """H = sum of peak irradiances x t <= 20000 t^0.25 J/m2 at t = min(session, 10 s), the strictest t <= 10 s."""
    peak_w_m2 = 10.0 * sum(c.peak_mw_cm2 for c in ctx.channels if _in(c.wavelength_nm, skin.SKIN_THERMAL_BAND_NM))
    if peak_w_m2 <= 0:
        return None
    t = min(ctx.session_seconds, skin.SKIN_THERMAL_MAX_TIME_S)
    dose, limit = peak_w_m2 * t, skin.skin_thermal_limit_j_m2(t)
    ok = dose <= limit
    return SafetyCheck(
        name="skin:thermal_short", status="ok" if ok else "fail", value=dose, limit=limit, unit="J/m2",
        source=source("skin_thermal"),
        message=(f"Radiant exposure in the first {t:g} s at peak irradiance: {dose:.0f} J/m2 (limit {limit:.0f}); "
                 "longer exposures are covered by the heating model."),
        remedy=None if ok else reduce_irradiance(limit / dose, ctx.irradiance_vs_distance, ctx.distance_mm))


def ultraviolet_check(ctx: SafetyContext) -> SafetyCheck | None:
    """Channels below 380 nm: photodose has no sourced UV limits, so it says so instead of passing them."""
    uv = [c for c in ctx.channels if c.wavelength_nm < SKIN_THERMAL_BAND_NM_LOW and c.irradiance_mw_cm2 > 0]
    if not uv:
        return None
    return SafetyCheck(name="skin_eye:ultraviolet", status="caution", source="unsourced: no UV limits in photodose",
                       message="Ultraviolet hazards not assessed (" + ", ".join(f"{c.wavelength_nm:g}" for c in uv)
                               + " nm): no sourced limits.",
                       remedy="ask the manufacturer for the IEC 62471 UV assessment; protect eyes and skin")


def laser_skin_check(ctx: SafetyContext) -> list[SafetyCheck]:
    """Sum over channels of E / MPE(nm, t) <= 1 with mean irradiance (additive rule: photodose's conservative choice)."""
    checks: list[SafetyCheck] = []
    inside = [c for c in ctx.channels if _in(c.wavelength_nm, skin.LASER_SKIN_BAND_NM)]
    outside = [c for c in ctx.channels if c not in inside and c.irradiance_mw_cm2 > 0]
    if outside:
        checks.append(SafetyCheck(name="skin:laser_mpe_range", status="caution", source=source("laser_skin_mpe"),
                                  message="Laser skin MPE not assessed outside 400-1400 nm: "
                                          + ", ".join(f"{c.wavelength_nm:g} nm" for c in outside),
                                  remedy="ask the manufacturer for the laser class and MPE"))
    if any(c.peak_mw_cm2 > c.irradiance_mw_cm2 * (1 + 1e-9) for c in ctx.channels):
        checks.append(SafetyCheck(name="skin:laser_pulses", status="caution", source=source("laser_skin_mpe"),
                                  message="Pulsed laser: single-pulse and repetitive-pulse MPE criteria not assessed "
                                          "(mean irradiance only).",
                                  remedy="ask the manufacturer for the pulse MPE assessment"))
    if not inside:
        return checks
    ratio = sum(c.irradiance_mw_cm2 / skin.laser_skin_mpe_mw_cm2(c.wavelength_nm, ctx.session_seconds)
                for c in inside)
    ok = ratio <= 1.0
    remedy = None
    if not ok:
        remedy = reduce_irradiance(1.0 / ratio, ctx.irradiance_vs_distance, ctx.distance_mm)
        if ctx.session_seconds < skin.LASER_LONG_SPLIT_S:
            remedy = either(remedy, "shorten the pulse or session")
    checks.append(SafetyCheck(
        name="skin:laser_mpe", status="ok" if ok else "fail", value=ratio, limit=1.0, unit="fraction of MPE",
        source=source("laser_skin_mpe"),
        message=f"Laser irradiance is {ratio:.0%} of the skin MPE for {duration(ctx.session_seconds)}.",
        remedy=remedy))
    return checks


def discomfort_threshold_c() -> tuple[float, str]:
    entry = load_yaml("thresholds.yaml")["discomfort_c"]
    return float(entry["value"]), entry["source"]


def heating_check(ctx: SafetyContext) -> SafetyCheck | None:
    """Pennes 1D over the session; fails when the hottest tissue point reaches the discomfort threshold."""
    if ctx.heat_source is None:
        return None
    stack = ctx.thermal_stack or ThermalStack.default()
    threshold, src = discomfort_threshold_c()
    result = pennes_session(stack, ctx.heat_source, ctx.session_seconds)
    rise = float(result.rise_c.max())
    ok = result.peak_c < threshold
    remedy = None
    if not ok:
        scale = allowed_irradiance_scale(result, threshold)
        t_allowed = time_to_threshold_s(result, threshold)
        remedy = either(reduce_irradiance(scale, ctx.irradiance_vs_distance, ctx.distance_mm) if scale > 0 else None,
                        shorten(t_allowed) if math.isfinite(t_allowed) else None)
    return SafetyCheck(
        name="skin:heating", status="ok" if ok else "fail", value=result.peak_c, limit=threshold, unit="C",
        source=f"Pennes bioheat model (Pennes 1948), tissue data/thermal_tissue.yaml; threshold: {src}",
        message=(f"Peak tissue temperature {result.peak_c:.1f} C (rise {rise:.1f} C at the hottest point) "
                 f"against a discomfort threshold of {threshold:g} C."),
        remedy=remedy or (None if ok else "do not use at this setting"))
