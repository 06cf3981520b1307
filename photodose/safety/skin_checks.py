"""Skin checks of the gate: IEC 62471 skin thermal hazard (incoherent), laser skin MPE, and heating (Pennes)."""

from __future__ import annotations

import math

from . import skin_limits as skin
from .bioheat import ThermalStack, skin_heating_session
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
    """Sum over channels of E / MPE(nm, t) <= 1 with mean irradiance (additive rule: photodose's conservative
    choice)."""
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


def heating_thresholds() -> dict[str, tuple[float, str]]:
    """``{"heat_pain_c": (value, source), "injury_cem43_min": (value, source)}`` from the safety thresholds table."""
    data = load_yaml("thresholds.yaml")
    return {key: (float(data[key]["value"]), data[key]["source"]) for key in ("heat_pain_c", "injury_cem43_min")}


LASER_CONTACT_MM = 1.0  # a laser probe this close is in contact: its beam on the skin is its aperture


def _thermal_stack(ctx: SafetyContext) -> ThermalStack:
    """The context's stack, else the default tissue data on the site's layer thicknesses, else the default."""
    if ctx.thermal_stack is not None:
        return ctx.thermal_stack
    stack = ThermalStack.default()
    try:
        from ..optics.sites import layer_table

        return stack.for_site_layers(layer_table(ctx.site))
    except (KeyError, ValueError, LookupError):
        return stack


def contact_beam_radius_mm(is_laser: bool, source_diameter_mm: float | None, distance_mm: float) -> float | None:
    """Beam radius for the finite-beam solve: a laser probe in contact heats a spot of its aperture; else None.

    Panels, masks and pads at a distance light an area wider than the heated region (several cm against a thermal
    length of about 1 cm), so the 1-D wide-beam solve applies; it is also the conservative choice.
    """
    if is_laser and source_diameter_mm and distance_mm <= LASER_CONTACT_MM:
        return 0.5 * source_diameter_mm
    return None


def heating_beam_radius_mm(ctx: SafetyContext) -> float | None:
    """:func:`contact_beam_radius_mm` of the session in ``ctx``."""
    return contact_beam_radius_mm(ctx.is_laser, ctx.source_diameter_mm, ctx.distance_mm)


def heating_check(ctx: SafetyContext) -> SafetyCheck | None:
    """Tissue heating over the session (:func:`~photodose.safety.bioheat.skin_heating_session`).

    Fails only when the thermal dose of the hottest tissue reaches the injury threshold (CEM43); cautions when the
    hottest tissue reaches the heat-pain threshold; each with a remedy (more distance, a shorter session).
    """
    if ctx.heat_source is None:
        return None
    stack = _thermal_stack(ctx)
    radius = heating_beam_radius_mm(ctx)
    result = skin_heating_session(stack, ctx.heat_source, ctx.session_seconds, beam_radius_mm=radius)
    limits = heating_thresholds()
    pain_c, _ = limits["heat_pain_c"]
    dose_limit, _ = limits["injury_cem43_min"]
    geometry = (f"a {2 * radius:.0f} mm contact spot" if radius else "a beam wider than the heated area")
    summary = (f"Predicted hottest tissue {result.peak_c:.1f} degC (rise {result.peak_rise_c:.1f} degC, skin "
               f"surface {result.surface_c_vs_time[0]:.1f} -> {result.surface_c_vs_time[-1]:.1f} degC) after "
               f"{duration(ctx.session_seconds)} with {geometry}; thermal dose {result.cem43_min:.2g} CEM43 min.")
    src = source("discomfort")
    fewer_watts = None
    if result.peak_c >= pain_c:
        scale = _irradiance_scale_below(stack, ctx, radius, result, pain_c)
        fewer_watts = reduce_irradiance(scale, ctx.irradiance_vs_distance, ctx.distance_mm) if 0 < scale < 1 else None
    if result.cem43_min >= dose_limit:
        t_dose = result.time_to_cem43_s(dose_limit)
        return SafetyCheck(
            name="skin:heating", status="fail", value=result.cem43_min, limit=dose_limit, unit="CEM43 min",
            source=src,
            message=summary + (" That dose reaches the threshold of irreversible skin injury "
                               f"({dose_limit:g} CEM43 min)."),
            remedy=either(shorten(t_dose) if math.isfinite(t_dose) else None, fewer_watts)
            or "do not use at this setting")
    if result.peak_c >= pain_c:
        t_pain = result.time_to_c_s(pain_c)
        return SafetyCheck(
            name="skin:heating", status="caution", value=result.peak_c, limit=pain_c, unit="degC",
            source=src,
            message=summary + (f" It reaches the heat-pain threshold ({pain_c:g} degC): it may feel hot or painful, "
                               f"far below the thermal dose of skin injury ({dose_limit:g} CEM43 min). "
                               "Stop if it hurts."),
            remedy=either(fewer_watts, shorten(t_pain) if math.isfinite(t_pain) else None))
    return SafetyCheck(
        name="skin:heating", status="ok", value=result.peak_c, limit=pain_c, unit="degC", source=src,
        message=summary + f" Below the heat-pain threshold ({pain_c:g} degC).")


def _irradiance_scale_below(stack: ThermalStack, ctx: SafetyContext, radius: float | None, result, limit_c: float,
                            tries: int = 6) -> float:
    """Irradiance factor (< 1) whose session stays below ``limit_c``, found by re-running the model.

    Each try scales the irradiance by the linear estimate from the last run (the rise is sub-linear, so one step
    is not enough) with a 2 % margin; returns the first factor that stays below, or the last one tried.
    """
    scale = 1.0
    for _ in range(tries):
        scale *= min(result.irradiance_scale_below(limit_c), 1.0) * 0.98
        if scale <= 0:
            return 0.0
        result = skin_heating_session(stack, ctx.heat_source.scaled(scale), ctx.session_seconds,
                                      beam_radius_mm=radius)
        if result.peak_c < limit_c:
            return scale
    return scale
